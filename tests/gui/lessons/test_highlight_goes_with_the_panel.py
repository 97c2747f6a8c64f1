"""The lesson's orange frame belongs to the lesson on show: closing the Lessons panel with its x
takes it away (and a new run does not bring it back); the list shown instead of the lesson takes
it away; the lesson opened again brings it back; leaving the lesson takes it away for good."""
import pytest
from PyQt5.QtWidgets import QAbstractButton

pytestmark = pytest.mark.usefixtures("themed_app")

LOOK = """---
title: Look at the rate
minutes: 1
---

## Set up
do: load_data digits
do: pick_preset default
do: set_setting hidden_sizes 16
do: set_setting epochs 1
look: learning_rate

The learning rate.

## Next
look: loss_plot

The loss.
"""


@pytest.fixture
def window(shown_window):   # tests/gui/conftest.py
    return shown_window


def test_closing_the_lessons_panel_takes_the_highlight_away(qtbot, window, tmp_path):
    path = tmp_path / "look.md"
    path.write_text(LOOK, encoding="utf-8")
    player = window.actions.trigger("open_lesson", str(path))
    qtbot.waitUntil(lambda: window.dataset is not None and window.dataset.name == "digits", timeout=10000)
    highlight = player.host.highlight
    qtbot.waitUntil(lambda: highlight.isVisible(), timeout=5000)
    assert highlight.target is not None

    close = window.lessons.findChild(QAbstractButton, "qt_dockwidget_closebutton")
    assert close is not None and close.isVisible()
    close.click()                                        # the panel's x, as the learner clicks it
    qtbot.waitUntil(lambda: window.lessons.isHidden(), timeout=5000)
    assert not highlight.isVisible() and highlight.target is None
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.actions.trigger("start")                  # a new run: windows move, tabs change
    assert not highlight.isVisible() and highlight.target is None

    window.actions.trigger("lessons")                    # Help > Lessons: the list, not the lesson
    assert window.lessons.isVisible() and player.lesson is not None
    assert not highlight.isVisible()
    window.actions.trigger("open_lesson", str(path))     # the lesson again: its frame again
    qtbot.waitUntil(lambda: highlight.isVisible(), timeout=5000)
    window.actions.trigger("next_lesson_step")
    qtbot.waitUntil(lambda: highlight.isVisible() and highlight.target is not None, timeout=5000)
    player.close_lesson()                                # leaving the lesson
    assert not highlight.isVisible() and highlight.target is None
