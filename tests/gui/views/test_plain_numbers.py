"""Plots say numbers as they are, and the update/weight hint is read against the current
learning rate (issue 19: a CNN's loss axis read "loss (x0.001)" over ticks up to 800, and "1e-3
is healthy" stood beside 3e-5 at the end of a cosine schedule, which is what it should be)."""
import pyqtgraph as pg
import pytest

from gui.views.layer_stats_view import ratio_hint
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def axes_scaling_their_numbers(root):
    return [(type(view).__name__, item.orientation) for view in root.findChildren(pg.GraphicsView)
            for item in view.scene().items() if isinstance(item, pg.AxisItem) and item.autoSIPrefix]


def test_no_axis_of_the_window_rescales_its_numbers(qtbot):
    window = make_window(qtbot)
    assert axes_scaling_their_numbers(window) == []


def test_a_small_loss_is_shown_as_it_is(qtbot):
    window = make_window(qtbot)
    plot = window.tabs.training.loss_plot
    curve = plot.getPlotItem().plot([1, 2, 3], [0.0004, 0.0006, 0.0008])
    plot.getPlotItem().autoRange()
    axis = plot.getPlotItem().getAxis("left")
    assert axis.autoSIPrefixScale == 1.0 and "x0.001" not in axis.labelString()
    plot.getPlotItem().removeItem(curve)


def test_the_update_ratio_is_read_against_the_scheduled_learning_rate(qtbot):
    window = make_window(qtbot, epochs=4, hidden_sizes=(32,), schedule="cosine")
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.actions.trigger("start")
    stats = window.tabs.layer_stats
    qtbot.waitUntil(lambda: stats.table.rowCount() == 2, timeout=5000)
    rates = window.state.batch["learning_rate"].view()
    assert rates[-1] < 0.2 * rates[0]   # the cosine schedule has brought the rate down
    hint = stats.hint.text()
    assert "of its start" in hint and "smaller ratios are expected" in hint and "is the usual healthy range" not in hint
    assert "too high" not in stats.table.item(0, 4).toolTip()   # a lowered rate never makes the ratio look too large
    ratio = float(stats.table.item(0, 4).toolTip().split("=")[1].split(":")[0])
    assert "too low" not in stats.table.item(0, 4).toolTip() or ratio < 1e-5 * rates[-1] / rates[0]
    # read at the starting rate the same small ratio would be a warning; at 1% of it, it is usual
    assert ratio_hint(3e-6) == "tiny: learning rate may be too low"
    assert ratio_hint(3e-6, rate_fraction=0.01).startswith("usual range")
    # a lowered rate does not make a large update fine, nor the usual starting ratio look large
    assert ratio_hint(3e-3, rate_fraction=0.01).startswith("usual range")
    assert ratio_hint(5e-2, rate_fraction=0.01).startswith("large")
