"""The Draw and Map tabs name the model they use truly once the run is over, and Reset gives the
Draw tab DigitLab's own model back (walkthrough 2, item 2)."""
import pytest

from gui_helpers import make_window
from tests.gui.draw.test_draw_panel import SEVEN, draw

pytestmark = pytest.mark.usefixtures("themed_app")


def test_a_finished_run_is_named_the_last_runs_model_everywhere(qtbot):
    window = make_window(qtbot, epochs=2, hidden_sizes=(32,))
    with qtbot.waitSignal(window.run_finished, timeout=60000) as finished:
        window.actions.trigger("start")
    assert finished.args == ["finished"]
    label = window.tabs.draw_panel.model_label.text().replace("\u200b", "")   # wrap points after commas
    assert "last run's model (finished, epoch 2)" in label and "being trained" not in label
    assert window.shown_model().name == "last run's model (finished, epoch 2)"   # the Map's and cards' title
    assert window.tabs.draw_panel.network is window.state.network


def test_reset_gives_the_draw_tab_the_default_model_back(qtbot):
    window = make_window(qtbot, epochs=1, hidden_sizes=(32,))
    panel = window.tabs.draw_panel
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.actions.trigger("start")
    trained = window.state.network
    assert panel.network is trained
    window.actions.trigger("reset")
    assert panel.network is not trained
    assert panel.model_label.text().startswith("<b>Model:</b> default model")
    assert panel.temperature is None and not panel.calibrated_check.isEnabled()
    window.actions.trigger("show_tab", "Draw")
    with qtbot.waitSignal(panel.predicted, timeout=5000):
        draw(panel.canvas, SEVEN)
    assert len(panel.last_probabilities) == len(panel.metadata["class_names"]) != 10   # the shipped model's 11
