"""The app's curves and the pictures drawn without a window (run report, film) take their colours
from one place, core.figures.curve_colours: the Training tab's train / validation / test curves
are the colours the report draws them in."""
import pytest
from PyQt5.QtGui import QColor

from core.figures import curve_colours
from core.figures.plot import TEST_COLOUR, TRAIN_COLOUR, VAL_COLOUR
from gui.ground import theme
from gui.views.plots import AccuracyPlot, LossPlot

pytestmark = pytest.mark.usefixtures("themed_app")


def rgb(curve):
    colour = QColor(curve.opts["pen"].color())
    return colour.red(), colour.green(), colour.blue()


def test_the_training_tabs_curves_are_drawn_in_the_reports_colours(qtbot):
    assert (theme.BLUE, theme.ORANGE, theme.GREEN, theme.PURPLE) == (
        curve_colours.BLUE, curve_colours.ORANGE, curve_colours.GREEN, curve_colours.PURPLE)
    accuracy, loss = AccuracyPlot(), LossPlot()
    qtbot.addWidget(accuracy)
    qtbot.addWidget(loss)
    for plot in (accuracy, loss):
        assert rgb(plot.train_curve) == TRAIN_COLOUR and rgb(plot.val_curve) == VAL_COLOUR
    assert rgb(accuracy.test_curve) == TEST_COLOUR
