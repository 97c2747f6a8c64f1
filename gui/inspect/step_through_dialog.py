"""Training > One update, step by step: one mini-batch update of a small network, one page per stage
(forward, loss, backward, gradient check, update, and the same batch's loss after the update),
with the real numbers of core.analysis.step_through (the code that trains, in float64). "Next
stage" walks through the pages in order, a plain-words guide above them naming this batch's
numbers (gui.inspect.step_story); "Next step" takes the next batch from the updated weights and
stays on the page shown (to compare steps); "Start over" rebuilds the network from its seed.

The network is either the tiny teaching preset on the built-in 8x8 digits, or the settings form's
network on the loaded data; networks over core.analysis.step_through.MAX_PARAMETERS get a clear
message instead. Every step runs in a worker thread (loading the digits imports scikit-learn,
and downscaling MNIST takes a while); the window stays responsive.
"""
from html import escape

from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QComboBox, QDialog, QHBoxLayout, QLabel, QPushButton, QSpinBox, QTabWidget, QVBoxLayout

from core.analysis.step_through import StepThrough
from core.training.blas import limited_blas_threads
from core.training.trainers import prepare_dataset
from gui.inspect.step_stage_page import StagePage
from gui.inspect.step_story import walk
from gui.inspect.step_tables import describe_batch
from gui.ground.errors import describe_error
from gui.ground.screen_fit import fit_to_screen
from gui.ground.threads import JobWorker, ThreadHandle

SOURCES = (("tiny", "Tiny preset: 64-16-10 sigmoid network on the built-in 8x8 digits"),
           ("form", "The network in the settings form, on the loaded data"))
MAX_BATCH = 256
DEFAULT_BATCH = 4
STAGE_TITLES = ("1 Forward pass", "2 Loss", "3 Backward pass", "4 Gradient check", "5 Update", "6 After the update")


def first_step(config, load_dataset, batch_size):
    """(stepper, record, stages) for config on the dataset load_dataset() returns (worker thread)."""
    config.batch_size = int(batch_size)
    dataset = prepare_dataset(config, load_dataset())
    stepper = StepThrough(config, dataset.train_images, dataset.train_labels, n_classes=dataset.n_classes)
    stepper.class_names = list(dataset.class_names)
    with limited_blas_threads():
        record = stepper.step()
    return stepper, record, walk(record, stepper.class_names)


def next_step(stepper, batch_size):
    stepper.config.batch_size = int(batch_size)   # read by next_batch: the new size from this batch on
    with limited_blas_threads():
        record = stepper.step()
    return stepper, record, walk(record, stepper.class_names)


class StepThroughDialog(QDialog):
    """source(key) -> (config, load_dataset) is called on the GUI thread for 'tiny' or 'form' and
    may raise (ConfigError); load_dataset() runs in the worker.

    Signals: stepped(record) after a step is shown; failed(message)."""

    stepped = pyqtSignal(object)
    failed = pyqtSignal(str)

    def __init__(self, source, parent=None):
        super().__init__(parent)
        self.setObjectName("stepThroughDialog")
        self.setWindowTitle("One update, step by step")
        fit_to_screen(self, 1200, 780)   # or less: within the available screen (gui/ground/screen_fit.py)
        self.source = source
        self.stepper = None
        self.record = None
        self.handle = None

        self.source_combo = QComboBox()
        for key, text in SOURCES:
            self.source_combo.addItem(text, key)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, MAX_BATCH)
        self.batch_spin.setValue(DEFAULT_BATCH)
        self.batch_spin.setToolTip("How many training images the update averages over (1: one image)")
        self.start_button = QPushButton("Start over")
        self.next_button = QPushButton("Next step")
        self.next_button.setObjectName("startButton")
        self.next_button.setToolTip("The next mini-batch, from the weights this update left")
        self.stage_button = QPushButton("Next stage")
        self.stage_button.setToolTip("Walk through this update: forward, loss, backward, check, update, "
                                     "and the loss after it")
        self.stage_button.setDefault(True)
        self.guide = QLabel()
        self.guide.setObjectName("stepGuide")
        self.guide.setWordWrap(True)
        self.batch_label = QLabel()
        self.batch_label.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("notice")
        self.message.setWordWrap(True)
        self.message.hide()
        self.tabs = QTabWidget()
        self.pages = [StagePage() for _ in range(len(STAGE_TITLES))]
        for page, title in zip(self.pages, STAGE_TITLES):
            self.tabs.addTab(page, title)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Network"))
        controls.addWidget(self.source_combo, 1)
        controls.addWidget(QLabel("Batch size"))
        controls.addWidget(self.batch_spin)
        controls.addWidget(self.start_button)
        controls.addWidget(self.stage_button)
        controls.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.batch_label)
        layout.addWidget(self.guide)
        layout.addWidget(self.tabs, 1)

        self.start_button.clicked.connect(self.start)
        self.next_button.clicked.connect(self.next)
        self.stage_button.clicked.connect(self.next_stage)
        self.tabs.currentChanged.connect(self._show_guide)
        self.source_combo.currentIndexChanged.connect(lambda _i: self.start())
        self._update_buttons()

    @property
    def busy(self):
        return self.handle is not None and self.handle.running

    def start(self):
        """A fresh network (from its seed) and its first step."""
        if self.busy:
            return
        try:
            config, load_dataset = self.source(self.source_combo.currentData())
        except Exception as error:      # an invalid settings form: say why, keep what is shown
            self._fail(describe_error(error))
            return
        self.stepper = None
        batch = self.batch_spin.value()
        self._run(lambda: first_step(config, load_dataset, batch), "Building the network and taking the first step…")

    def next(self):
        """The next mini-batch, from the weights the last step left (the first step if none)."""
        if self.busy:
            return
        if self.stepper is None:
            self.start()
            return
        stepper, batch = self.stepper, self.batch_spin.value()
        self._run(lambda: next_step(stepper, batch), "Taking the next step…")

    def next_stage(self):
        """The page after the one shown (the walk's order is the tabs' order)."""
        if self.record is not None and self.tabs.currentIndex() < self.tabs.count() - 1:
            self.tabs.setCurrentIndex(self.tabs.currentIndex() + 1)

    def _show_guide(self, _index=None):
        """The plain-words guide of the page shown: 'Stage 2 of 6, Loss: ...'."""
        index = self.tabs.currentIndex()
        stage = self.pages[index].stage
        self.guide.setText("" if stage is None else
                           f"<b>Stage {index + 1} of {self.tabs.count()}, {stage.title.split(' ', 1)[1]}:</b> "
                           f"{escape(stage.guide)}")
        self._update_buttons()

    def _run(self, fn, text):
        self.batch_label.setText(text)
        worker = JobWorker(lambda report, cancelled: fn())
        worker.done.connect(self._show)
        worker.failed.connect(self._on_failed)       # bound methods: they run on the GUI thread
        self.handle = ThreadHandle(worker)
        self.handle.thread.finished.connect(self._update_buttons)
        self.handle.start()
        self._update_buttons()

    def _show(self, result):
        self.stepper, self.record, stages = result
        self.message.hide()
        self.batch_label.setText(describe_batch(self.record, self.stepper.class_names))
        for page, stage in zip(self.pages, stages):
            page.set_stage(stage)
        self._show_guide()
        self.stepped.emit(self.record)

    def _on_failed(self, error):
        self._fail(describe_error(error))

    def _fail(self, message):
        self.stepper = self.record = None
        for page in self.pages:
            page.clear()
        self._show_guide()
        self.batch_label.setText("")
        self.message.setText(f"Cannot step through this network: {message}")
        self.message.show()
        self.failed.emit(message)

    def _update_buttons(self):
        busy = self.busy
        for widget in (self.start_button, self.next_button, self.source_combo):
            widget.setEnabled(not busy)
        # the walk ends on the last page; from there "Next step" (the next batch) is the way on
        self.stage_button.setEnabled(not busy and self.record is not None
                                     and self.tabs.currentIndex() < self.tabs.count() - 1)
        walking = self.stage_button.isEnabled()
        self.stage_button.setDefault(walking)        # Enter walks on, and at the end takes the next step
        self.next_button.setDefault(not walking)

    def wait(self, milliseconds=5000):
        return self.handle.wait(milliseconds) if self.handle is not None else True
