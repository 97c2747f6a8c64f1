"""Training > One update, step by step: one mini-batch update of a small network, one page per stage
(forward, loss, backward, gradient check, update), with the real numbers of
core.analysis.step_through (the code that trains, in float64). "Next step" takes the next batch
from the updated weights; "Start over" rebuilds the network from its seed.

The network is either the tiny teaching preset on the built-in 8x8 digits, or the settings form's
network on the loaded data; networks over core.analysis.step_through.MAX_PARAMETERS get a clear
message instead. Every step runs in a worker thread (loading the digits imports scikit-learn,
and downscaling MNIST takes a while); the window stays responsive.
"""
from html import escape

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QComboBox, QDialog, QHBoxLayout, QLabel, QListWidget, QPushButton, QSpinBox,
                             QSplitter, QTabWidget, QVBoxLayout, QWidget)

from core.analysis.step_through import StepThrough
from core.training.blas import limited_blas_threads
from core.training.trainers import prepare_dataset
from gui.inspect.step_tables import build_stages, describe_batch
from gui.ground.errors import describe_error
from gui.ground.screen_fit import fit_to_screen
from gui.ground.threads import JobWorker, ThreadHandle
from gui.ground.widgets.number_table import NumberTable

SOURCES = (("tiny", "Tiny preset: 64-16-10 sigmoid network on the built-in 8x8 digits"),
           ("form", "The network in the settings form, on the loaded data"))
MAX_BATCH = 256
DEFAULT_BATCH = 4


class StagePage(QWidget):
    """One stage: what happens (intro), the list of its tables, and the chosen table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.stage = None
        self._pending = False          # a stage arrived while hidden: fill on show
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.RichText)
        self.list = QListWidget()
        self.list.setMinimumWidth(220)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setTextFormat(Qt.RichText)
        self.formula.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.formula.setStyleSheet("font-family: monospace; font-size: 11pt; padding: 4px; "
                                   "background: #f3f5f8; border-radius: 4px;")
        self.table = NumberTable()
        self.copy_button = QPushButton("Copy all")
        self.copy_button.setToolTip("Copy the whole table with its labels as tab-separated text "
                                    "(Ctrl+C copies the selected cells)")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.formula)
        right_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        right_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        self.list.currentRowChanged.connect(self.show_table)
        self.copy_button.clicked.connect(self.table.copy_all)

    def set_stage(self, stage):
        """Show a Stage (gui.inspect.step_tables), keeping the chosen table's position. A hidden
        page fills itself when it is shown: filling all five at once (a 784 x 64 input table
        among them) kept the GUI thread busy for ~75 ms."""
        self.stage = stage
        self._pending = not self.isVisible()
        if not self._pending:
            self._fill()

    def showEvent(self, event):
        super().showEvent(event)
        if self._pending:
            self._fill()

    def _fill(self):
        self._pending = False
        stage = self.stage
        row = max(self.list.currentRow(), 0)
        self.intro.setText(stage.intro)
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([t.name for t in stage.tables])
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(row, len(stage.tables) - 1))
        self.show_table(self.list.currentRow())

    def show_table(self, row):
        if self.stage is None or not 0 <= row < len(self.stage.tables):
            return
        table = self.stage.tables[row]
        self.formula.setText(escape(table.formula) + (f"<br><i>{escape(table.note)}</i>" if table.note else ""))
        self.table.set_table(table.values, table.row_labels, table.column_labels)

    def clear(self):
        self.stage = None
        self._pending = False
        self.intro.setText("")
        self.list.clear()
        self.formula.setText("")
        self.table.set_table([[]], [], [])


def first_step(config, load_dataset, batch_size):
    """(stepper, record, stages) for config on the dataset load_dataset() returns (worker thread)."""
    config.batch_size = int(batch_size)
    dataset = prepare_dataset(config, load_dataset())
    stepper = StepThrough(config, dataset.train_images, dataset.train_labels, n_classes=dataset.n_classes)
    stepper.class_names = list(dataset.class_names)
    with limited_blas_threads():
        record = stepper.step()
    return stepper, record, build_stages(record, stepper.class_names)


def next_step(stepper, batch_size):
    stepper.config.batch_size = int(batch_size)   # read by next_batch: the new size from this batch on
    with limited_blas_threads():
        record = stepper.step()
    return stepper, record, build_stages(record, stepper.class_names)


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
        self.next_button.setDefault(True)
        self.batch_label = QLabel()
        self.batch_label.setWordWrap(True)
        self.message = QLabel()
        self.message.setObjectName("notice")
        self.message.setWordWrap(True)
        self.message.hide()
        self.tabs = QTabWidget()
        self.pages = [StagePage() for _ in range(5)]
        for page, title in zip(self.pages, ("1 Forward pass", "2 Loss", "3 Backward pass", "4 Gradient check",
                                            "5 Update")):
            self.tabs.addTab(page, title)

        controls = QHBoxLayout()
        controls.addWidget(QLabel("Network"))
        controls.addWidget(self.source_combo, 1)
        controls.addWidget(QLabel("Batch size"))
        controls.addWidget(self.batch_spin)
        controls.addWidget(self.start_button)
        controls.addWidget(self.next_button)
        layout = QVBoxLayout(self)
        layout.addLayout(controls)
        layout.addWidget(self.message)
        layout.addWidget(self.batch_label)
        layout.addWidget(self.tabs, 1)

        self.start_button.clicked.connect(self.start)
        self.next_button.clicked.connect(self.next)
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
        self.stepped.emit(self.record)

    def _on_failed(self, error):
        self._fail(describe_error(error))

    def _fail(self, message):
        self.stepper = self.record = None
        for page in self.pages:
            page.clear()
        self.batch_label.setText("")
        self.message.setText(f"Cannot step through this network: {message}")
        self.message.show()
        self.failed.emit(message)

    def _update_buttons(self):
        busy = self.busy
        for widget in (self.start_button, self.next_button, self.source_combo):
            widget.setEnabled(not busy)

    def wait(self, milliseconds=5000):
        return self.handle.wait(milliseconds) if self.handle is not None else True
