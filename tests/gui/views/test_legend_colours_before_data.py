"""The loss and accuracy legends show the curves' colours from the start: before the first epoch
point arrives, the train and validation samples' markers are orange and green, not the theme's
foreground grey (pyqtgraph gives a curve's marker style to its scatter only with the first data)."""
import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QColor, QImage, QPainter

from core.figures.plot import TRAIN_COLOUR, VAL_COLOUR
from gui.views.plots import AccuracyPlot, LossPlot

pytestmark = pytest.mark.usefixtures("themed_app")


def marker_colour(legend, name):
    """The colour of the sample's marker: the 6x6 pixels at its middle (the line is only 1 px high there)."""
    sample = next(sample for sample, label in legend.items if label.text == name)
    image = QImage(24, 24, QImage.Format_ARGB32)
    image.fill(Qt.transparent)
    painter = QPainter(image)
    sample.paint(painter)
    painter.end()
    middle = QColor(image.pixel(10, 8))   # inside the marker, above the line at y=11
    return middle.red(), middle.green(), middle.blue()


@pytest.mark.parametrize("make", [LossPlot, AccuracyPlot])
def test_the_legend_markers_have_the_curves_colours_before_any_data(qtbot, make):
    plot = make()
    qtbot.addWidget(plot)
    legend = plot.getPlotItem().legend
    assert plot.train_curve.xData is None or len(plot.train_curve.xData) == 0    # no epoch point yet
    assert marker_colour(legend, "train (mean over the epoch)") == TRAIN_COLOUR
    assert marker_colour(legend, "validation (end of epoch)") == VAL_COLOUR
