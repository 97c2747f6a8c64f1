"""The main window: settings panel on the left, live tabs in the centre, training in a thread.

The GUI thread only draws: snapshots arrive through a queued signal and are stored in a
RunState (cheap appends); a 30 Hz QTimer redraws only what changed, with the heavier views
(weight tiles, layer histogram) throttled to a few Hz so training keeps the GIL most of the time.
"""
import dataclasses
import math
import time

from PyQt5.QtCore import QByteArray, Qt, QTimer, pyqtSignal
from PyQt5.QtWidgets import (QFrame, QGroupBox, QHBoxLayout, QLabel, QMainWindow, QPushButton, QScrollArea,
                             QSplitter, QVBoxLayout, QWidget)

from core.training.config import TrainConfig
from core.data.datasets import load_dataset, resolve_data_dir
from core.errors import ConfigError
from core.training.trainers import make_trainer
from gui.shell import model_files
from gui.training.banner import DivergenceBanner
from gui.data.dataset_panel import DatasetPanel
from gui.data.download_dialog import DownloadDialog
from gui.shell.errors import describe_error, show_error, show_info
from gui.shell.gc_guard import collect_on_gui_thread
from gui.training.gradient_speed import GradientSpeedDialog
from gui.shell.menus import build_menus
from gui.training.progress_view import ProgressView
from gui.training.run_state import RunState
from gui.training.settings_form import SettingsForm
from gui.shell.settings_store import load_json, open_settings, save_json
from gui.views.invariance_view import validation_set
from gui.views.tabs import CentreTabs
from gui.training.worker import JobWorker, ThreadHandle, TrainingWorker

REDRAW_MS = 33            # ~30 Hz for curves and progress
CURVES_INTERVAL = 0.1     # seconds between curve / progress redraws (painting is the GUI's cost)
WEIGHTS_INTERVAL = 0.35   # seconds between weight-tile / histogram redraws (the costly views)
STATS_INTERVAL = 0.25


class MainWindow(QMainWindow):
    dataset_loaded = pyqtSignal(object)      # Dataset (tests and scripts wait on it)
    run_finished = pyqtSignal(str)           # EndSnapshot.reason, or 'failed'
    snapshot_received = pyqtSignal(object)   # every snapshot, after it is stored

    def __init__(self, parent=None, restore_settings=True):
        super().__init__(parent)
        collect_on_gui_thread()   # a training thread must never run Qt destructors (gc_guard.py)
        self.setWindowTitle("DigitLab — watch a neural network learn to read digits")
        self.resize(1400, 900)
        self.dataset = self.dataset_notice = None
        self.trainer = self.run = self.loader = None
        self._retired_runs = set()   # runs Reset let go of, kept alive until their thread ends
        self.gradient_dialog = None
        self.state = RunState()
        self.model_source = None     # (network, metadata, label) of what the views show when idle
        self._last_weights_draw = self._last_stats_draw = self._last_curves_draw = 0.0
        self._closed = False
        self._build()
        self.actions = build_menus(self)
        self.timer = QTimer(self)
        self.timer.setInterval(REDRAW_MS)
        self.timer.timeout.connect(self.redraw)
        self._update_buttons()
        if restore_settings:
            self.restore_settings()

    # ----- layout -----------------------------------------------------------------------
    def _build(self):
        self.dataset_panel = DatasetPanel()
        self.form = SettingsForm()
        self.progress = ProgressView()
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("startButton")
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        self.reset_button = QPushButton("Reset")
        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button, self.reset_button):
            buttons.addWidget(button)
        # Data and network settings scroll if the window is short; the run controls and the
        # progress are pinned below them, always visible.
        settings = QWidget()
        settings.setObjectName("leftPanel")
        settings_layout = QVBoxLayout(settings)
        settings_layout.setContentsMargins(10, 4, 10, 6)
        settings_layout.addWidget(_group("Data", self.dataset_panel))
        settings_layout.addWidget(_group("Network and training", self.form))
        settings_layout.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(settings)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        self.settings_scroll = scroll
        controls = QWidget()
        controls_layout = QVBoxLayout(controls)
        controls_layout.setContentsMargins(0, 0, 0, 0)
        controls_layout.addLayout(buttons)
        controls_layout.addWidget(self.form_error)
        controls_layout.addWidget(self.progress)
        self.run_box = _group("Run", controls)
        left = QWidget()
        left.setObjectName("leftPanel")
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.setSpacing(0)
        left_layout.addWidget(scroll, 1)
        run_holder = QWidget()
        run_holder.setObjectName("leftPanel")
        run_layout = QVBoxLayout(run_holder)
        run_layout.setContentsMargins(10, 0, 10 + scroll.verticalScrollBar().sizeHint().width(), 8)
        run_layout.addWidget(self.run_box)
        left_layout.addWidget(run_holder)
        # wide enough for the form: the panel never scrolls sideways or clips its fields
        left.setMinimumWidth(max(400, settings.minimumSizeHint().width() + scroll.verticalScrollBar().sizeHint().width() + 24))
        self.tabs = CentreTabs()
        self.banner = DivergenceBanner()
        centre = QWidget()
        centre_layout = QVBoxLayout(centre)
        centre_layout.setContentsMargins(4, 8, 8, 4)
        centre_layout.addWidget(self.banner)
        centre_layout.addWidget(self.tabs, 1)
        self.splitter = QSplitter(Qt.Horizontal)
        self.splitter.addWidget(left)
        self.splitter.setCollapsible(0, False)
        self.splitter.addWidget(centre)
        self.splitter.setStretchFactor(1, 1)
        self.splitter.setSizes([410, 990])
        self.setCentralWidget(self.splitter)
        self.statusBar().showMessage("Load data, choose settings, press Start (Ctrl+Return).")

        self.dataset_panel.load_requested.connect(self.request_dataset)
        self.dataset_panel.download_requested.connect(self.download_mnist)
        self.form.validity_changed.connect(self._on_validity)
        self.form.learning_rate_edited.connect(self._apply_learning_rate)
        self.form.advanced.gradient_speed_requested.connect(self.show_gradient_speed)
        self.start_button.clicked.connect(self.start_training)
        self.pause_button.clicked.connect(self.toggle_pause)
        self.stop_button.clicked.connect(self.stop_training)
        self.reset_button.clicked.connect(self.reset)
        self.banner.resume_requested.connect(self.resume_with_rate)
        self.banner.dismissed.connect(self.stop_training)
        self.tabs.confusion.cell_clicked.connect(self.show_cell_examples)
        self.tabs.show_all_button.clicked.connect(self.show_misclassified)
        self._selected_cell = None

    # ----- data ---------------------------------------------------------------------------
    def request_dataset(self, kind, folder=""):
        """Load a dataset in a worker thread; dataset_loaded fires when it is in."""
        if self.is_training or (self.loader and self.loader.running):
            return
        self.dataset_panel.set_busy(True, f"Loading {kind}…")
        worker = JobWorker(lambda report, cancelled: load_dataset(kind, folder or None))
        worker.done.connect(lambda result: self.set_dataset(*result))
        worker.failed.connect(lambda error: self._on_dataset_failed(error, folder))
        self.loader = ThreadHandle(worker).start()

    def _on_dataset_failed(self, error, source=""):
        self.dataset_panel.set_busy(False, "Loading failed; the previous data is still in use."
                                    if self.dataset else "No data loaded.")
        text = describe_error(error)
        if source and source not in text:   # say which file or folder, once
            text = f"{source}: {text}"
        show_error(self, "Could not load the data", text)

    def set_dataset(self, dataset, notice=None):
        """Use this Dataset from now on (the views show a glance at it)."""
        self.dataset, self.dataset_notice = dataset, notice
        self.dataset_panel.set_busy(False)
        self.dataset_panel.set_loaded(dataset, notice)
        self.tabs.data.set_dataset(dataset, notice)
        self.form.set_data_shape(dataset.image_shape, dataset.n_classes, len(dataset.train_labels))
        if notice:
            self.statusBar().showMessage(notice)
        self._update_buttons()
        self.dataset_loaded.emit(dataset)

    def download_mnist(self, folder):
        """Download into ``folder`` (the panel's field), else where the app looks for MNIST:
        $DIGITLAB_DATA, else $XDG_DATA_HOME/digitlab/mnist (core.data.datasets.resolve_data_dir)."""
        dialog = DownloadDialog(str(resolve_data_dir(folder or None)), self)
        dialog.downloaded.connect(lambda path: (self.dataset_panel.set_choice("mnist", path),
                                                self.request_dataset("mnist", path)))
        self._download = dialog.start()
        return dialog

    # ----- training -----------------------------------------------------------------------
    @property
    def is_training(self):
        return self.run is not None and self.run.running

    def start_training(self):
        if self.is_training:
            return
        if self.dataset is None:
            show_info(self, "No data", "Load a dataset first (left panel, Data).")
            return
        try:
            config = dataclasses.replace(self.form.config(), on_divergence="pause")
            config.snapshot_every = snapshot_interval(config, len(self.dataset.train_labels))
            if config.is_binary and config.positive_class >= self.dataset.n_classes:
                raise ConfigError(f"positive class {config.positive_class} is not a class of this dataset")
        except Exception as error:
            show_error(self, "Cannot start training", describe_error(error))
            return
        self.clear_views()
        self.state = RunState()
        self.banner.setVisible(False)
        self.run_config = config
        self.trainer = None
        self._pending_learning_rate = None
        dataset = self.dataset
        test = {}
        if (config.extra or {}).get("track_test") and len(dataset.test_labels):
            # a per-epoch test curve (the tutorials' train-and-test figure); make_trainer resizes
            test = {"test_images": dataset.test_images, "test_labels": dataset.test_labels}
        worker = TrainingWorker(make_trainer=lambda: make_trainer(config, dataset, **test))
        handle = self.run = ThreadHandle(worker)
        worker.ready.connect(self._if_current(handle, self._on_trainer_ready))
        worker.snapshot.connect(self._if_current(handle, self.on_snapshot))
        worker.failed.connect(self._if_current(handle, self._on_training_failed))
        handle.thread.finished.connect(lambda: self._on_run_thread_finished(handle))
        handle.start()
        self.timer.start()
        self.progress.state_label.setText("Preparing the data split…")
        self.statusBar().showMessage("Training… Space pauses, Esc stops.")
        self._update_buttons()

    def _if_current(self, handle, slot):
        """``slot``, but only while ``handle`` is the window's run: a run that Reset let go of
        may still be preparing its data, and its snapshots must not refill the cleared views.
        (The signals are queued, so a disconnect would not drop the ones already posted.)"""
        def call(*args):
            if self.run is handle:
                slot(*args)
        return call

    def _on_run_thread_finished(self, handle):
        self._retired_runs.discard(handle)
        if self.run is handle:
            self._on_run_finished()

    def _on_trainer_ready(self, trainer):
        """The worker built the trainer: apply what the user did meanwhile, fix the x range."""
        self.trainer = trainer
        if self._closed:   # closed while the run was being prepared: it is stopping already
            return
        if self._pending_learning_rate and trainer.uses_learning_rate:
            trainer.set_learning_rate(self._pending_learning_rate)
        self.tabs.training.set_step_range(trainer.total_steps)
        self.tabs.training.set_full_batch(not trainer.uses_learning_rate)
        self.progress.state_label.setText(f"Training {trainer.network.describe()}")
        self._update_buttons()

    def toggle_pause(self):
        if not self.is_training or self.trainer is None:
            return
        if self.trainer.is_paused:
            self.trainer.resume()
            self.banner.setVisible(False)
        else:
            self.trainer.pause()
        self._update_buttons()

    def stop_training(self):
        if self.is_training:
            self._stop_run()
        self.banner.setVisible(False)

    def _stop_run(self):
        """Ask the run to stop, without waiting: the trainer stops between batches (full-batch
        runs inside the next cost evaluation); a worker still building its trainer stops it
        before the first step. The run then ends with reason 'stopped' (run_finished)."""
        self.run.worker.request_stop()

    def resume_with_rate(self, rate):
        self.form.set_learning_rate(rate)
        self._apply_learning_rate(rate)
        if self.is_training and self.trainer is not None:
            self.trainer.resume()
        self._update_buttons()

    def _apply_learning_rate(self, rate):
        if self.is_training and self.trainer is None:
            self._pending_learning_rate = rate
        elif self.is_training:
            try:
                note = self.trainer.set_learning_rate(rate)
            except ConfigError as error:
                show_error(self, "Learning rate not changed", str(error))
                return
            if isinstance(note, str):   # full-batch trainers explain why there is no rate
                self.statusBar().showMessage(f"Learning rate not used: {note}.")
                return
            self.statusBar().showMessage(f"Learning rate set to {rate:g} (from the next batch on).")

    def reset(self):
        """Stop any run and clear every live view (the data stays loaded)."""
        if self.is_training:
            # Let the run go instead of joining it (it may still be preparing its data): it
            # stops by itself, its signals are ignored from now on (_if_current), and its
            # handle is kept until the thread ends (PyQt must not destroy a running QThread).
            self._stop_run()
            self._retired_runs.add(self.run)
            self.run = self.trainer = None
            self.timer.stop()
        self.state = RunState()
        self.model_source = None
        self.clear_views()
        self.progress.reset()
        self.progress.state_label.setText("Idle")
        self._update_buttons()

    def clear_views(self):
        tabs = self.tabs
        tabs.training.clear_data()
        tabs.weights.clear()
        tabs.layer_stats.clear()
        tabs.confusion.clear()
        tabs.gallery.clear()
        tabs.report.setRowCount(0)
        self._selected_cell = None

    def on_snapshot(self, snapshot):
        """Runs on the GUI thread for every snapshot: store it; the timer draws later."""
        changed = self.state.add(snapshot)
        if "network" in changed and self.tabs.has_draw_panel:
            self.tabs.draw_panel.set_model(self.state.network, self.current_metadata(),
                                           f"model being trained (epoch {self.state.network_epoch})")
        if "diverged" in changed:
            self.banner.show_divergence(snapshot)
            self._update_buttons()
        if "end" in changed:
            self.redraw(force=True)
        self.snapshot_received.emit(snapshot)

    def _on_training_failed(self, message):
        show_error(self, "Training stopped with an error", message)
        self.run_finished.emit("failed")

    def _on_run_finished(self):
        self.timer.stop()
        self.redraw(force=True)
        end = self.state.end
        if end is not None:
            self.progress.state_label.setText(end.message)
            self.progress.state_label.setToolTip(end.message)   # long messages are cut in the panel
            self.statusBar().showMessage(end.message)
        self._update_buttons()
        if end is not None:
            self.run_finished.emit(end.reason)

    def current_metadata(self, network=None):
        return model_files.metadata_for(network or self.state.network, self.trainer, self.dataset,
                                        self.state.history)

    # ----- drawing ------------------------------------------------------------------------
    def redraw(self, force=False):
        """Timer slot: refresh only the views whose data changed since the last call."""
        if self._closed:
            return
        state, tabs, now = self.state, self.tabs, time.perf_counter()
        keys = {"epoch", "evaluation", "gallery", "end"}
        if force or now - self._last_curves_draw >= CURVES_INTERVAL:
            keys |= {"batch", "progress"}
        if force or now - self._last_weights_draw >= WEIGHTS_INTERVAL:
            keys.add("weights")
        if force or now - self._last_stats_draw >= STATS_INTERVAL:
            keys.add("stats")
        changed = state.take_dirty(keys)
        if not changed:
            return
        if changed & {"batch", "progress"}:
            self._last_curves_draw = now
        tabs.training.refresh(state, changed)
        if "progress" in changed and self.trainer is not None:
            trainer = self.trainer
            self.progress.update_from(state, trainer.total_steps, -(-trainer.total_steps // trainer.batches_per_epoch),
                                      uses_learning_rate=trainer.uses_learning_rate)
        if "weights" in changed and "evaluation" in changed and not force:
            state.dirty.add("weights")   # not in the same tick as the epoch's evaluation
        elif "weights" in changed and state.network is not None:
            self._last_weights_draw = now
            self.show_network(state.network, self.trainer.image_shape)
        if "stats" in changed and state.layer_stats:
            self._last_stats_draw = now
            tabs.layer_stats.set_stats(state.layer_stats, state.network)
        if "evaluation" in changed and state.last_epoch is not None:
            # spread the per-epoch work over two ticks: matrix + table now, gallery next time
            self.show_evaluation(state.last_epoch.val_confusion, state.last_epoch.val_predictions, self.trainer,
                                 gallery=force)
            if not force:
                state.dirty.add("gallery")
        elif "gallery" in changed:
            self._refresh_gallery()

    def show_network(self, network, image_shape):
        # A conv first layer shows its filters (C_out * C_in tiles of k x k) until the Weights tab
        # learns conv layers properly (issue 10); a dense one its units' weights as images.
        kind = ("filter" if network.first_layer_kind == "conv"
                else "output unit" if len(network.weights) == 1 else "hidden unit")
        self.tabs.weights.set_tiles(network.first_layer_images(image_shape), kind)
        # the histogram only when someone may look; it catches up when its tab is shown
        self.tabs.layer_stats.set_network(network, draw=self.tabs.currentWidget() is not self.tabs.training)

    def show_evaluation(self, confusion, predictions, trainer, gallery=True):
        self._eval = (predictions, trainer)
        self.tabs.confusion.set_confusion(confusion, trainer.class_names)
        self.tabs.report.set_confusion(confusion, trainer.class_names)
        if gallery:
            self._refresh_gallery()
        if self.state.network is not None:   # the invariance plot measures this model on demand
            self.tabs.invariance.set_current_model(self.state.network, self.current_metadata(),
                                                   *validation_set(trainer, self.dataset), name=self._model_name())

    def _model_name(self):
        """The invariance legend's name for the model the views show."""
        if self.model_source is not None and self.model_source[0] is self.state.network:
            return self.model_source[2].replace("loaded from file ", "")
        return f"current model (epoch {self.state.network_epoch})"

    def _refresh_gallery(self):
        if self._selected_cell is not None:
            self.show_cell_examples(*self._selected_cell)
        else:
            self.show_misclassified()

    def _val_images(self, trainer):
        return trainer.val_images.reshape(-1, *trainer.image_shape)

    def show_cell_examples(self, true_class, predicted_class):
        if getattr(self, "_eval", None) is None:
            return
        predictions, trainer = self._eval
        self._selected_cell = (true_class, predicted_class)
        self.tabs.gallery.show_cell(self._val_images(trainer), trainer.val_labels, predictions,
                                    trainer.class_names, true_class, predicted_class)

    def show_misclassified(self):
        if getattr(self, "_eval", None) is None:
            return
        predictions, trainer = self._eval
        self._selected_cell = None
        self.tabs.gallery.show_misclassified(self._val_images(trainer), trainer.val_labels, predictions,
                                             trainer.class_names)

    # ----- backprop against numerical gradients ---------------------------------------------
    def show_gradient_speed(self):
        """Training > Why backpropagation?: time both gradients for the form's network on a
        small batch of the loaded data (the built-in digits when none is loaded)."""
        try:
            config = self.form.config()
        except ConfigError as error:
            show_error(self, "Cannot measure these settings", str(error))
            return None
        if self.gradient_dialog is None:
            self.gradient_dialog = GradientSpeedDialog(self)
        dataset = self.dataset
        if dataset is None:
            from core.data.datasets import load_digits
            dataset = load_digits()
        self.gradient_dialog.start(config, dataset)
        self.gradient_dialog.show()
        self.gradient_dialog.raise_()
        return self.gradient_dialog

    # ----- buttons and settings -------------------------------------------------------------
    def _on_validity(self, ok, message):
        self.form_error.setText("" if ok else f"Cannot start: {message}")
        self.form_error.setVisible(not ok)
        self._update_buttons()

    def _update_buttons(self):
        training = self.is_training
        valid = not self.form.error()
        self.start_button.setEnabled(not training and valid and self.dataset is not None)
        self.start_button.setToolTip("" if valid else self.form.error())
        self.pause_button.setEnabled(training)
        self.pause_button.setText("Resume" if training and self.trainer and self.trainer.is_paused else "Pause")
        self.stop_button.setEnabled(training)
        self.form.set_training(training)
        self.dataset_panel.setEnabled(not training)

    def restore_settings(self):
        settings = open_settings()
        config = load_json(settings, "form/config")
        if config:
            try:
                self.form.set_config(TrainConfig.from_dict(config))
            except (TypeError, ValueError):
                pass   # settings from another version: keep the defaults
        preset = settings.value("form/preset", "")
        index = self.form.preset_combo.findData(preset)
        if index >= 0:
            self.form.preset_combo.blockSignals(True)
            self.form.preset_combo.setCurrentIndex(index)
            self.form.preset_combo.blockSignals(False)
            self.form._describe_preset()
        self.dataset_panel.set_choice(settings.value("data/kind", "mnist"), settings.value("data/folder", ""))
        for key, widget in (("window/geometry", self), ("window/splitter", self.splitter)):
            value = settings.value(key)
            if isinstance(value, QByteArray):
                (widget.restoreGeometry if widget is self else widget.restoreState)(value)
        self.tabs.setCurrentIndex(int(settings.value("window/tab", 0)))
        self.tabs.training.smoothing_slider.setValue(int(settings.value("plots/smoothing", 90)))

    def save_settings(self):
        settings = open_settings()
        try:
            save_json(settings, "form/config", self.form.config().to_dict())
        except ConfigError:
            pass   # never remember an invalid form
        settings.setValue("form/preset", self.form.preset_combo.currentData() or "")
        settings.setValue("data/kind", self.dataset_panel.kind)
        settings.setValue("data/folder", self.dataset_panel.folder_edit.text())
        settings.setValue("window/geometry", self.saveGeometry())
        settings.setValue("window/splitter", self.splitter.saveState())
        settings.setValue("window/tab", self.tabs.currentIndex())
        settings.setValue("plots/smoothing", self.tabs.training.smoothing_slider.value())
        settings.sync()

    def closeEvent(self, event):
        """Stop the run and join its thread before the window goes (no dangling QThread), and
        stop every timer: nothing may redraw a plot once the window (and its pyqtgraph items)
        is being torn down."""
        self._closed = True
        self.timer.stop()
        if self.tabs.has_draw_panel:
            self.tabs.draw_panel._timer.stop()
        runs = [handle for handle in (self.run, *self._retired_runs) if handle is not None and handle.running]
        for handle in runs:   # ask every run to stop first, then join them: each ends quickly
            handle.worker.request_stop()
        for handle in runs:
            handle.wait(3000)
        if self.loader is not None:
            self.loader.wait(5000)
        if self.gradient_dialog is not None:
            self.gradient_dialog.wait(10000)
        self.tabs.invariance.shutdown()
        download = getattr(self, "_download", None)
        if download is not None and download.handle.running:
            download.cancel()
            download.wait(3000)
        self.save_settings()
        super().closeEvent(event)


def snapshot_interval(config, n_examples):
    """Batches between snapshots: the trainer's default (20) on big data, but about ten points
    per epoch on small sets, so a 1,300-image run does not show a single dot."""
    n_val = config.val_split if config.val_split > 1 else round(config.val_split * n_examples)
    batches = max(1, math.ceil(max(1, n_examples - n_val) / config.batch_size))
    return int(min(config.snapshot_every, max(1, batches // 10)))


def _group(title, widget):
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 6, 8, 8)
    layout.addWidget(widget)
    return box
