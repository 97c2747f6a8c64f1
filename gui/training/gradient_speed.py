"""Training > Why backpropagation?: backprop against numerical gradients, measured in the app.

For the form's current network (and image size) on a small batch of the loaded data, time one
gradient by backpropagation and one by central differences (core.nn.numerical_training.measure_gradient_speed,
as `python main.py gradspeed` does). The measurement runs in a worker thread: for a big network
the numerical side takes a few hundred milliseconds even when extrapolated from a sample of
parameters.
"""
import numpy as np
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QDialog, QDialogButtonBox, QGridLayout, QLabel, QPushButton, QVBoxLayout

from core.data.datasets import load_digits
from core.data.labels import task_labels
from core.data.transforms import resize_to
from core.data.normalise import to_float
from core.nn.numerical_training import measure_gradient_speed
from core.training.training_run import build_network
from gui.ground.crash_log import note_if_unexpected
from core.errors import ConfigError
from gui.ground.errors import describe_error, show_error
from gui.ground.threads import JobWorker, ThreadHandle

BATCH_SIZE = 32
MAX_TIMED_PARAMS = 300   # numerical gradients timed on at most this many parameters, then scaled up
EXPLANATION = ("Backpropagation gets every one of the {n:,} gradients from one forward and one backward "
               "pass; central differences need two forward passes per parameter ({passes:,} passes), "
               "so the gap grows with the size of the network.")


def real_batch(config, dataset, batch_size=BATCH_SIZE):
    """(network, x (n, n_inputs) float64, y targets) for config on the first training images of
    dataset, prepared as training would prepare them (resized, normalised, task labels)."""
    images = resize_to(dataset.train_images[:batch_size], config.image_size)
    labels = task_labels(dataset.train_labels[:batch_size], config.positive_class)
    network = build_network(config, int(np.prod(images.shape[1:])), dataset.n_classes)
    x = to_float(images, config.normalisation, np.float64)
    return network, x, network.targets(labels).astype(np.float64)


def measure(config, dataset, batch_size=BATCH_SIZE):
    """measure_gradient_speed's dict for config on a real batch, plus 'network' (its description)."""
    network, x, y = real_batch(config, dataset, batch_size)
    result = measure_gradient_speed(network, x, y, config.l2, max_numerical_params=MAX_TIMED_PARAMS)
    result["network"] = network.describe()
    return result


def format_seconds(seconds):
    if seconds >= 1:
        return f"{seconds:,.2f} s"
    return f"{seconds * 1e3:,.3g} ms" if seconds >= 1e-3 else f"{seconds * 1e6:,.3g} µs"


class GradientSpeedDialog(QDialog):
    """Shows backprop time, numerical time, speed-up and parameter count for one set-up."""

    measured = pyqtSignal(dict)   # the result, once shown
    failed = pyqtSignal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("gradientSpeedDialog")
        self.setWindowTitle("Why backpropagation?")
        self.setMinimumWidth(520)
        self.network_label = QLabel("—")
        self.network_label.setWordWrap(True)
        self.values = {}
        grid = QGridLayout()
        grid.setHorizontalSpacing(14)
        grid.setColumnStretch(1, 1)
        for row, (key, title) in enumerate((("params", "Parameters"), ("batch", "Batch"),
                                            ("backprop", "Backpropagation"), ("numerical", "Numerical gradients"),
                                            ("speedup", "Speed-up"))):
            name = QLabel(title)
            name.setObjectName("hint")
            value = QLabel("—")
            value.setWordWrap(True)
            grid.addWidget(name, row, 0)
            grid.addWidget(value, row, 1)
            self.values[key] = value
        self.explanation = QLabel("")
        self.explanation.setWordWrap(True)
        self.status = QLabel("")
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.again_button = QPushButton("Measure again")
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.addButton(self.again_button, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.network_label)
        layout.addLayout(grid)
        layout.addWidget(self.explanation)
        layout.addWidget(self.status)
        layout.addWidget(buttons)
        self.handle = None
        self.result = None
        self._job = None

    @property
    def busy(self):
        return self.handle is not None and self.handle.running

    def start(self, config, dataset):
        """Measure config's network on dataset in a worker thread (ignored while one runs)."""
        if self.busy:
            return
        self._job = (config, dataset)
        self.again_button.setEnabled(False)
        self.status.setText("Measuring… (one backprop gradient against central differences)")
        worker = JobWorker(lambda report, cancelled: measure(config, dataset))
        worker.done.connect(self._show)
        worker.failed.connect(self._on_failed)
        self.handle = ThreadHandle(worker)
        self.handle.thread.finished.connect(lambda: self.again_button.setEnabled(True))
        try:
            self.again_button.clicked.disconnect()
        except TypeError:
            pass
        self.again_button.clicked.connect(lambda: self.start(*self._job))
        self.handle.start()

    def _show(self, result):
        self.result = result
        estimated = (f" (timed on {result['numerical_params_timed']:,} parameters, scaled up)"
                     if result["numerical_estimated"] else "")
        self.network_label.setText(f"<b>{result['network']}</b>")
        self.values["params"].setText(f"{result['n_params']:,}")
        self.values["batch"].setText(f"{result['batch_size']} real training images")
        self.values["backprop"].setText(f"{format_seconds(result['backprop_seconds'])} per gradient")
        self.values["numerical"].setText(f"{format_seconds(result['numerical_seconds'])} per gradient{estimated}")
        self.values["speedup"].setText(f"backpropagation is {result['speedup']:,.0f} times faster")
        self.explanation.setText(EXPLANATION.format(n=result["n_params"], passes=2 * result["n_params"]))
        self.status.setText("")
        self.adjustSize()   # the wrapped texts need more height than the empty dialog had
        self.measured.emit(result)

    def _on_failed(self, error):
        message = describe_error(error)
        self.status.setText(f"Could not measure: {message}{note_if_unexpected(error, 'measuring gradients failed')}")
        self.failed.emit(message)

    def wait(self, milliseconds=5000):
        return self.handle.wait(milliseconds) if self.handle is not None else True


def show_gradient_speed(window, dialog=None):
    """Time both gradients for the window's form network on a small batch of its loaded data (the
    built-in digits when none is loaded); returns the dialog (reused when given), or None when
    the form's settings cannot be measured."""
    try:
        config = window.form.config()
    except ConfigError as error:
        show_error(window, "Cannot measure these settings", str(error))
        return dialog
    if dialog is None:
        dialog = GradientSpeedDialog(window)
    dialog.start(config, window.dataset or load_digits())
    dialog.show()
    dialog.raise_()
    return dialog
