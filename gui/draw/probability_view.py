"""ProbabilityView: one bar per class, the top class large with its confidence, an explicit
"not sure" state below a confidence threshold, and "not a digit" (issue 22).

States: 'empty' (nothing drawn: a hint, no bars), 'confident', 'unsure', 'not a digit' (the
model's own not-a-digit class is on top, or the drawing is too small to read), 'message' (no
model, or the model cannot be used: the message instead of a prediction). The verdict is
core.drawing.reading's, the same rule `predict` and the benchmark use. The bar item is created
once and updated with setOpts; nothing is re-created per prediction.
"""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QLabel, QVBoxLayout, QWidget

from core.drawing.non_digits import short_name
from core.drawing.reading import read_probabilities
from gui.ground import theme

BAR_COLOUR = (*theme.BLUE, 150)
TOP_COLOUR = (*theme.BLUE, 255)
UNSURE_COLOUR = (*theme.ORANGE, 255)


class ProbabilityView(QWidget):
    def __init__(self, parent=None, threshold=0.6):
        super().__init__(parent)
        self.threshold = float(threshold)
        self.state = "empty"
        self.probabilities = None     # (n_classes,) float or None
        self.class_names = [str(d) for d in range(10)]
        self.top_index = None

        self.top_label = QLabel()
        self.top_label.setAlignment(Qt.AlignCenter)
        self.top_label.setMinimumHeight(48)   # the big answer; beside the canvas every px counts
        self.detail_label = QLabel()
        self.detail_label.setAlignment(Qt.AlignCenter)
        self.detail_label.setWordWrap(True)

        self.plot = pg.PlotWidget()
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(x=False, y=False)
        self.plot.hideButtons()
        self.plot.setMinimumHeight(104)   # px: with the answer above, the Evidence page keeps its height at 720
        # every digit keeps its label however narrow the chart (pyqtgraph drops labels it thinks
        # crowd the axis: the chart lost them at the tab's minimum width)
        bottom = self.plot.getPlotItem().getAxis("bottom")
        bottom.setStyle(textFillLimits=[(0, 1.0)], hideOverlappingLabels=False)
        # and keeps the height for them: a short chart squeezed the axis and its labels went
        bottom.setHeight(30)   # px: tick, offset and one line of the 9 pt tick font
        self.plot.setMinimumWidth(180)
        item = self.plot.getPlotItem()
        theme.plain_numbers(item)
        item.setYRange(0, 1, padding=0.02)
        item.getAxis("left").setTicks([[(v, f"{int(v * 100)}%") for v in (0, 0.25, 0.5, 0.75, 1.0)]])
        item.showGrid(y=True, alpha=0.15)
        self.bars = pg.BarGraphItem(x=np.arange(10), height=np.zeros(10), width=0.7, brush=BAR_COLOUR, pen=None)
        self.plot.addItem(self.bars)
        self.threshold_line = pg.InfiniteLine(pos=self.threshold, angle=0,
                                              pen=pg.mkPen((*theme.GREY, 160), width=1, style=Qt.DashLine))
        self.plot.addItem(self.threshold_line)
        self._set_classes(self.class_names)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.top_label)
        layout.addWidget(self.detail_label)
        layout.addWidget(self.plot, 1)
        self.show_empty()

    def empty_hint(self):
        """'draw a digit' for the digits, else the first classes ('draw circle, square, triangle, …')."""
        names = [name for name in self.class_names if name != "not a digit"]
        if names == [str(d) for d in range(10)]:
            return "draw a digit"
        return "draw " + ", ".join(names[:3]) + (", …" if len(names) > 3 else "")

    def set_classes(self, class_names):
        """The model's classes (bars, their labels, the empty hint), before its first answer."""
        if [str(n) for n in class_names] != self.class_names:
            self._set_classes(class_names)
            if self.state == "empty":
                self.show_empty()

    def _set_classes(self, class_names):
        self.class_names = [str(n) for n in class_names]
        n = len(self.class_names)
        # the not-a-digit class's bar ("other") stands half a slot apart: another kind of answer,
        # and its longer label keeps clear of the 9's
        self.positions = np.arange(n, dtype=float)
        if n and short_name(self.class_names[-1]) != self.class_names[-1]:
            self.positions[-1] += 0.6
        ticks = [(x, short_name(name)) for x, name in zip(self.positions, self.class_names)]
        self.plot.getPlotItem().getAxis("bottom").setTicks([ticks])
        extra = 0.45 if n and len(ticks[-1][1]) > 2 else 0.0
        self.plot.getPlotItem().setXRange(-0.6, (self.positions[-1] if n else 0) + 0.6 + extra, padding=0)
        self.bars.setOpts(x=self.positions, height=np.zeros(n), brushes=[BAR_COLOUR] * n)

    # ----- states ------------------------------------------------------------------------
    def set_threshold(self, threshold):
        self.threshold = float(threshold)
        self.threshold_line.setValue(self.threshold)
        if self.probabilities is not None:
            self.set_probabilities(self.probabilities, self.class_names)

    def set_probabilities(self, probabilities, class_names=None):
        probabilities = np.asarray(probabilities, dtype=np.float64)
        if class_names is not None and [str(n) for n in class_names] != self.class_names:
            self._set_classes(class_names)
        self.probabilities = probabilities
        reading = read_probabilities(probabilities, self.class_names, self.threshold)
        top = self.top_index = reading.top
        self.state = {"class": "confident", "not sure": "unsure"}.get(reading.verdict, reading.verdict)
        brushes = [BAR_COLOUR] * len(probabilities)
        brushes[top] = TOP_COLOUR if reading.answered else UNSURE_COLOUR
        self.bars.setOpts(height=probabilities, brushes=brushes)
        if reading.answered:
            self._set_text(self.top_label, f"<span style='font-size:36pt; font-weight:600'>{reading.name}</span>"
                           + theme.span(f"&nbsp;&nbsp;{reading.confidence:.0%}", "muted", "font-size:14pt"))
        else:
            self._set_text(self.top_label, theme.span(reading.verdict, "warning", "font-size:30pt; font-weight:600"))
        self._set_text(self.detail_label, reading.reason)

    def show_too_small(self, reading):
        """A drawing the model is not asked about (too small to read: core.drawing.reading's
        too_small_reading): no bars, the verdict and why."""
        self.show_empty()
        self.state = reading.verdict
        self._set_text(self.top_label, theme.span(reading.verdict, "warning", "font-size:30pt; font-weight:600"))
        self._set_text(self.detail_label, reading.reason)

    @staticmethod
    def _set_text(label, text):
        if label.text() != text:   # an unchanged label costs no relayout / repaint
            label.setText(text)

    def show_empty(self, hint=None):
        """No drawing: the bars at zero and a hint ('draw a digit', or for a model of other classes,
        e.g. a My drawings project's, 'draw a circle, square, ...')."""
        hint = self.empty_hint() if hint is None else hint
        self.state, self.probabilities, self.top_index = "empty", None, None
        self.bars.setOpts(height=np.zeros(len(self.class_names)), brushes=[BAR_COLOUR] * len(self.class_names))
        self.top_label.setText(theme.span(hint, "faint", "font-size:18pt"))
        self.detail_label.setText("")

    def show_message(self, message):
        """No prediction possible (no model, unusable model): say why instead."""
        self.show_empty("no prediction")
        self.state = "message"
        self.detail_label.setText(message)
