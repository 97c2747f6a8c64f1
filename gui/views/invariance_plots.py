"""The invariance plots' items: the two plots (accuracy vs shift, vs rotation) with their legend
and chance lines, and one model's three curves (created once; setData on every measurement).
Split from gui/views/invariance_view.py, which decides what is measured and when.

Shifts: solid = horizontal (+ = right), dashed = vertical (+ = down), one colour per model (the
two directions need not cost the same: MNIST digits are taller than wide).
"""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QFontMetrics
from PyQt5.QtWidgets import QApplication

from core.analysis.invariance import DEFAULT_ANGLES, default_shifts
from gui.ground import theme

SAVED_COLOURS = (theme.ORANGE, theme.GREEN, theme.PURPLE, theme.GREY, (214, 39, 40), (140, 86, 75))
CHANCE_NAME = "chance (commonest class)"


class ModelCurves:
    """The three plot items of one model (created once; setData on every new measurement)."""

    def __init__(self, shift_plot, rotation_plot, legend, colour, name):
        symbol = dict(symbol="o", symbolSize=5, symbolPen=theme.pen(colour, 1), symbolBrush=theme.brush(colour))
        self.horizontal = shift_plot.plot(pen=theme.pen(colour, 2.2), **symbol)
        dashed = theme.pen(colour, 2.2)
        dashed.setStyle(Qt.DashLine)
        self.vertical = shift_plot.plot(pen=dashed, **symbol)
        self.rotation = rotation_plot.plot(pen=theme.pen(colour, 2.2), **symbol)
        self.legend = legend
        legend.addItem(self.rotation, name)
        self.name = name
        for sample, label in list(legend.items):   # the chance entry stays last
            if label.text == CHANCE_NAME:
                legend.removeItem(sample.item)
                legend.addItem(sample.item, CHANCE_NAME)

    def set_curves(self, curves):
        """curves: core.analysis.invariance.InvarianceCurves (shifts, horizontal, vertical (n_shifts,);
        angles, rotation (n_angles,))."""
        self.horizontal.setData(curves.shifts, curves.horizontal)
        self.vertical.setData(curves.shifts, curves.vertical)
        self.rotation.setData(curves.angles, curves.rotation)

    def rename(self, name):
        if name != self.name:
            self.name = name
            for sample, label in self.legend.items:
                if sample.item is self.rotation:
                    label.setText(name)

    def remove(self, shift_plot, rotation_plot):
        self.legend.removeItem(self.rotation)
        for item in (self.horizontal, self.vertical):
            shift_plot.removeItem(item)
        rotation_plot.removeItem(self.rotation)


def build_plots(view):
    """Give ``view`` its shift_plot, rotation_plot, legend, chance_sample and chance_lines."""
    view.shift_plot = pg.PlotWidget()
    view.rotation_plot = pg.PlotWidget()
    shift_item, rotation_item = view.shift_plot.getPlotItem(), view.rotation_plot.getPlotItem()
    # the line styles are explained in the axis label: a legend inside the shift plot would
    # hide the curves of narrow (dense) and broad (convolutional) models alike
    # no plot titles: the section's title says what both show and their x labels which is which;
    # at 1366x768 the titles took a quarter of the plots' height
    theme.style_plot(shift_item, None,
                     "shift (pixels): solid = horizontal \u2192, dashed = vertical \u2193",
                     "accuracy")
    theme.style_plot(rotation_item, None, "rotation (degrees, + = counter-clockwise)",
                     "accuracy")
    # the models' legend at the bottom centre: every curve peaks in the middle
    view.legend = rotation_item.addLegend(offset=None, labelTextSize="9pt", brush=theme.legend_brush())
    view.legend.anchor((0.5, 1), (0.5, 1), offset=(0, -6))
    chance_pen = theme.pen(theme.GREY, 1.5, alpha=200)
    chance_pen.setStyle(Qt.DotLine)
    view.chance_sample = pg.PlotDataItem([], [], pen=chance_pen)
    view.legend.addItem(view.chance_sample, CHANCE_NAME)
    view.chance_lines = []
    for item in (shift_item, rotation_item):
        item.enableAutoRange(enable=False)
        # the end labels may reach past the axis into the title / bottom axis: fit_accuracy_ticks
        # keeps them apart, and pyqtgraph's own hiding dropped 0.0 and 1.0 from a short plot
        item.getAxis("left").setStyle(hideOverlappingLabels=False, textFillLimits=[(0, 1.0)])
        fit_accuracy_ticks(item)
        item.getViewBox().sigResized.connect(lambda _box, item=item: fit_accuracy_ticks(item))
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        line = pg.InfiniteLine(0.1, angle=0, pen=chance_pen)
        line.setToolTip("chance: the accuracy of always answering the commonest class")
        item.addItem(line)
        view.chance_lines.append(line)
    set_x_range(view.shift_plot, view.rotation_plot, default_shifts((28, 28)), DEFAULT_ANGLES)


def fit_accuracy_ticks(item):
    """Accuracy ticks every 0.2 where the plot is tall enough, else every 0.5 or only 0 and 1, and
    room above 1 and below 0 for half a label: at 1366x768 the plot is short, the six labels were
    drawn on top of each other, and pyqtgraph drops an end label that would stick out."""
    axis = item.getAxis("left")
    line = QFontMetrics(axis.style.get("tickFont") or QApplication.font()).height()
    pixels = max(1.0, item.getViewBox().height())
    padding = min(0.45, max(0.06, (line / 2 + 2) / pixels))
    item.setYRange(0, 1, padding=padding)
    per_unit = pixels / (1 + 2 * padding)
    step = next((step for step in (0.2, 0.5) if step * per_unit >= 1.5 * line), 1.0)
    axis.setTicks([[(y, f"{y:.1f}") for y in np.arange(0, 1 + 1e-9, step)]])


def set_x_range(shift_plot, rotation_plot, shifts, angles):
    """shifts (n_shifts,) pixels, angles (n_angles,) degrees: the x ranges and their ticks."""
    shift_plot.getPlotItem().setXRange(shifts[0], shifts[-1], padding=0.04)
    rotation_plot.getPlotItem().setXRange(angles[0], angles[-1], padding=0.04)
    shift_plot.getPlotItem().getAxis("bottom").setTicks([[(int(s), str(int(s))) for s in shifts if s % 2 == 0]])
    rotation_plot.getPlotItem().getAxis("bottom").setTicks([[(int(a), str(int(a))) for a in angles if a % 15 == 0]])
