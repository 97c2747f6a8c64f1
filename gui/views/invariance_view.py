"""Evaluation tab: accuracy against shift and rotation, one curve per model, so a user sees what
convolution and pooling buy over a dense network.

The window gives the view the current model and its validation images (``set_current_model``,
at every epoch end and when a model is opened); "Compute" measures it, "Add saved model..."
measures a .npz file on the same images and overlays it. Every measurement runs in a worker
thread (gui/views/invariance_jobs.py: one at a time, the rest queued; for the current model only
the latest request waits and a running one for a model no longer current is called off) on a
fixed, stratified subset of the validation images (core.analysis.invariance), and reports back
by signal. The plot items live in gui/views/invariance_plots.py.

Another model becoming current (a file opened, a new run, a run record or checkpoint opened)
takes the old model's curves down at once: they must never stand beside the new model's chance
line. Once the user has measured, the new model is measured too: at once while this view is
visible, else when it is shown (no CPU spent on a tab nobody looks at). "Clear" ends that.
"""
import itertools
import weakref
from pathlib import Path

import numpy as np
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.analysis.invariance import DEFAULT_ANGLES, curves_for_model, default_shifts, fixed_subset
from core.files.model_io import load_model
from core.evaluation.evaluate import task_labels
from core.training.snapshots import validation_set
from gui.ground import theme
from gui.ground.errors import describe_error
from gui.views.invariance_jobs import MeasurementQueue
from gui.views.invariance_plots import CHANCE_NAME, SAVED_COLOURS, ModelCurves, build_plots, set_x_range

CURRENT = "current"     # key of the current model's curves; saved models are keyed by their path
_NO_MODEL = object()    # the key while no model is current: no model's key is it


def _no_model():
    return _NO_MODEL


def _key_ref(key):
    """A weak reference to a model's key object (a run's StartSnapshot holds its images: the view
    must not keep an old one alive), else the key itself. Compared by identity, never by id(): a
    new snapshot may be allocated where a freed one was, and the old curves would pass for its."""
    try:
        return weakref.ref(key)
    except TypeError:
        return lambda: key


def follow_window_model(view, window, source):
    """Hand the model the window's views show (window.state.network, evaluated on ``source``, a
    StartSnapshot) to the invariance view, named by its file or its epoch; it measures on demand."""
    network = window.state.network
    if network is None:
        return
    name = window.loaded_model_name or f"current model (epoch {window.state.network_epoch})"
    # one key per model: a run's StartSnapshot (its epochs share it) or an opened file's info
    view.set_current_model(network, window.current_metadata(), *validation_set(source, window.dataset), name=name,
                           model_key=window.model_info)


class InvarianceView(QWidget):
    """Two plots (accuracy vs shift, accuracy vs rotation), the controls, a status line."""

    measured = pyqtSignal(str)      # key (CURRENT or a file path) whose curves were just drawn
    job_failed = pyqtSignal(str)    # the message shown in the status line

    def __init__(self, parent=None):
        super().__init__(parent)
        self._current = None        # (network, metadata, name) of the current model
        self._images = self._labels = None   # the fixed validation subset (n, H, W), digit labels
        self._subset = None   # (labels it was drawn from, its indices): recomputed for other labels
        self._entries = {}          # key -> _ModelCurves
        self._results = {}          # key -> InvarianceCurves (what the curves show)
        self.jobs = MeasurementQueue(self)
        self.jobs.started.connect(lambda name: self._set_status(f"Measuring {name}…"))
        self.jobs.progress.connect(lambda name, done, total: self._set_status(
            f"Measuring {name}: {done} of {total} shifted or rotated copies…"))
        self.jobs.done.connect(self._on_done)
        self.jobs.failed.connect(self._on_failed)
        self.jobs.stopped.connect(lambda name: self._set_status(f"Stopped measuring {name}."))
        self._colours = itertools.cycle(SAVED_COLOURS)
        self._current_key = _no_model
        self._wanted = False        # the user measured the current model: measure the next one too
        self._stale = False         # a new current model waits for this view to be shown
        self._build()

    # ----- layout -----------------------------------------------------------------------
    def _build(self):
        build_plots(self)

        self.compute_button = QPushButton("Compute")
        self.compute_button.setToolTip("Measure the current model on shifted and rotated validation images")
        self.add_button = QPushButton("Add saved model…")
        self.add_button.setToolTip("Overlay a model file (.npz) measured on the same images")
        self.clear_button = QPushButton("Clear")
        self.auto_check = QCheckBox("Update at every epoch")
        self.auto_check.setToolTip("Re-measure the model being trained after each epoch (uses some CPU)")
        self.status = QLabel("Train or open a model, then press Compute.")
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        controls = QHBoxLayout()
        for widget in (self.compute_button, self.add_button, self.clear_button):
            controls.addWidget(widget)
        controls.addWidget(self.auto_check)
        controls.addStretch(1)
        # the status on its own line: beside the buttons it made the Evaluation tab 610 px wide,
        # too wide for a laptop with the settings and the lessons panel beside it
        plots = QHBoxLayout()
        plots.addWidget(self.shift_plot)
        plots.addWidget(self.rotation_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addWidget(self.status)
        layout.addLayout(plots, 1)
        self.compute_button.clicked.connect(self.compute)
        self.add_button.clicked.connect(self._choose_model_file)
        self.clear_button.clicked.connect(self.clear)

    # ----- public API ----------------------------------------------------------------------
    def set_current_model(self, network, metadata, val_images, val_labels, name="current model", model_key=None):
        """The model "Compute" measures, and the validation images every model is measured on:
        images (n, H, W) uint8, labels (n,) the dataset's digits (not 0/1 task labels).
        ``model_key`` names the model (the same for every epoch of one run): another key means
        another model, whose curves are not the old one's, so the old current curves go (and the
        new model is measured if the user measured the old one)."""
        new_model = self._current_key() is not model_key
        if new_model:
            self._forget_current()
        self._current_key = _key_ref(model_key)
        images = np.asarray(val_images)
        labels = np.asarray(val_labels)
        if images.ndim == 2:   # flat rows: the metadata says their shape
            images = images.reshape(len(images), *metadata["input_shape"])
        if self._images is not None and self._images.shape[1:] != images.shape[1:]:
            wanted, self._wanted = self._wanted, False
            self.clear()       # curves measured on images of another size compare nothing
            self._wanted = wanted
        if self._subset is None or self._subset[0] is not labels:
            # the same validation labels at every epoch end of a run: the stratified subset once
            # (4-5 ms of the GUI thread each time)
            self._subset = (labels, fixed_subset(labels))
        subset = self._subset[1]
        self._images, self._labels = images[subset], labels[subset]
        self._current = (network, metadata, name)
        # "chance": always answering the commonest class (11% on MNIST, 90% for "3 or not")
        task = task_labels(self._labels, int(metadata.get("positive_class", -1)))
        for line in self.chance_lines:   # no validation images (a tiny dataset): no chance line to draw
            line.setValue(np.bincount(task).max() / len(task) if len(task) else 0.0)
        set_x_range(self.shift_plot, self.rotation_plot, default_shifts(images.shape[1:]), DEFAULT_ANGLES)
        if new_model and self._wanted:
            self._measure_when_seen(name)
        elif CURRENT in self._entries:
            if self.auto_check.isChecked():
                self.compute()
            else:
                self._set_status(f"{name} has changed since its curves were measured: press Compute.")
        elif not self.jobs.busy:
            self._set_status(f"{name}: press Compute to measure it on {len(subset):,} validation images.")

    def forget_current_model(self):
        """No model is shown any more (the window cleared its views): its curves go too."""
        self._forget_current()
        self._current, self._current_key = None, _no_model
        if not self.busy:
            self._set_status("Train or open a model" + (": it is measured when it arrives." if self._wanted
                                                         else ", then press Compute."))

    def _measure_when_seen(self, name):
        if self.isVisible():
            self.compute()
        else:
            self._stale = True
            self._set_status(f"{name} is the model shown now: it is measured when this tab is shown.")

    def showEvent(self, event):
        super().showEvent(event)
        if self._stale and self._current is not None:
            self.compute()

    def _forget_current(self):
        """Take down the current model's curves (and any measurement of it): another model is
        current now, and its chance line must not stand beside the old model's accuracy."""
        self.jobs.drop(CURRENT)
        entry = self._entries.pop(CURRENT, None)
        if entry is not None:
            entry.remove(self.shift_plot.getPlotItem(), self.rotation_plot.getPlotItem())
        self._results.pop(CURRENT, None)

    def compute(self):
        """Measure the current model (in the worker); nothing happens without one."""
        if self._current is None:
            self._set_status("No model yet: train one or open a model file first.", error=True)
            return
        network, metadata, name = self._current
        self._wanted, self._stale = True, False
        network = network.copy() if hasattr(network, "copy") else network   # the canvas uses it too
        images, labels = self._images, self._labels
        self.jobs.submit(CURRENT, name, lambda report, cancelled: curves_for_model(
            network, metadata, images, labels, name, progress=report, cancelled=cancelled))

    def add_model_file(self, path):
        """Load a .npz model in the worker and overlay its curves (a message if it cannot be used)."""
        path = str(path)
        name = Path(path).name
        if self._images is None:
            self._set_status(f"Cannot measure {name} yet: the curves use the validation images of a "
                             f"trained or opened model; train or open one first.", error=True)
            return
        images, labels = self._images, self._labels

        def measure(report, cancelled):
            network, metadata = load_model(path)
            return curves_for_model(network, metadata, images, labels, name, progress=report, cancelled=cancelled)

        self.jobs.submit(path, name, measure)

    def clear(self):
        """Remove every curve and stop any measurement."""
        self.jobs.clear()
        for entry in self._entries.values():
            entry.remove(self.shift_plot.getPlotItem(), self.rotation_plot.getPlotItem())
        self._entries.clear()
        self._results.clear()
        self._colours = itertools.cycle(SAVED_COLOURS)
        self._wanted = self._stale = False       # cleared: the next model waits for Compute
        self._set_status("Cleared.")

    def shutdown(self, milliseconds=3000):
        """Stop the running measurement and wait for its thread (closing the window)."""
        self.jobs.shutdown(milliseconds)

    @property
    def busy(self):
        return self.jobs.busy

    def curves(self, key=CURRENT):
        """The InvarianceCurves drawn for key (CURRENT or a file path), or None."""
        return self._results.get(key)

    def legend_names(self):
        """The models in the legend, in order (without the chance entry)."""
        return [label.text for _, label in self.legend.items if label.text != CHANCE_NAME]

    # ----- results -------------------------------------------------------------------------
    def _choose_model_file(self):
        path, _ = QFileDialog.getOpenFileName(self, "Add a saved model", "", "DigitLab models (*.npz);;All files (*)")
        if path:
            self.add_model_file(path)

    def _on_done(self, key, name, curves):
        entry = self._entries.get(key)
        if entry is None:
            colour = theme.BLUE if key == CURRENT else next(self._colours)
            entry = self._entries[key] = ModelCurves(self.shift_plot.getPlotItem(), self.rotation_plot.getPlotItem(),
                                                      self.legend, colour, name)
        entry.rename(name)
        entry.set_curves(curves)
        self._results[key] = curves
        centre = curves.horizontal[len(curves.shifts) // 2]
        edge = min(curves.horizontal[0], curves.horizontal[-1], curves.vertical[0], curves.vertical[-1])
        self._set_status(f"{name}: {100 * centre:.1f}% unmoved, {100 * edge:.1f}% at worst "
                         f"{int(curves.shifts[-1])} px away, {100 * curves.rotation.min():.1f}% at worst "
                         f"{int(curves.angles[-1])}° ({curves.n_images:,} validation images).")
        self.measured.emit(key)

    def _on_failed(self, name, error):
        message = describe_error(error)   # DigitLabError messages name the model or the file
        if name not in message:
            message = f"{name}: {message}"
        self._set_status(message, error=True)
        self.job_failed.emit(message)

    def _set_status(self, text, error=False):
        self.status.setText(text)
        self.status.setStyleSheet(theme.error_style() if error else "")
