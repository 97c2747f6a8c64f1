"""The rewind bar above the centre tabs: one slider over the opened run's kept epoch checkpoints,
and a marker on the Training plots at the epoch shown.

Moving the slider emits ``epoch_chosen`` once the hand rests (a short timer), so dragging across
ten epochs asks for one evaluation, not ten.
"""
import pyqtgraph as pg
from PyQt5.QtCore import Qt, QTimer, pyqtSignal
from PyQt5.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton, QSlider

from gui.ground import theme

SETTLE_MS = 150


class RewindBar(QFrame):
    epoch_chosen = pyqtSignal(int)    # 1-based epoch whose checkpoint to show
    closed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("rewindBar")
        # its colours are the theme's (resources/style.qss, QFrame#rewindBar)
        self.epochs = []
        self.title = QLabel()
        self.slider = QSlider(Qt.Horizontal)
        self.slider.setTickPosition(QSlider.TicksBelow)
        self.slider.setPageStep(1)
        self.slider.setMinimumWidth(260)
        self.epoch_label = QLabel()
        self.epoch_label.setMinimumWidth(150)
        self.close_button = QPushButton("Close")
        self.close_button.setToolTip("Hide the rewind bar (the views keep the epoch shown)")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.title)
        layout.addWidget(self.slider, 1)
        layout.addWidget(self.epoch_label)
        layout.addWidget(self.close_button)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(SETTLE_MS)
        self._timer.timeout.connect(lambda: self.epoch_chosen.emit(self.epoch))
        self.slider.valueChanged.connect(self._on_value)
        self.close_button.clicked.connect(self._close)
        self.setVisible(False)

    @property
    def epoch(self):
        return self.epochs[self.slider.value()] if self.epochs else 0

    def set_run(self, name, epochs, epoch=None):
        """Slide over these kept checkpoint epochs (ascending) of run ``name``, at ``epoch``
        (default: the last) without asking for it (the caller shows it)."""
        self.epochs = list(epochs)
        self.title.setText(f"<b>Rewind</b> “{name}”:")
        self.slider.blockSignals(True)
        self.slider.setRange(0, max(0, len(self.epochs) - 1))
        index = self.epochs.index(epoch) if epoch in self.epochs else len(self.epochs) - 1
        self.slider.setValue(max(0, index))
        self.slider.blockSignals(False)
        self._label()
        self.setVisible(bool(self.epochs))

    def move_to(self, epoch):
        """Move the slider to ``epoch`` (a kept one) as a person would; the views follow."""
        self.slider.setValue(self.epochs.index(int(epoch)))

    def _on_value(self, _value):
        self._label()
        self._timer.start()

    def _label(self):
        if self.epochs:
            last = self.epochs[-1]
            self.epoch_label.setText(f"epoch {self.epoch} of {last}"
                                     + ("" if len(self.epochs) == last else f" ({len(self.epochs)} kept)"))

    def _close(self):
        self._timer.stop()
        self.setVisible(False)
        self.closed.emit()


class EpochMarker:
    """A vertical line on the loss and accuracy plots at the step where an epoch ended: the epoch
    the rewind bar shows (solid), or where a continued / forked run's new epochs begin (dashed).
    Created once; moved with setValue."""

    def __init__(self, training_plots, color=theme.PURPLE, dashed=False, position=0.92):
        self.lines = []
        pen = theme.pen(color, 1.5)
        if dashed:
            pen.setStyle(Qt.DashLine)
        for plot in (training_plots.loss_plot, training_plots.accuracy_plot):
            line = pg.InfiniteLine(angle=90, movable=False, pen=pen, label="",
                                   labelOpts={"position": position, "color": color})
            line.setVisible(False)
            plot.addItem(line, ignoreBounds=True)
            self.lines.append(line)

    def show_at(self, step, text):
        """text: the label ('epoch 3'); an int is taken as the epoch number."""
        for line in self.lines:
            line.setVisible(True)   # first: a hidden line's label ignores a new text
            line.setValue(step)
            line.label.setFormat(f"epoch {text}" if isinstance(text, int) else text)

    def hide(self):
        for line in self.lines:
            line.setVisible(False)
