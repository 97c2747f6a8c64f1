"""The window's My drawings controller: opens the My drawings window (gui/my_drawings/window.py)
and answers its two buttons, given the window's services and two callables of the window.

  - "Train on these drawings": the project becomes the loaded data (a fifth of each class held
    out as the test set), and a run starts with core.settings.drawings' set-up from scratch or from the digit
    model's convolution layers (frozen or fine-tuned: core.files.transfer). Every view of the
    window then follows it: curves, confusion matrix and misclassified gallery with the project's
    class names, weights, feature maps, neuron cards, the Map, and the Draw tab's probabilities
    over the project's classes.
  - "Race: transfer vs scratch…": the race window (gui/training/race_window.py) with B the chosen
    start and A one of the other two, on identical batches of the drawings.

In a race every start has the same network shape (the digit model's conv layers and a new dense
head), so it compares only where the weights start.

The window's line says what happens to a run it started: "Training on 30 drawings…", then, when
the shell reports the run's end (``run_ended``) and its test accuracy (``run_measured``), that it
ended and how it did.
"""
import dataclasses

from PyQt5 import sip
from PyQt5.QtCore import QObject, pyqtSignal

from core.data.splits import validation_count
from core.errors import DigitLabError
from core.files.transfer import transfer_from_model
from core.settings.drawings import drawn_classes_config
from core.storage.resources import DEFAULT_MODEL_PATH
from gui.ground.errors import describe_error, show_info
from gui.ground.threads import JobWorker, ThreadHandle
from gui.my_drawings.parts import TRANSFER_CHOICES
from gui.my_drawings.window import NO_PROJECT, MyDrawingsWindow

TITLES = dict(TRANSFER_CHOICES)
# a fifth of the training drawings validate (the set-up's tenth is 8 of 80: a class could have none)
TRAIN_CHANGES = dict(val_split=0.2)
# a race is about learning from few examples: half the drawings train, half validate, and 30
# epochs keep the start (where the racers differ) wide on the plots
RACE_CHANGES = dict(val_split=0.5, epochs=30)


def drawings_setup(dataset, choice, same_shape=False, model_path=DEFAULT_MODEL_PATH, **changes):
    """(TrainConfig, network or None) for ``choice`` on ``dataset``: 'scratch' (new weights of the
    drawn-classes set-up, core.settings.drawings), 'frozen' or 'fine-tuned' (the model's conv layers
    and a new dense head: core.files.transfer), with a batch no larger than the drawings trained on.
    same_shape: scratch gets the transferred network's shape too (a race compares only where the
    weights start). changes: TrainConfig fields. ModelFileError / ConfigError (one sentence) when
    the model cannot be used."""
    n_train = len(dataset.train_labels)
    base = drawn_classes_config(dataset.n_classes, **changes)
    n_val = validation_count(n_train, base.val_split)
    if n_val == 0:   # a fifth of a handful rounds to none: one drawing validates (a curve, a matrix)
        base, n_val = dataclasses.replace(base, val_split=1.0 / n_train), 1
    base = dataclasses.replace(base, batch_size=max(1, min(base.batch_size, n_train - n_val)))
    if choice == "scratch" and not same_shape:
        return base, None
    network, config = transfer_from_model(model_path, dataset.n_classes, base, freeze=choice == "frozen")
    return config, (None if choice == "scratch" else network)


class MyDrawingsController(QObject):
    started = pyqtSignal(object)        # the TrainConfig of a run started on the project
    race_opened = pyqtSignal(object)    # the race window, once the project is read

    """services: gui.ground.window_services.WindowServices; use_dataset(dataset, notice): make a
    Dataset the window's data (MainWindow.set_dataset); show_tab(title): bring a tab forward;
    parts: gui.my_drawings.parts.Parts (canvas, gallery, race window: other features' widgets)."""

    def __init__(self, services, use_dataset, show_tab, parts, root=None, show_config=None):
        """show_config(config): put a run's settings in the settings form (the left panel then
        says what is being trained); None leaves the form alone."""
        super().__init__(services.parent)
        self.services, self.use_dataset, self.show_tab, self.root = services, use_dataset, show_tab, root
        self.parts, self.show_config = parts, show_config
        self.window = self.race_window = self.handle = None
        self.run_data = None       # the Dataset of the run this controller started (its line follows it)
        self.ended_line = ""       # what the window's line said when that run ended

    def open(self):
        """The My drawings window (made once, raised after)."""
        if self.window is None:
            self.window = MyDrawingsWindow(self.parts, self.services.parent, self.root)
            self.window.train_requested.connect(self.train)
            self.window.race_requested.connect(self.race)
        self.window.show()
        self.window.raise_()
        return self.window

    def _prepare(self, title, make_setups, then):
        """Read the project and build the set-ups in a worker (a few hundred PNGs and the digit
        model's file: 20-200 ms), then then(dataset, setups) on the GUI thread. False (after
        saying why) when it cannot start: a run going, no project, a class short of drawings."""
        window = self.open()
        if self.services.is_training():
            show_info(window, title, "Stop the current run first.")
            return False
        problem = NO_PROJECT if window.project is None else window.project.readiness(window.galleries.counts)
        if problem:
            window.say(problem, error=True, title=title)
            return False
        if self.handle is not None and self.handle.running:
            return False   # the previous request is still being read
        project = window.project

        def work(report, cancelled):
            dataset = project.as_dataset()
            return dataset, make_setups(dataset)
        worker = JobWorker(work)
        worker.done.connect(lambda result: then(*result))
        worker.failed.connect(lambda error: sip.isdeleted(window) or window.say(describe_error(error), error=True,
                                                                                 title=title))
        self.handle = ThreadHandle(worker).start()
        window.say(f"Reading {len(project)} drawings…")
        return True

    def train(self, choice=None):
        """Load the project as the data and start a run (``started`` says when); False if refused."""
        choice = choice or self.open().transfer_choice
        return self._prepare("Cannot train yet", lambda dataset: drawings_setup(dataset, choice, **TRAIN_CHANGES),
                             lambda dataset, setup: self._start(dataset, choice, *setup))

    def _start(self, dataset, choice, config, network):
        if self.services.is_training():   # a run was started while the drawings were read
            show_info(self.window, "Cannot train yet", "Stop the current run first.")
            return
        self.use_dataset(dataset, None)
        self.run_data, self.ended_line = dataset, ""
        if self.show_config is not None:
            self.show_config(config)
        self.services.start_training(config=config, network=network)
        self.show_tab("Training")
        self.window.say(f"Training on {len(dataset.train_labels)} drawings, {TITLES[choice].lower()}: the main "
                        f"window shows the run.")
        self.services.show_status(f"Training on {dataset.name} ({len(dataset.train_labels)} drawings, "
                                  f"{dataset.n_classes} classes), {TITLES[choice].lower()}.")
        self.started.emit(config)

    def _is_own_run(self):
        """The run that ended trained on the drawings this controller loaded (not on data loaded since)."""
        return self.window is not None and self.run_data is not None and self.services.dataset() is self.run_data

    def run_ended(self, reason, message=""):
        """The window's run ended (reason: 'finished', 'stopped', 'diverged' or 'failed'; message:
        its end message): the line says so, for a run on the drawings."""
        if not self._is_own_run():
            return
        n = len(self.run_data.train_labels)
        said = message or ("It failed: the main window says why." if reason == "failed" else "")
        self.ended_line = f"The run on {n} drawings has ended. {said}".strip()
        if reason == "finished":
            self.window.say(f"{self.ended_line} Measuring its test accuracy…")
        else:
            self.window.say(self.ended_line)

    def run_measured(self, text):
        """The finished run's test accuracy (the window's end-of-run test) after its end line."""
        if self._is_own_run() and self.ended_line:
            self.window.say(f"{self.ended_line} {text} Try the model on the main window's Draw tab.")

    def race(self, choice=None):
        """The race window (``race_opened`` gives it): B = ``choice``, A = either other start;
        False if refused."""
        choice = choice or self.open().transfer_choice
        return self._prepare("Cannot race yet", lambda dataset: {key: drawings_setup(
            dataset, key, same_shape=True, **RACE_CHANGES) for key, _ in TRANSFER_CHOICES},
            lambda dataset, setups: self._open_race(dataset, choice, setups))

    def _open_race(self, dataset, choice, setups):
        others = [(TITLES[key], *setups[key]) for key, _ in TRANSFER_CHOICES if key != choice]
        if self.race_window is not None:
            self.race_window.close()
        config_b, network_b = setups[choice]
        self.race_window = self.parts.race_window(config_b, dataset, self.services.parent, choices=others,
                                                  setup_b=(TITLES[choice], network_b))
        self.race_window.setWindowTitle(f"Race on {dataset.name}: where the weights start")
        self.race_window.show()
        self.window.say("The race window is open: press Start race.")
        self.race_opened.emit(self.race_window)

    def fit_small_data(self, dataset):
        """A folder of images was loaded (Data > Images from a folder): when the form's settings
        cannot train on it (a batch or a validation count meant for MNIST's 60,000), the form gets
        the drawn-classes set-up, as `train --images` without --preset, and the status line says
        so. Returns that config, or None when the form's settings fit."""
        n_train = len(dataset.train_labels)
        try:
            config = self.services.form_config()
            fits = config.batch_size <= n_train - validation_count(n_train, config.val_split)
        except DigitLabError:
            fits = False
        if fits or self.show_config is None:
            return None
        config, _ = drawings_setup(dataset, "scratch", **TRAIN_CHANGES)
        self.show_config(config)
        self.services.show_status(f"The settings form now holds the set-up for drawn classes (a small CNN, batch "
                                  f"{config.batch_size}, {config.epochs} epochs): the previous settings were made "
                                  f"for far more than {n_train} images.")
        return config

    def shutdown(self):
        if self.handle is not None:
            self.handle.wait(5000)
        for window in (self.race_window, self.window):
            if window is not None:
                window.close()
