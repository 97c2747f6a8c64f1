"""The loss plot's "What am I looking at?" judges a trend only when there is one: after one epoch
it says there is a single validation point (never "it was X after the first epoch, so it has not
come down" with X the same number); after several it compares the first with the last, and says
when the loss has risen from its lowest."""
import re

import pytest

from gui.shell.explain.texts import explain
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def plain(html):
    return re.sub(r"<[^>]+>", "", html)


def train(qtbot, window, epochs):
    window.actions.trigger("set_setting", "epochs", epochs)
    with qtbot.waitSignal(window.run_finished, timeout=60000) as finished:
        window.actions.trigger("start")
    assert finished.args == ["finished"]


def test_one_epoch_is_no_trend_and_several_are_compared(qtbot):
    window = make_window(qtbot, hidden_sizes=(32,))
    train(qtbot, window, 1)
    only = window.state.history["val_loss"][0]
    text = plain(explain(window, "loss_plot"))
    assert f"the validation loss is {only:.4f}" in text
    assert text.count(f"{only:.4f}") == 1                       # the value is not compared with itself
    assert "come down" not in text.replace("whether it comes down", "")
    assert "one validation point, so no trend yet" in text
    train(qtbot, window, 3)
    values = window.state.history["val_loss"]
    text = plain(explain(window, "loss_plot"))
    assert "no trend yet" not in text
    assert f"It was {values[0]:.4f} after the first epoch" in text and f"is {values[-1]:.4f}" in text


def test_the_trend_words_follow_the_values():
    from gui.shell.explain.training_tab import _val_loss_trend
    assert "no trend yet" in _val_loss_trend([0.0868])
    assert "no trend yet" in _val_loss_trend([float("nan"), 0.0868])     # one measured point
    assert _val_loss_trend([0.3, 0.2, 0.1]).endswith("so it has come down.")
    assert _val_loss_trend([0.3, 0.3]).endswith("so it has not come down.")
    rose = _val_loss_trend([0.3, 0.1, 0.15])
    assert "lowest, 0.1000, after epoch 2" in rose and "risen since" in rose
