"""The main window: settings panel on the left, live tabs in the centre. It only assembles the
window and connects its parts:

  gui.training.training_controller.TrainingController  start / pause / stop / learning rate of the run's process
  gui.views.redraw_scheduler.RedrawScheduler  the ~30 Hz redraw of what changed
  gui.shell.file_actions                      save / open a model, exports (File menu)
  gui.data.data_loader.DataLoader             loading data; what to do when a folder has no MNIST

Snapshots arrive through a queued signal and are stored in a RunState (cheap appends); the
scheduler draws them later. The GUI thread only draws.

Over 300 lines: it connects many parts; new behaviour goes into small controllers that the window
creates with one line (e.g. gui.my_digits.controller.MyDigitsController), not into methods here.
"""
import dataclasses

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtGui import QPainter
from PyQt5.QtWidgets import QLabel, QMainWindow, QSizePolicy, QSplitter, QStatusBar, QVBoxLayout, QWidget

from core.errors import ConfigError
from core.training_process.job import RunJob
from gui.data.data_loader import DataLoader
from gui.inspect.inspect_controller import InspectController
from gui.my_digits.controller import MyDigitsController
from gui.runs.experiments_controller import ExperimentsController
from gui.runs.film_export import FilmExporter
from gui.shell import window_settings
from gui.ground import model_files
from gui.ground.crash_log import where_logged
from gui.ground.errors import describe_error, show_error, show_info
from gui.ground.screen_fit import fit_to_screen
from gui.ground.window_services import ShownModel, WindowServices
from gui.shell.gc_guard import collect_on_gui_thread
from gui.ground.wheel_guard import install_wheel_guard
from gui.lessons.lessons_dock import LessonsDock
from gui.shell.left_panel import LeftPanel
from gui.shell.my_drawings_parts import my_drawings_controller
from gui.shell.lesson_host import LessonHost
from gui.shell.left_panel_toggle import LeftPanelToggle
from gui.shell.actions import ACTION_DESCRIPTIONS, AppActions
from gui.shell.explain.popup import Explainer
from gui.training.banner import DivergenceBanner
from gui.training.race_launcher import RaceLauncher
from gui.training.gradient_speed import show_gradient_speed
from gui.inspect.step_through_controller import StepThroughController
from gui.training.training_controller import TrainingController, snapshot_interval
from gui.training.end_of_run_test import EndOfRunTest
from gui.training.run_state import RunState
from gui.views.feature_maps_controller import FeatureMapsController
from gui.views.invariance_view import follow_window_model
from gui.views.redraw_scheduler import RedrawScheduler
from gui.runs.run_records_controller import RunRecordsController
from gui.runs.report_export import ReportExporter
from gui.runs.experiment_files import ExperimentFiles
from gui.shell.tabs import CentreTabs
from gui.shell.view_exports import ContextMenus


class FittingStatusBar(QStatusBar):
    """A status bar whose passing message, too long for its width, is drawn cut with '…' (Qt cuts it
    mid-word at the edge); currentMessage() keeps all of it, and so does the tooltip."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.messageChanged.connect(lambda text: self.setToolTip(text or ""))

    def paintEvent(self, event):
        message = self.currentMessage()
        if not message:
            return super().paintEvent(event)
        painter = QPainter(self)   # as QStatusBar draws it: 6 px in from each side, one line
        painter.setPen(self.palette().windowText().color())
        width = self.width() - 12 - 16   # the size grip's corner
        painter.drawText(6, 0, width, self.height(), Qt.AlignLeading | Qt.AlignVCenter | Qt.TextSingleLine,
                         self.fontMetrics().elidedText(message, Qt.ElideRight, width))

    def shown_message(self):
        """The message as drawn (cut to fit), for tests."""
        return self.fontMetrics().elidedText(self.currentMessage(), Qt.ElideRight, self.width() - 28)


class MainWindow(QMainWindow):
    dataset_loaded = pyqtSignal(object)      # Dataset (tests and scripts wait on it)
    run_finished = pyqtSignal(str)           # EndSnapshot.reason, or 'failed'
    snapshot_received = pyqtSignal(object)   # every snapshot, after it is stored
    views_cleared = pyqtSignal()             # Reset cleared every live view (the run is let go of)
    PREFERRED_SIZE = (1400, 900)             # px: the window's size where the screen has room for it
    NO_DATA_STATUS = "Load data, choose settings, press Start (Ctrl+Return)."
    TRAINING_STATUS = "Training… Space pauses, Esc stops."
    PAUSED_STATUS = "Paused. Space resumes, Esc stops."

    def __init__(self, parent=None, restore_settings=True):
        super().__init__(parent)
        collect_on_gui_thread()   # a training thread must never run Qt destructors (gc_guard.py)
        self.setWindowTitle("DigitLab — watch a neural network learn to read digits")
        # 1400x900 where the screen has room; a smaller screen gets a maximised window (gui/ground/screen_fit.py)
        fit_to_screen(self, *self.PREFERRED_SIZE, maximise=True)
        self.dataset = self.gradient_dialog = None
        self.state = RunState()
        self.model_info = None       # StartSnapshot of the run (or loaded model) the views show
        self.loaded_model_name = None
        self.run_config = None
        self.run_preset = ""         # the preset the form held when the run started ("" for none)
        self._build()
        # what feature controllers may ask of the window (gui/ground/window_services.py)
        self.services = WindowServices(parent=self, dataset=lambda: self.dataset, shown_model=self.shown_model,
                                       is_training=lambda: self.is_training, start_training=self.start_training,
                                       form_config=self.form.config,
                                       show_status=lambda text: self.statusBar().showMessage(text))
        self.data = DataLoader(self.dataset_panel, self)
        self.data.loaded.connect(self.set_dataset)
        self.training = TrainingController(self)
        self.training.snapshot.connect(self.on_snapshot)
        self.training.failed.connect(self._on_training_failed)
        self.training.finished.connect(self._on_run_finished)
        self.redraw = RedrawScheduler(self.tabs, self.progress, self)
        self.redraw.invariance_hook = lambda source: follow_window_model(self.tabs.invariance, self, source)
        self.feature_maps = FeatureMapsController(self.services, self.tabs)   # the Feature maps tab
        self.tabs.confusion.cell_clicked.connect(self.redraw.show_cell_examples)
        self.tabs.show_all_button.clicked.connect(self.redraw.show_misclassified)
        self.run_records = RunRecordsController(self)   # Runs tab, recording, continue/fork, rewind (gui/runs)
        self.training.recording.connect(self.run_records.recording.record_started)   # the child made its record
        self.training.notice.connect(self.run_records.recording.notice)
        self.step_through = StepThroughController(self.services)   # Training > One update, step by step
        self.experiments = ExperimentsController(self.services, self.tabs, self.tabs.draw_panel,
                                                 self.snapshot_received)   # Runs > Compare, Calibration tab
        self.race = RaceLauncher(self.services)   # Runs > Race
        self.films = FilmExporter(self.services, self.run_records.panel.selected_run_ids,   # Runs > Export film
                                  lambda: self.run_records.recording.current_run_id)
        self.reports = ReportExporter(self.services, self.run_records.panel.selected_run_ids)   # File > Export report
        self.experiment_files = ExperimentFiles(   # File > Save experiment / Open experiment
            self.services, self.form.set_config, lambda config: self.my_digits.trainer_extras(config).get("my_digits"))
        self.end_test = EndOfRunTest(self)        # a finished run's test accuracy beside its preset's promise
        self.end_test.measured.connect(self._show_end_test)
        self.end_test.failed.connect(self._show_end_test)
        self.inspect = InspectController(self.services, self.tabs, self.snapshot_received)   # cards, the Map
        tabs = self.tabs
        self.my_digits = MyDigitsController(   # My digits curve, mixing, fine-tune, augmentation preview
            self.services, tabs.my_digits, tabs.data.augment_preview, self.form.augmentation,
            tabs.training.accuracy_plot, tabs.draw_panel, self.snapshot_received, self.views_cleared)
        self.my_drawings = my_drawings_controller(self)   # File > My drawings (gui/my_drawings)
        install_wheel_guard(self)   # a wheel over a combo in a scroll area scrolls it (wheel_guard.py)
        self.view_menus = ContextMenus(self)   # right-click a view: copy or save it as PNG/SVG (view_exports.py)
        self.actions = AppActions(self)   # every user action, named once: menus, shortcuts, buttons, tests
        self.lessons = LessonsDock(LessonHost(self), self)   # Help > Lessons (gui/lessons, gui/shell/lesson_host.py)
        self.addDockWidget(Qt.RightDockWidgetArea, self.lessons)
        self.explainer = Explainer(self)   # a ? button on every view, F1: "What am I looking at?" (gui/shell/explain)
        self._connect_buttons()
        self._update_buttons()
        if restore_settings:
            self.restore_settings()

    # ----- layout -----------------------------------------------------------------------
    def _build(self):
        left = self.left_panel = LeftPanel()
        # the left panel's parts the window wires, named here so a search finds them
        self.dataset_panel, self.form, self.form_error = left.dataset_panel, left.form, left.form_error
        self.progress, self.run_box, self.settings_scroll = left.progress, left.run_box, left.settings_scroll
        self.start_button, self.pause_button = left.start_button, left.pause_button
        self.stop_button, self.reset_button = left.stop_button, left.reset_button
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
        # a small screen gives the left panel only its minimum: the Draw tab needs the width
        left_width = 410 if self.width() >= 1400 else left.minimumWidth()
        self.splitter.setSizes([left_width, self.width() - left_width])
        self.setCentralWidget(self.splitter)
        # the Draw tab on a small screen takes the left panel's width too (gui/shell/left_panel_toggle.py)
        self.left_toggle = LeftPanelToggle(left, self.tabs, self.tabs.draw_page,
                                           lambda: self.width() >= self.PREFERRED_SIZE[0])
        # the status bar: a line saying what the run is doing, under every passing message (a menu's
        # status tip wipes a message; this line is then seen again); a message too long for the
        # bar is cut with "…", the whole of it in the bar's tooltip
        self.setStatusBar(FittingStatusBar())
        self.run_line = QLabel()
        self.run_line.setSizePolicy(QSizePolicy.Ignored, QSizePolicy.Preferred)   # never widens the window
        self.statusBar().addWidget(self.run_line, 1)
        self.say_status(self.NO_DATA_STATUS)

        self.dataset_panel.load_requested.connect(self.request_dataset)
        self.dataset_panel.download_requested.connect(self.download_mnist)
        self.form.validity_changed.connect(self._on_validity)
        self.form.learning_rate_edited.connect(self._apply_learning_rate)
        self.form.output_fitted.connect(self.statusBar().showMessage)   # also said under the preset
        self.form.advanced.gradient_speed_requested.connect(self.show_gradient_speed)
        self.banner.resume_requested.connect(self.resume_with_rate)
        self.banner.dismissed.connect(self.stop_training)

    def _connect_buttons(self):
        """The Run panel's buttons do the same named actions as the Training menu."""
        for button, name in ((self.start_button, "start"), (self.pause_button, "pause"),
                             (self.stop_button, "stop"), (self.reset_button, "reset")):
            button.clicked.connect(lambda _checked=False, name=name: self.actions.trigger(name))
            button.setToolTip(self.actions.table[name].description)

    # ----- data ---------------------------------------------------------------------------
    def request_dataset(self, kind, folder=""):
        """Load a dataset in a worker thread (dataset_loaded fires when it is in); returns the
        data panel's MissingMnistBox, shown in place, when the folder holds no MNIST."""
        if self.is_training:
            return None
        return self.data.request(kind, folder)

    def set_dataset(self, dataset, notice=None):
        """Use this Dataset from now on (the views show a glance at it)."""
        self.dataset = dataset
        self.training.prepare(dataset)   # in shared memory before Start, in the background
        self.dataset_panel.set_busy(False)
        self.data.has_data = True
        self.dataset_panel.set_loaded(dataset, notice)
        self.tabs.data.set_dataset(dataset, notice)
        self.form.set_data_shape(dataset.image_shape, dataset.n_classes, len(dataset.train_labels))
        ready = self._ready_status()
        current = self.statusBar().currentMessage()
        if notice:
            self.say_status(ready, notice)
        else:   # a message of its own (the output layer followed the data, ...) stays in front
            self.say_status(ready, None if current and current != self.NO_DATA_STATUS else ready)
        self._update_buttons()
        self.dataset_loaded.emit(dataset)

    def download_mnist(self, folder):
        return self.data.download(folder)

    # ----- training: the window asks the TrainingController --------------------------------------
    @property
    def is_training(self):
        return self.training.is_running

    def start_training(self, plan=None, config=None, network=None, my_digits=None):
        """Start a run with the form's settings, or continue / fork one (plan: a ContinuePlan), or
        fine-tune (config and network: gui/my_digits), or repeat an experiment (config, network and
        the digits it mixed in: gui/runs/experiment_files.py)."""
        if self.is_training:
            return
        if self.dataset is None:
            show_info(self, "No data", "Load a dataset first (left panel, Data).")
            return
        try:
            config = dataclasses.replace(plan.config if plan else config or self.form.config(), on_divergence="pause")
            config.snapshot_every = snapshot_interval(config, len(self.dataset.train_labels))
            if config.is_binary and config.positive_class >= self.dataset.n_classes:
                raise ConfigError(f"positive class {config.positive_class} is not a class of this dataset")
        except Exception as error:
            show_error(self, "Cannot start training", describe_error(error))
            return
        self._clear_run()
        self.progress.reset()   # no figure of the previous run may stay beside this one's
        self.run_config, dataset = config, self.dataset
        # the preset the form holds (a promise is about its settings; a continued run makes none)
        self.run_preset = self.form.held_preset() if plan is None and network is None else ""
        test = bool(config.track_test and len(dataset.test_labels))   # a per-epoch test curve
        # kept digits mixed in (my_digits_weight); an experiment brings its own
        extras = {"my_digits": my_digits} if my_digits is not None else self.my_digits.trainer_extras(config)
        job = RunJob(config, dataset, network=plan.network if plan else network, with_test=test,
                     my_digits=extras.get("my_digits"), plan=plan,
                     record_cap_bytes=self.run_records.recording.begin())
        try:
            self.training.start(job)   # in its own process (gui/training/training_controller.py)
        except (OSError, MemoryError) as error:   # no process or no shared memory to be had
            show_error(self, "Cannot start training", describe_error(error))
            return
        self.run_records.prefill(self.state, plan)   # a continued run's curves go on where they ended
        self.redraw.start(self.state)
        self.progress.state_label.setText("Preparing the data split…")
        self.say_status(self.TRAINING_STATUS)
        self._update_buttons()

    def toggle_pause(self):
        paused = self.training.toggle_pause()
        if not paused:
            self.banner.setVisible(False)
        if self.is_training:   # the status line and the Run box say what the run is doing now
            self.say_status(self.PAUSED_STATUS if paused else self.TRAINING_STATUS)
            self.progress.set_paused(paused)
        self._update_buttons()

    def stop_training(self):
        running = self.is_training
        self.training.stop()
        self.banner.setVisible(False)
        if running and self.is_training:   # it ends at its next batch (after an epoch's evaluation, if one is on)
            self.progress.state_label.setText("Stopping… the run ends after the batch it is on.")

    def resume_with_rate(self, rate):
        self.form.set_learning_rate(rate)
        self._apply_learning_rate(rate)
        self.training.resume()
        self.say_status(self.TRAINING_STATUS)
        self.progress.set_paused(False)
        self._update_buttons()

    def set_learning_rate(self, rate):
        """Put ``rate`` in the form and, during a run, apply it from the next batch."""
        self.form.set_learning_rate(rate)
        self._apply_learning_rate(rate)

    def _apply_learning_rate(self, rate):
        if not self.is_training:
            return
        try:
            note = self.training.set_learning_rate(rate)
        except ConfigError as error:
            show_error(self, "Learning rate not changed", str(error))
            return
        if note:   # full-batch trainers explain why there is no rate
            self.statusBar().showMessage(f"Learning rate not used: {note}.")
        else:
            self.statusBar().showMessage(f"Learning rate set to {rate:g} (from the next batch on).")

    def reset(self):
        """Stop any run and clear every live view (the data stays loaded). The run is let go of,
        not joined (it may still be preparing its data): it stops by itself."""
        self.training.let_go()
        self._clear_run()
        self.progress.reset()
        self.progress.state_label.setText("Idle")
        self.progress.state_label.setToolTip("")
        # the run's model is let go of: the Draw tab goes back to DigitLab's own model, and says so
        self.tabs.draw_panel.load_default_model()
        self.tabs.draw_panel.clear_temperature()   # fitted on the run's model, not on this one
        self.say_status(self._ready_status())
        self._update_buttons()
        self.views_cleared.emit()

    def _clear_run(self):
        self.redraw.stop()
        self.state = self.redraw.state = RunState()
        self.model_info = None
        self.banner.setVisible(False)
        self.clear_views()

    def clear_views(self):
        tabs = self.tabs
        tabs.training.clear_data()
        tabs.weights.clear()
        tabs.weights_pane.clear()   # cnngui
        tabs.layer_stats.clear()
        tabs.unit_list.clear()   # unit list (gui/inspect/unit_list.py)
        tabs.confusion.clear()
        tabs.gallery.clear()
        tabs.report.setRowCount(0)
        self.experiments.calibration.clear()   # its bars, counts and summary belong to the old model
        self.redraw.clear()

    def on_snapshot(self, snapshot):
        """Runs on the GUI thread for every snapshot: store it; the scheduler draws later."""
        changed = self.state.add(snapshot)
        if "start" in changed:
            self.model_info, self.loaded_model_name = snapshot, None
            self.tabs.training.set_step_range(snapshot.total_steps)
            self.tabs.training.set_full_batch(not snapshot.uses_learning_rate)
            self.progress.set_running(snapshot.network_description)
            if self.training.is_paused:   # paused before the run's first snapshot came
                self.progress.set_paused(True)
        if "network" in changed:   # the Draw tab names it as the Map does (shown_model)
            self.tabs.draw_panel.set_model(self.state.network, self.current_metadata(), self.state.network_label())
        if "diverged" in changed:
            self.banner.show_divergence(snapshot)
            self.say_status("Paused: the run diverged (see the banner above the tabs).")
            self.progress.set_paused(True, "the run diverged (see the banner above the tabs)")
            self._update_buttons()
        if "end" in changed:
            self.redraw.finish()   # everything still due, a view per turn of the event loop
        self.snapshot_received.emit(snapshot)

    def _on_training_failed(self, message, log_file):
        show_error(self, "Training stopped with an error", f"{message}\n\n{where_logged(log_file)}")
        self.run_finished.emit("failed")

    def _on_run_finished(self):
        self._update_buttons()   # the process has ended: Start is free at once
        # run_finished is said once every view shows the run's end (RedrawScheduler.finish)
        state = self.state
        self.redraw.finish(then=lambda: self._after_final_redraw(state))

    def _after_final_redraw(self, state):
        end, shown = state.end, state is self.state   # not shown: Reset or a new run came first
        if end is not None and shown:
            self.progress.state_label.setText(end.message)
            self.progress.state_label.setToolTip(end.message)   # long messages are cut in the panel
            self.say_status(end.message)
        if end is not None and end.reason == "finished" and state.start is not None and shown:
            self.end_test.measure(end.network or state.network, self.run_config, self.dataset,
                                  list(state.start.class_names), self.run_preset)
        self._update_buttons()
        if end is not None:
            self.run_finished.emit(end.reason)

    def _show_end_test(self, text, _accuracy=None):
        """The finished run's test accuracy (gui/training/end_of_run_test.py) after its end message."""
        if self.is_training:
            return   # a new run has started since: the figure belongs to the one before
        end = self.state.end
        message = f"{end.message} {text}" if end is not None else text
        self.progress.state_label.setText(message)
        self.progress.state_label.setToolTip(message)
        self.say_status(message)

    def show_loaded_model(self, network, info, name="loaded model"):
        """A model from a file is what the views show now (file_actions.open_model)."""
        self.model_info = info
        self.state.network = network
        self.loaded_model_name = name
        self.inspect.model_changed()

    def shown_model(self):
        """The ShownModel every view shows (the one being trained, or one opened). Once the run is
        over it is named as the Draw tab names it: 'last run's model (stopped, epoch 1)' (during
        the run None: the views say 'model being trained, epoch N')."""
        state = self.state
        ended = state.end is not None and state.network is not None
        name = self.loaded_model_name or (state.network_label() if ended else None)
        return ShownModel(state.network, self.model_info, state.network_epoch, name)

    def current_metadata(self, network=None):
        return model_files.metadata_for(network or self.state.network, self.model_info, self.dataset,
                                        self.state.history)

    def show_gradient_speed(self):
        """Training > Why backpropagation? (gui.training.gradient_speed)."""
        self.gradient_dialog = show_gradient_speed(self, self.gradient_dialog)
        return self.gradient_dialog

    # ----- status bar -----------------------------------------------------------------------
    def say_status(self, line, message=""):
        """What the app is doing now, kept in the status bar's line (seen again whenever a passing
        message goes, e.g. after a menu's tip); message: shown over it now ('' the line itself,
        None none)."""
        self.run_line.setText(self._fitted(line) if self.statusBar().isVisible() else line)
        self.run_line.setToolTip(line)
        if message is not None:
            self.statusBar().showMessage(message or line)

    def _ready_status(self):
        if self.dataset is None:
            return self.NO_DATA_STATUS
        return f"Data loaded ({self.dataset.name}): choose settings, press Start (Ctrl+Return)."

    def _fitted(self, text):
        return self.statusBar().fontMetrics().elidedText(text, Qt.ElideRight, max(100, self.statusBar().width() - 40))

    # ----- buttons and settings -------------------------------------------------------------
    def _on_validity(self, ok, message):
        self.form_error.setText("" if ok else f"Cannot start: {message}")
        self.form_error.setVisible(not ok)
        self._update_buttons()

    def _update_buttons(self):
        training = self.is_training
        valid = not self.form.error()
        self.start_button.setEnabled(not training and valid and self.dataset is not None)
        self.start_button.setToolTip(ACTION_DESCRIPTIONS["start"] if valid else self.form.error())
        self.pause_button.setEnabled(training)
        self.pause_button.setText("Resume" if self.training.is_paused else "Pause")
        self.stop_button.setEnabled(training)
        self.form.set_training(training)
        self.dataset_panel.setEnabled(not training)
        if hasattr(self, "actions"):   # the Training menu's entries as usable as their buttons
            self.actions.follow_buttons({"start": self.start_button, "pause": self.pause_button,
                                         "stop": self.stop_button})

    def restore_settings(self):
        """Put back the last session's settings; unusable stored values fall back to their defaults
        and the status bar says so once."""
        problems = window_settings.restore(self)
        if problems:
            self.statusBar().showMessage(f"Some remembered settings could not be read and were reset: "
                                         f"{', '.join(problems)}.")
        return problems

    def save_settings(self):
        window_settings.save(self)

    def closeEvent(self, event):
        """Stop every run and join its thread before the window goes (no dangling QThread), and
        stop every timer: nothing may redraw a plot once the window (and its pyqtgraph items)
        is being torn down."""
        self.redraw.close()
        self.tabs.invariance.shutdown()
        self.experiments.shutdown()
        self.race.shutdown()
        self.my_drawings.shutdown()
        self.films.close()
        self.reports.close()
        self.experiment_files.close()
        self.inspect.shutdown()
        self.lessons.player.shutdown()
        self.tabs.draw_panel._timer.stop()   # its pending prediction must not run after the close
        self.training.shutdown()
        self.end_test.wait(10000)
        self.data.wait(5000)
        if self.gradient_dialog is not None:
            self.gradient_dialog.wait(10000)
        self.save_settings()
        super().closeEvent(event)
