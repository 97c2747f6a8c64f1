"""What a lesson asks of the window (gui/lessons/player.py's host): do an action by its name,
point at a named part, tell when something happened, and measure the run shown.

    host = LessonHost(window)
    host.do(Command("pick_preset", ("cnn",), line))   # None, or a message for the learner
    host.point_at("loss_plot")                        # the highlight follows that widget
    host.event.connect(...)                           # "finished", "tested", "gradient_speed", ...
    facts = host.facts_job(remembered)()              # core.lessons.facts.run_facts (in a worker)

Actions go through window.actions (gui/shell/actions.py), with the lesson's text arguments made
into what each action takes (a setting's text read as the form reads it). Parts are found by
gui/shell/targets.py.
"""
from PyQt5.QtCore import QObject, pyqtSignal

from core.data.labels import task_labels
from core.data.splits import train_val_split, validation_count
from core.errors import ConfigError
from core.lessons.facts import RunFacts, run_facts
from core.settings.config import TrainConfig
from core.settings.fields import settings_by_name
from gui.lessons.highlight import Highlight
from gui.shell.targets import show_target


class LessonHost(QObject):
    event = pyqtSignal(str)

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.highlight = Highlight(window)
        self.diverged = False
        self.suggested_rate = None
        self.test_accuracy = None
        self._start_when_loaded = False
        self._start_when_ended = False
        self._gradient_dialogs = set()
        window.snapshot_received.connect(self._on_snapshot)
        window.run_finished.connect(self._on_run_finished)
        window.end_test.measured.connect(self._on_tested)
        window.end_test.failed.connect(lambda *_: self.event.emit("tested"))
        window.dataset_loaded.connect(self._on_loaded)
        window.tabs.draw_panel.predicted.connect(lambda *_: self.event.emit("drawing"))
        window.tabs.my_digits.changed.connect(lambda *_: self.event.emit("kept"))

    # ----- events ---------------------------------------------------------------------------------
    def _on_snapshot(self, snapshot):
        if snapshot.kind == "start":
            self.diverged, self.suggested_rate, self.test_accuracy = False, None, None
        elif snapshot.kind == "diverged":
            # the app pauses a diverging run with its banner: for a lesson that run has ended
            self.diverged, self.suggested_rate = True, snapshot.suggested_learning_rate
            self.event.emit("finished")

    def _on_run_finished(self, _reason):
        if self._start_when_ended:
            # a run was still going (or stopping) when the lesson said Run: its end is not the
            # end the lesson waits for; the lesson's run starts now
            self._start_when_ended = False
            self.window.actions.trigger("start")
            return
        self.event.emit("finished")

    def _on_tested(self, _text, accuracy=None):
        self.test_accuracy = accuracy
        self.event.emit("tested")

    def _on_loaded(self, _dataset):
        if self._start_when_loaded:
            self._start_when_loaded = False
            self.window.actions.trigger("start")
        self.event.emit("loaded")

    @property
    def loading(self):
        """True while data a step asked for is still loading (a check must wait for it)."""
        return self.window.data.loading

    # ----- actions --------------------------------------------------------------------------------
    def do(self, command):
        """Do one lesson command; returns None, or a sentence for the learner when it could not."""
        window, args = self.window, command.args
        try:
            if command.action == "load_data":
                return self._load(args[0])
            if command.action == "start" and window.data.loading:
                self._start_when_loaded = True   # the data a step asked for is still loading
                return None
            if command.action == "start" and window.is_training:
                self._start_when_ended = True
                window.actions.trigger("stop")
                return None
            if command.action == "start" and window.dataset is None:
                return "Load the data first (left panel, Data), then press Run again."
            if command.action == "set_setting":
                field = settings_by_name(TrainConfig)[args[0]]
                window.actions.trigger("set_setting", args[0], field.from_text(args[1]))
            elif command.action in ("open_neuron_card", "keep_drawing"):
                window.actions.trigger(command.action, *(int(a) for a in args))
            else:
                result = window.actions.trigger(command.action, *args)
                if command.action == "gradient_speed" and result is not None:
                    self._watch_gradient(result)
                if command.action == "start" and not window.is_training:
                    return "The run did not start (the message box says why); change the settings and press Run again."
        except (ConfigError, KeyError, ValueError) as error:
            return f"Could not {command.action.replace('_', ' ')} {' '.join(args)}: {error}"
        return None

    def _load(self, kind):
        window = self.window
        loaded = window.dataset is not None and getattr(window.dataset, "name", "") == kind
        if loaded or window.data.loading:
            return None
        box = window.actions.trigger("load_data", kind)
        if box is not None:   # no MNIST on this computer: the Data panel says what to do
            return ("MNIST is not on this computer yet: the Data panel on the left offers to download it "
                    "or to pick its folder. Then go on with the lesson.")
        return None

    def _watch_gradient(self, dialog):
        if dialog not in self._gradient_dialogs:
            self._gradient_dialogs.add(dialog)
            dialog.measured.connect(lambda _result: self.event.emit("gradient_speed"))

    def point_at(self, name):
        """Highlight the part called ``name`` (its tab brought to the front), or nothing."""
        self.highlight.follow(show_target(self.window, name) if name else None)

    # ----- measuring ------------------------------------------------------------------------------
    def facts_job(self, remembered):
        """A function computing the facts of the run shown; the window's parts are read now (on the
        GUI thread), the network copied, so it may run in a worker while the window goes on.

        The data's facts (training and validation counts, the majority share) are of the set-up the
        form holds now, the one the lesson set up and asks about; the run's facts (its history, and
        its network measured on the validation set it was trained with) are of the run shown."""
        window = self.window
        state, dataset = window.state, window.dataset
        start = state.start
        gradient = getattr(window.gradient_dialog, "result", None) or {}
        planned = _form_config(window.form) if dataset is not None else None
        config = window.run_config or planned
        set_up = planned or (config if dataset is not None else None)
        n_train = None
        if set_up is not None:
            n_all = len(dataset.train_labels)
            n_train = n_all - validation_count(n_all, set_up.val_split)
            n_train = min(n_train, set_up.train_examples) if set_up.train_examples else n_train
        planned_images, planned_labels = (planned_validation(window.form, dataset) if planned is not None
                                          else (None, None))
        val_images, val_labels = (start.val_images, start.val_labels) if start is not None else (None, None)
        if start is None:   # no run yet: the validation set the form would use
            val_images, val_labels = planned_images, planned_labels
        run = RunFacts(
            history={key: list(values) for key, values in (state.history or {}).items()},
            network=state.network.copy() if state.network is not None else None, config=config,
            val_images=val_images, val_labels=val_labels, planned_labels=planned_labels, n_train=n_train,
            diverged=self.diverged, suggested_rate=self.suggested_rate, test_accuracy=self.test_accuracy,
            gradient=dict(gradient), drawn=window.tabs.draw_panel.last_probabilities,
            kept_digits=len(window.tabs.my_digits.store), remembered=dict(remembered))
        return lambda: run_facts(run)


def _form_config(form):
    try:
        return form.config()
    except ConfigError:
        return None


def planned_validation(form, dataset):
    """(images (n, H, W) uint8, task labels (n,)) the form's settings would validate on, or
    (None, None) when the form does not hold usable settings."""
    config = _form_config(form)
    if config is None:
        return None, None
    _, val_idx = train_val_split(len(dataset.train_labels), config.val_split, config.seed)
    return dataset.train_images[val_idx], task_labels(dataset.train_labels[val_idx], config.positive_class)
