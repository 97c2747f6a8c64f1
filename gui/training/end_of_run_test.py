"""At the end of a finished run, the test accuracy, measured on the test set, beside what the
preset promised ("test accuracy 98.9% (this preset promises about 99.2%)"), so a learner sees
whether the run kept the preset's word.

The validation curve is not the test figure a preset's description quotes, and a run records a
test curve only when asked (track_test), so the final network is evaluated here once, on the
whole test set prepared as the run's data was (image size, normalisation, one digit against the
rest), in a worker thread: a CNN on 10,000 images takes a second or two of a core.
"""
from PyQt5 import sip
from PyQt5.QtCore import QObject, pyqtSignal

from core.evaluation.evaluate import evaluate_network
from core.settings.presets import PRESETS, promised_test_accuracy
from core.training.trainers import prepare_dataset
from gui.ground.crash_log import note_if_unexpected
from gui.ground.errors import describe_error
from gui.ground.threads import JobWorker, ThreadHandle


def describe_result(accuracy, n_test, preset_name, dataset_name):
    """The sentence shown: the measured figure, and the promise when the preset made one (its
    figures are for MNIST, so only a run on MNIST is set beside them)."""
    text = f"Test accuracy {100 * accuracy:.1f}% on {n_test:,} test images"
    promise = promised_test_accuracy(preset_name) if dataset_name == "mnist" else None
    if promise is not None:
        text += f" (the preset '{PRESETS[preset_name].title}' promises about {100 * promise:.1f}%)"
    return text + "."


class EndOfRunTest(QObject):
    """measure(...) evaluates a finished run's network in a worker; measured(text, accuracy)
    reports the sentence to show (failed(text) if the evaluation raised)."""

    measured = pyqtSignal(str, float)
    failed = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.handle = None
        self.result = None   # (accuracy, n_test) of the last measurement

    def measure(self, network, config, dataset, class_names, preset_name=""):
        """Start measuring ``network`` (trained with ``config`` on ``dataset``) on the test set;
        does nothing (returns False) without a network or test images."""
        if network is None or dataset is None or not len(dataset.test_labels):
            return False

        def evaluate(_report, _cancelled):
            data = prepare_dataset(config, dataset)   # resized as the run's data was
            # read as the saved model will be (its test-time turns: core.drawing.test_time)
            result = evaluate_network(network, data.test_images, data.test_labels, class_names,
                                      config.normalisation, config.positive_class,
                                      metadata={"config": config.to_dict(),
                                                "input_shape": list(data.test_images.shape[1:])})
            return result["accuracy"], result["n"]

        worker = JobWorker(evaluate)
        # lambdas are not disconnected when Qt deletes this object (a window garbage-collected
        # without closing): each checks first that it is still there
        worker.done.connect(lambda result: sip.isdeleted(self) or self._done(result, preset_name, dataset.name))
        worker.failed.connect(lambda error: sip.isdeleted(self) or self.failed.emit(
            "Could not measure the test accuracy: " + describe_error(error) + note_if_unexpected(error, "test accuracy")))
        self.handle = ThreadHandle(worker).start()
        return True

    def _done(self, result, preset_name, dataset_name):
        self.result = accuracy, n_test = result
        self.measured.emit(describe_result(accuracy, n_test, preset_name, dataset_name), accuracy)

    def wait(self, milliseconds=5000):
        return self.handle is None or self.handle.wait(milliseconds)
