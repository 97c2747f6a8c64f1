"""Evaluation tab: accuracy against shift and rotation, one curve per model, so a user sees what
convolution and pooling buy over a dense network.

The window gives the view the current model and its validation images (``set_current_model``,
at every epoch end and when a model is opened); "Compute" measures it, "Add saved model..."
measures a .npz file on the same images and overlays it. Every measurement runs in a worker
thread (gui.ground.threads.JobWorker, one job at a time, the rest queued) on a fixed,
stratified subset of the validation images (core.analysis.invariance), and reports back by
signal; plot items are created once per model and fed with setData.

Shifts: solid = horizontal (+ = right), dashed = vertical (+ = down), one colour per model (the
two directions need not cost the same: MNIST digits are taller than wide).

Over 300 lines: the plots, their per-model items and the small job queue that feeds them are
one concern; the arithmetic lives in core.analysis.invariance.
"""
import itertools
from collections import deque
from pathlib import Path

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QCheckBox, QFileDialog, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.analysis.invariance import (DEFAULT_ANGLES, Cancelled, curves_for_model,
                                      default_shifts, fixed_subset)
from core.files.model_io import load_model
from core.evaluation.evaluate import task_labels
from core.training.snapshots import validation_set
from gui.ground import theme
from gui.ground.errors import describe_error
from gui.ground.threads import JobWorker, ThreadHandle

CURRENT = "current"     # key of the current model's curves; saved models are keyed by their path
SAVED_COLOURS = (theme.ORANGE, theme.GREEN, theme.PURPLE, theme.GREY, (214, 39, 40), (140, 86, 75))
ERROR_STYLE = "color: #b3261e;"
CHANCE_NAME = "chance (commonest class)"
LEGEND_BRUSH = (255, 255, 255, 225)   # the chance line and grid pass behind the legend's text
_LIVE_JOBS = set()      # handles kept alive until their thread ends, even if the view is gone


def follow_window_model(view, window, source):
    """Hand the model the window's views show (window.state.network, evaluated on ``source``, a
    StartSnapshot) to the invariance view, named by its file or its epoch; it measures on demand."""
    network = window.state.network
    if network is None:
        return
    name = window.loaded_model_name or f"current model (epoch {window.state.network_epoch})"
    # one key per model: a run's StartSnapshot (its epochs share it) or an opened file's info
    view.set_current_model(network, window.current_metadata(), *validation_set(source, window.dataset), name=name,
                           model_key=id(window.model_info))


class _Job:
    """The running measurement: which curves it is for, and whether it was called off."""

    def __init__(self, key, name, handle):
        self.key, self.name, self.handle = key, name, handle
        self.cancelled = False

    def cancel(self):
        self.cancelled = True
        try:
            self.handle.worker.cancel()
        except RuntimeError:   # the worker object is already deleted: the job has ended
            pass


class _ModelCurves:
    """The three plot items of one model (created once; setData on every new measurement)."""

    def __init__(self, shift_plot, rotation_plot, legend, colour, name):
        symbol = dict(symbol="o", symbolSize=5, symbolPen=theme.pen(colour, 1), symbolBrush=theme.brush(colour))
        self.horizontal = shift_plot.plot(pen=theme.pen(colour, 2.2), **symbol)
        dashed = theme.pen(colour, 2.2)
        dashed.setStyle(Qt.DashLine)
        self.vertical = shift_plot.plot(pen=dashed, **symbol)
        self.rotation = rotation_plot.plot(pen=theme.pen(colour, 2.2), **symbol)
        self.legend = legend
        legend.addItem(self.rotation, name)
        self.name = name
        for sample, label in list(legend.items):   # the chance entry stays last
            if label.text == CHANCE_NAME:
                legend.removeItem(sample.item)
                legend.addItem(sample.item, CHANCE_NAME)

    def set_curves(self, curves):
        self.horizontal.setData(curves.shifts, curves.horizontal)
        self.vertical.setData(curves.shifts, curves.vertical)
        self.rotation.setData(curves.angles, curves.rotation)

    def rename(self, name):
        if name != self.name:
            self.name = name
            for sample, label in self.legend.items:
                if sample.item is self.rotation:
                    label.setText(name)

    def remove(self, shift_plot, rotation_plot):
        self.legend.removeItem(self.rotation)
        for item in (self.horizontal, self.vertical):
            shift_plot.removeItem(item)
        rotation_plot.removeItem(self.rotation)


class InvarianceView(QWidget):
    """Two plots (accuracy vs shift, accuracy vs rotation), the controls, a status line."""

    measured = pyqtSignal(str)      # key (CURRENT or a file path) whose curves were just drawn
    job_failed = pyqtSignal(str)    # the message shown in the status line

    def __init__(self, parent=None):
        super().__init__(parent)
        self._current = None        # (network, metadata, name) of the current model
        self._images = self._labels = None   # the fixed validation subset (n, H, W), digit labels
        self._entries = {}          # key -> _ModelCurves
        self._results = {}          # key -> InvarianceCurves (what the curves show)
        self._queue = deque()       # (key, name, fn) waiting for the worker
        self._active = None         # (key, name, ThreadHandle) of the running job
        self._colours = itertools.cycle(SAVED_COLOURS)
        self._build()

    # ----- layout -----------------------------------------------------------------------
    def _build(self):
        self.shift_plot = pg.PlotWidget()
        self.rotation_plot = pg.PlotWidget()
        shift_item, rotation_item = self.shift_plot.getPlotItem(), self.rotation_plot.getPlotItem()
        # the line styles are explained in the axis label: a legend inside the shift plot would
        # hide the curves of narrow (dense) and broad (convolutional) models alike
        theme.style_plot(shift_item, "Accuracy vs shift",
                         "shift (pixels): solid = horizontal \u2192, dashed = vertical \u2193",
                         "accuracy")
        theme.style_plot(rotation_item, "Accuracy vs rotation", "rotation (degrees, + = counter-clockwise)",
                         "accuracy")
        # the models' legend at the bottom centre: every curve peaks in the middle
        self.legend = rotation_item.addLegend(offset=None, labelTextSize="9pt", brush=LEGEND_BRUSH)
        self.legend.anchor((0.5, 1), (0.5, 1), offset=(0, -6))
        chance_pen = theme.pen(theme.GREY, 1.5, alpha=200)
        chance_pen.setStyle(Qt.DotLine)
        self.chance_sample = pg.PlotDataItem([], [], pen=chance_pen)
        self.legend.addItem(self.chance_sample, CHANCE_NAME)
        self.chance_lines = []
        ticks = [[(y, f"{y:.1f}") for y in np.linspace(0, 1, 6)]]
        for item in (shift_item, rotation_item):
            item.enableAutoRange(enable=False)
            item.setYRange(0, 1, padding=0.06)   # room for the 0.0 and 1.0 labels (else hidden)
            item.getAxis("left").setTicks(ticks)
            item.setMouseEnabled(x=False, y=False)
            item.hideButtons()
            line = pg.InfiniteLine(0.1, angle=0, pen=chance_pen)
            line.setToolTip("chance: the accuracy of always answering the commonest class")
            item.addItem(line)
            self.chance_lines.append(line)
        self._set_x_range(default_shifts((28, 28)), DEFAULT_ANGLES)

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
        for widget in (self.compute_button, self.add_button, self.clear_button, self.auto_check):
            controls.addWidget(widget)
        controls.addWidget(self.status, 1)
        plots = QHBoxLayout()
        plots.addWidget(self.shift_plot)
        plots.addWidget(self.rotation_plot)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(controls)
        layout.addLayout(plots, 1)
        self.compute_button.clicked.connect(self.compute)
        self.add_button.clicked.connect(self._choose_model_file)
        self.clear_button.clicked.connect(self.clear)

    def _set_x_range(self, shifts, angles):
        self.shift_plot.getPlotItem().setXRange(shifts[0], shifts[-1], padding=0.04)
        self.rotation_plot.getPlotItem().setXRange(angles[0], angles[-1], padding=0.04)
        self.shift_plot.getPlotItem().getAxis("bottom").setTicks([[(int(s), str(int(s))) for s in shifts
                                                                   if s % 2 == 0]])
        self.rotation_plot.getPlotItem().getAxis("bottom").setTicks([[(int(a), str(int(a))) for a in angles
                                                                      if a % 15 == 0]])

    # ----- public API ----------------------------------------------------------------------
    def set_current_model(self, network, metadata, val_images, val_labels, name="current model", model_key=None):
        """The model "Compute" measures, and the validation images every model is measured on:
        images (n, H, W) uint8, labels (n,) the dataset's digits (not 0/1 task labels).
        ``model_key`` names the model (the same for every epoch of one run): another key means
        another model, whose curves are not the old one's, so the old current curves go."""
        if model_key != getattr(self, "_current_key", model_key):
            self._forget_current()
        self._current_key = model_key
        images = np.asarray(val_images)
        labels = np.asarray(val_labels)
        if images.ndim == 2:   # flat rows: the metadata says their shape
            images = images.reshape(len(images), *metadata["input_shape"])
        if self._images is not None and self._images.shape[1:] != images.shape[1:]:
            self.clear()       # curves measured on images of another size compare nothing
        subset = fixed_subset(labels)
        self._images, self._labels = images[subset], labels[subset]
        self._current = (network, metadata, name)
        # "chance": always answering the commonest class (11% on MNIST, 90% for "3 or not")
        task = task_labels(self._labels, int(metadata.get("positive_class", -1)))
        for line in self.chance_lines:
            line.setValue(np.bincount(task).max() / len(task))
        self._set_x_range(default_shifts(images.shape[1:]), DEFAULT_ANGLES)
        if CURRENT in self._entries:
            if self.auto_check.isChecked():
                self.compute()
            else:
                self._set_status(f"{name} has changed since its curves were measured: press Compute.")
        elif self._active is None and not self._queue:
            self._set_status(f"{name}: press Compute to measure it on {len(subset):,} validation images.")

    def _forget_current(self):
        """Take down the current model's curves (and any measurement of it): another model is
        current now, and its chance line must not stand beside the old model's accuracy."""
        self._queue = deque(job for job in self._queue if job[0] != CURRENT)
        if self._active is not None and self._active.key == CURRENT:
            self._active.cancel()
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
        network = network.copy() if hasattr(network, "copy") else network   # the canvas uses it too
        images, labels = self._images, self._labels
        self._queue = deque(job for job in self._queue if job[0] != CURRENT)   # only the latest
        self._enqueue(CURRENT, name, lambda report, cancelled: curves_for_model(
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

        self._enqueue(path, name, measure)

    def clear(self):
        """Remove every curve and stop any measurement."""
        self._queue.clear()
        if self._active is not None:
            self._active.cancel()
        for entry in self._entries.values():
            entry.remove(self.shift_plot.getPlotItem(), self.rotation_plot.getPlotItem())
        self._entries.clear()
        self._results.clear()
        self._colours = itertools.cycle(SAVED_COLOURS)
        self._set_status("Cleared.")

    def shutdown(self, milliseconds=3000):
        """Stop the running measurement and wait for its thread (closing the window)."""
        self._queue.clear()
        if self._active is not None:
            self._active.cancel()
            self._active.handle.wait(milliseconds)

    @property
    def busy(self):
        return self._active is not None or bool(self._queue)

    def curves(self, key=CURRENT):
        """The InvarianceCurves drawn for key (CURRENT or a file path), or None."""
        return self._results.get(key)

    def legend_names(self):
        """The models in the legend, in order (without the chance entry)."""
        return [label.text for _, label in self.legend.items if label.text != CHANCE_NAME]

    # ----- jobs ------------------------------------------------------------------------------
    def _choose_model_file(self):
        path, _ = QFileDialog.getOpenFileName(self, "Add a saved model", "", "DigitLab models (*.npz);;All files (*)")
        if path:
            self.add_model_file(path)

    def _enqueue(self, key, name, fn):
        self._queue.append((key, name, fn))
        self._start_next()

    def _start_next(self):
        if self._active is not None or not self._queue:
            return
        key, name, fn = self._queue.popleft()
        worker = JobWorker(fn)
        worker.progress.connect(self._on_progress)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        handle = ThreadHandle(worker)
        _LIVE_JOBS.add(handle)
        handle.thread.finished.connect(lambda: _LIVE_JOBS.discard(handle))
        handle.thread.finished.connect(self._on_thread_finished)
        self._active = _Job(key, name, handle)
        self._set_status(f"Measuring {name}…")
        handle.start()

    def _on_progress(self, values):
        done, total = values
        if self._active is not None and not self._active.cancelled:
            self._set_status(f"Measuring {self._active.name}: {done} of {total} shifted or rotated copies…")

    def _on_done(self, curves):
        job = self._active
        if job is None or job.cancelled:   # cleared while it ran: its curves are not wanted
            return
        key, name = job.key, job.name
        entry = self._entries.get(key)
        if entry is None:
            colour = theme.BLUE if key == CURRENT else next(self._colours)
            entry = self._entries[key] = _ModelCurves(self.shift_plot.getPlotItem(), self.rotation_plot.getPlotItem(),
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

    def _on_failed(self, error):
        job = self._active
        if job is None or job.cancelled or isinstance(error, Cancelled):
            self._set_status(f"Stopped measuring {job.name if job else 'the model'}.")
            return
        message = describe_error(error)   # DigitLabError messages name the model or the file
        if job.name not in message:
            message = f"{job.name}: {message}"
        self._set_status(message, error=True)
        self.job_failed.emit(message)

    def _on_thread_finished(self):
        self._active = None
        self._start_next()

    def _set_status(self, text, error=False):
        self.status.setText(text)
        self.status.setStyleSheet(ERROR_STYLE if error else "")
