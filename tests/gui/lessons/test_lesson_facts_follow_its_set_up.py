"""A lesson's question about its own set-up is judged by that set-up, not by whatever ran before:
after a ten-digit run, a one-digit lesson's "what does the lazy 'not a 0' answer score?" is judged
against its own validation set (about 90%), not the ten-digit run's (about 10%)."""
import numpy as np
import pytest

from gui.shell.lesson_host import planned_validation

pytestmark = pytest.mark.usefixtures("themed_app")

LAZY = """---
title: Lazy on one digit
minutes: 2
---

## Set up
do: load_data digits
do: pick_preset logistic-one-digit
do: set_setting epochs 1

One neuron, is it a 0?

## A lazy network
ask: What accuracy does always answering "not a 0" get on the validation images, in percent?
answer: 100 * majority_share within 3

Think.

---
The lazy answer is right {majority_share:.1%} of the time on {n_validation:,.0f} images.
"""


@pytest.fixture
def window(shown_window):   # tests/gui/conftest.py
    return shown_window


def test_the_lazy_answer_is_judged_by_the_lessons_set_up_after_a_ten_digit_run(qtbot, window, tmp_path):
    window.actions.trigger("load_data", "digits")
    qtbot.waitUntil(lambda: window.dataset is not None and window.dataset.name == "digits", timeout=10000)
    window.actions.trigger("pick_preset", "default")
    window.actions.trigger("set_setting", "hidden_sizes", (16,))
    window.actions.trigger("set_setting", "epochs", 1)
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.actions.trigger("start")
    assert len(np.unique(window.state.start.val_labels)) == 10      # the run shown: ten digits

    path = tmp_path / "lazy.md"
    path.write_text(LAZY, encoding="utf-8")
    player = window.actions.trigger("open_lesson", str(path))
    window.actions.trigger("next_lesson_step")
    _, labels = planned_validation(window.form, window.dataset)
    assert set(np.unique(labels)) == {0, 1}                          # the lesson's task: 0 against the rest
    lazy = 100 * np.mean(labels == 0)
    assert 80 < lazy < 95                 # the digits' 144 validation images: about one in ten is a 0
    window.actions.trigger("answer_lesson", float(round(lazy)))
    window.actions.trigger("run_lesson_step")
    qtbot.waitUntil(lambda: player.is_checked, timeout=30000)
    assert player.verdict.right is True, player.verdict.text
    assert player.verdict.measured == pytest.approx(lazy)
    qtbot.waitUntil(lambda: "…" not in player.text.toPlainText(), timeout=10000)
    assert f"right {lazy:.1f}% of the time on {len(labels):,} images" in player.text.toPlainText()
