"""Fool it's before / after bar chart: the network's probabilities for every digit, grey before
the change and orange after it, side by side at each digit. Split from gui/draw/fool_view.py.

The chart sits in a narrow column beside the canvas, so its axes are kept lean: the left axis
says 0% / 50% / 100% in a fixed narrow strip, and the bottom axis draws every digit's label
(pyqtgraph drops the ones it thinks crowd the axis: 0 and 9 went, the rest ran together).
"""
import numpy as np
import pyqtgraph as pg

from gui.ground import theme

AFTER_COLOUR = (*theme.ORANGE, 230)
BEFORE_COLOUR = (*theme.GREY, 110)
DIGIT_PITCH = 15   # px per digit at least: a 9 pt digit (~7 px) and a gap about as wide
LEFT_AXIS = 44     # px: "100%" in the tick font and the tick


def make_chart(n_classes=10):
    """A PlotWidget with .before_bars and .after_bars (BarGraphItems, fed with set_bars)."""
    plot = pg.PlotWidget()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(x=False, y=False)
    plot.hideButtons()
    item = plot.getPlotItem()
    theme.plain_numbers(item)
    item.setYRange(0, 1, padding=0.08)   # room for half of the 0% and 100% labels (else not drawn)
    left = item.getAxis("left")
    left.setTicks([[(v, f"{int(v * 100)}%") for v in (0, 0.5, 1.0)]])
    left.setWidth(LEFT_AXIS)
    bottom = item.getAxis("bottom")
    bottom.setStyle(textFillLimits=[(0, 1.0)], hideOverlappingLabels=False)
    bottom.setHeight(30)   # px: tick, offset and one line of the tick font (a squeezed axis drew none)
    item.showGrid(y=True, alpha=0.15)
    plot.before_bars = pg.BarGraphItem(x=np.arange(n_classes) - 0.18, height=np.zeros(n_classes), width=0.34,
                                       brush=BEFORE_COLOUR, pen=None, name="before")
    plot.after_bars = pg.BarGraphItem(x=np.arange(n_classes) + 0.18, height=np.zeros(n_classes), width=0.34,
                                      brush=AFTER_COLOUR, pen=None, name="after")
    plot.addItem(plot.before_bars)
    plot.addItem(plot.after_bars)
    set_classes(plot, [str(d) for d in range(n_classes)])
    return plot


def set_classes(plot, names):
    """One label per class under its pair of bars; the chart at least DIGIT_PITCH px per class."""
    item = plot.getPlotItem()
    item.getAxis("bottom").setTicks([list(enumerate(names))])
    item.setXRange(-0.6, len(names) - 0.4, padding=0)
    plot.setMinimumSize(LEFT_AXIS + int(DIGIT_PITCH * (len(names) + 0.2)) + 8, 80)


def set_bars(plot, before, after):
    """before, after: (n_classes,) probabilities."""
    k = len(after)
    plot.before_bars.setOpts(x=np.arange(k) - 0.18, height=before)
    plot.after_bars.setOpts(x=np.arange(k) + 0.18, height=after)
