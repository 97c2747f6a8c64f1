"""Show one epoch checkpoint of a run in every view: the weights, the confusion matrix, the report,
the misclassified gallery and the canvas's answer. Used by "Open" and by the rewind slider.

A checkpoint is loaded and evaluated on the loaded data's validation split (the split the run
itself validated on: its config's val_split and seed) in a worker thread; the GUI thread only
hands the result to the window's RedrawScheduler (show_network / show_evaluation) and the draw
panel (set_model). Requests arrive faster than a slider can be evaluated: only the latest one
is shown; one job runs at a time and the newest waiting request follows it.
"""
from dataclasses import dataclass
from typing import Optional

from PyQt5.QtCore import QObject, pyqtSignal

from core.data.normalise import to_float
from core.files.model_io import load_model
from core.settings.config import TrainConfig
from core.evaluation.evaluate import evaluate_inputs
from gui.ground import model_files
from gui.ground.errors import describe_error
from gui.ground.threads import JobWorker, ThreadHandle


@dataclass
class CheckpointResult:
    """What the worker hands back. info: StartSnapshot of the validation split (None when no
    data fits); confusion (n_classes, n_classes); predictions (n_val,)."""
    run_id: str
    epoch: int
    network: object
    metadata: dict
    info: object = None
    accuracy: Optional[float] = None
    confusion: object = None
    predictions: object = None
    problem: Optional[str] = None   # why there is no evaluation (no data loaded, other images)


class ValidationSplitCache:
    """The validation inputs of the last split used, so moving the slider does not split and
    convert the whole dataset again for every epoch. Touched by one worker at a time."""

    def __init__(self):
        self.key = self.value = None

    def evaluate(self, network, metadata, dataset):
        """(info, accuracy, confusion, predictions) of network on dataset's validation split."""
        config = TrainConfig.from_dict(metadata.get("config") or {})
        key = (id(dataset), config.val_split, config.seed, tuple(config.image_size),
               int(metadata.get("positive_class", config.positive_class)), config.normalisation, network.dtype)
        if key != self.key:
            info, _, accuracy, confusion, predictions = model_files.evaluate_loaded(network, metadata, dataset)
            inputs = to_float(info.val_images.reshape(len(info.val_images), -1), config.normalisation, network.dtype)
            self.key, self.value = key, (info, inputs, max(1, len(dataset.train_labels) - len(inputs)))
            return info, accuracy, confusion, predictions
        info, inputs, n_train = self.value
        _, accuracy, confusion, predictions = evaluate_inputs(network, inputs, info.val_labels,
                                                              len(info.class_names), config.l2, n_train)
        return info, accuracy, confusion, predictions


def load_and_evaluate(run_id, epoch, path, dataset, cache):
    """Worker-thread work: a CheckpointResult (ModelFileError if the file is unreadable)."""
    network, metadata = load_model(path)
    result = CheckpointResult(run_id, epoch, network, metadata)
    wanted = metadata.get("dataset", "")
    if dataset is None:
        result.problem = f"load {wanted or 'its data'} to see how this epoch does on validation"
    elif wanted and dataset.name != wanted:
        result.problem = f"it was trained on {wanted}, but {dataset.name} is loaded"
    else:
        try:
            result.info, result.accuracy, result.confusion, result.predictions = cache.evaluate(
                network, metadata, dataset)
        except Exception as error:   # ModelFileError: the loaded data does not fit this model
            result.problem = describe_error(error)
    return result


class CheckpointShower(QObject):
    """Loads, evaluates and shows checkpoints in ``window``'s views (see the module doc)."""

    shown = pyqtSignal(object)    # the CheckpointResult now on screen
    failed = pyqtSignal(str)      # a sentence for the user

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.cache = ValidationSplitCache()
        self.handle = None
        self.pending = None          # (run_id, epoch, path, name) waiting for the running job
        self.current = None          # the CheckpointResult on screen
        self.closed = False

    @property
    def busy(self):
        return self.handle is not None and self.handle.running

    def request(self, run_id, epoch, path, name):
        """Show epoch ``epoch`` of run ``run_id`` (checkpoint file ``path``; name for labels)."""
        self.pending = (run_id, epoch, path, name)
        if not self.busy:
            self._start_next()

    def _start_next(self):
        if self.pending is None or self.closed:
            return
        run_id, epoch, path, name = self.pending
        self.pending = None
        dataset, cache = self.window.dataset, self.cache
        worker = JobWorker(lambda report, cancelled: load_and_evaluate(run_id, epoch, path, dataset, cache))
        worker.done.connect(lambda result: self._show(result, name))
        worker.failed.connect(lambda error: self.failed.emit(describe_error(error)))
        self.handle = ThreadHandle(worker)
        # the next job once this thread has ended (never drop a running QThread's handle)
        self.handle.thread.finished.connect(self._start_next)
        self.handle.start()

    def _show(self, result, name):
        window = self.window
        if self.pending is not None or window.is_training or self.closed:
            return   # a newer request follows, or a run took over the views meanwhile
        label = f"run “{name}”, epoch {result.epoch}"
        image_shape = tuple(result.metadata["input_shape"])
        window.redraw.show_network(result.network, image_shape)
        if result.info is not None:
            window.show_loaded_model(result.network, result.info, name=label)
            window.state.network_epoch = result.epoch
            window.redraw.show_evaluation(result.confusion, result.predictions, result.info)
            text = f"{label}: validation accuracy {100 * result.accuracy:.2f}%"
        else:
            window.tabs.confusion.clear()
            window.tabs.report.setRowCount(0)
            window.tabs.gallery.clear()
            window.state.network = result.network
            text = f"{label}: no evaluation ({result.problem})"
        window.tabs.draw_panel.set_model(result.network, result.metadata, label)
        window.progress.state_label.setText(text)
        window.progress.state_label.setToolTip(text)
        self.current = result
        self.shown.emit(result)

    def close(self, milliseconds=10000):
        """The window is closing: show nothing more, join the running job."""
        self.closed = True
        self.pending = None
        return self.handle.wait(milliseconds) if self.handle is not None else True
