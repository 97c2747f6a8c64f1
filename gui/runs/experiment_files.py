"""File > Save experiment… and File > Open experiment…: a shareable experiment in the app
(core.files.experiment_io; the command line's `train --save-experiment` / `train --from`).

Save: the settings form's set-up on the loaded data, with the initial weights the run would
start from (built by the training process's own builder, so they are the weights Start would
use). Open: the form takes the experiment's settings and the run starts from its initial
weights; the status bar (and a dialog, when they differ) says whether the loaded data is the
experiment's, i.e. whether the run repeats it bit for bit.

Checksumming a dataset (~0.1 s for MNIST) and building a trainer run in a worker.
"""
import os

from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtWidgets import QFileDialog

from core.errors import ConfigError
from core.files.experiment_io import data_difference, default_name, load_experiment, make_experiment, save_experiment
from core.training_process.job import RunJob, build_trainer
from gui.ground.errors import describe_error, show_error, show_info
from gui.ground.threads import JobWorker, ThreadHandle
from gui.ground.save_paths import suggested_path

FILTER = "DigitLab experiments (*.npz);;All files (*)"


def write_experiment(path, config, dataset, my_digits):
    """Worker-thread work: the experiment of (config, dataset) written to path; returns path."""
    trainer = build_trainer(RunJob(config, dataset, my_digits=my_digits), dataset)
    save_experiment(path, make_experiment(config, dataset, trainer.network, trainer.image_shape,
                                          trainer.class_names, my_digits))
    return path


def read_experiment(path, dataset):
    """Worker-thread work: (experiment, how the data differs or None). ConfigError when the
    loaded data's images are another size (the network cannot read them)."""
    experiment = load_experiment(path)
    shape = tuple(experiment.dataset["image_shape"])
    if shape != tuple(dataset.image_shape):
        raise ConfigError(f"the experiment was made on {experiment.dataset['name']} ({shape[0]}x{shape[-1]} "
                          f"images) but {dataset.name} is loaded ({dataset.image_shape[0]}x{dataset.image_shape[-1]}); "
                          f"load {experiment.dataset['name']} first")
    return experiment, data_difference(experiment, dataset)


class ExperimentFiles(QObject):
    """services: WindowServices; fill_form(config): show a config in the settings form;
    my_digits(config): the kept digits a run of config mixes in, or None."""

    saved = pyqtSignal(str)                 # the file written
    opened = pyqtSignal(object, object)     # the Experiment started, how the data differs (None: same data)
    failed = pyqtSignal(str)                # a sentence for the user

    def __init__(self, services, fill_form, my_digits, parent=None):
        super().__init__(parent or services.parent)
        self.services, self.fill_form, self.my_digits = services, fill_form, my_digits
        self.handles = []      # ThreadHandles kept until their thread ends (a running QThread must not be freed)
        self.working = False   # from start until its result or failure arrives (the thread ends just after)

    def save(self, path=None):
        """The form's set-up as an experiment file at path (None: ask). Returns the ThreadHandle."""
        dataset = self.services.dataset()
        if dataset is None:
            show_info(self.services.parent, "No data", "Load a dataset first: an experiment names its data.")
            return None
        try:
            config = self.services.form_config()
        except Exception as error:   # ConfigError: the form's own message
            return self._fail("Cannot save the experiment", describe_error(error))
        if path is None:
            path, _ = QFileDialog.getSaveFileName(self.services.parent, "Save experiment",
                                                  suggested_path(default_name(config)), FILTER)
            if not path:
                return None
        if os.path.isdir(path):
            return self._fail("Cannot save the experiment", f"{path} is a folder; give a file name such as "
                                                            f"experiment.npz")
        digits = self.my_digits(config)
        return self._run(lambda: write_experiment(str(path), config, dataset, digits), self._saved,
                         "Cannot save the experiment", f"Saving the experiment to {path}…")

    def open(self, path=None):
        """Open an experiment file (None: ask) and train it on the loaded data."""
        if self.services.is_training():
            show_info(self.services.parent, "Training in progress", "Stop the current run before opening an "
                                                                     "experiment.")
            return None
        dataset = self.services.dataset()
        if dataset is None:
            show_info(self.services.parent, "No data", "Load the experiment's dataset first (left panel, Data).")
            return None
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.services.parent, "Open experiment", "", FILTER)
            if not path:
                return None
        return self._run(lambda: read_experiment(str(path), dataset), self._opened, "Cannot open the experiment",
                         f"Reading the experiment {path}…")

    def _run(self, work, done, title, status):
        if self.working:
            return self._fail(title, "An experiment is being read or saved; wait for it to finish.")
        worker = JobWorker(lambda report, cancelled: work())
        worker.done.connect(lambda result: self._finished(done, result))
        worker.failed.connect(lambda error: self._finished(lambda e: self._fail(title, describe_error(e)), error))
        self.services.show_status(status)
        self.working = True
        self.handles = [h for h in self.handles if h.running] + [ThreadHandle(worker).start()]
        return self.handles[-1]

    def _finished(self, then, value):
        self.working = False
        then(value)

    def _saved(self, path):
        self.services.show_status(f"Saved the experiment to {path}: File > Open experiment… (or python main.py "
                                  f"train --from {os.path.basename(path)}) repeats this run")
        self.saved.emit(path)

    def _opened(self, result):
        experiment, difference = result
        if self.services.is_training():   # a run started while the file was read
            self._fail("Cannot open the experiment", "Stop the current run before opening an experiment.")
            return
        self.fill_form(experiment.config)
        self.services.start_training(config=experiment.config, network=experiment.network,
                                     my_digits=experiment.my_digits)
        if difference:
            said = f"{difference[0].upper()}{difference[1:]}. The run will not repeat the experiment bit for bit."
            show_info(self.services.parent, "Different data", said)
        else:
            said = "Same data as the experiment (checksum matches): this run repeats it bit for bit."
        self.services.show_status(f"Experiment {experiment.describe()}. {said}")
        self.opened.emit(experiment, difference)

    def _fail(self, title, text):
        self.services.show_status(f"{title}: {text}")
        show_error(self.services.parent, title, text)
        self.failed.emit(text)
        return None

    def close(self, milliseconds=10000):
        return all([handle.wait(milliseconds) for handle in self.handles])
