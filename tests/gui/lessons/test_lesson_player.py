"""The lesson player in the real window: a verdict follows the run's real numbers (a setting
changed, the verdict changes), a lesson resumes where it was left, the highlight follows its
widget, a teacher's file opens from File > Open lesson and a broken one says where it is broken,
and the window with its Lessons panel fits a laptop screen."""
import pytest
from PyQt5.QtCore import QPoint, QRect
from PyQt5.QtWidgets import QMessageBox

from gui.ground.screen_fit import fits_on_screen, pretended_screen
from tests.gui_helpers import digits

pytestmark = pytest.mark.usefixtures("themed_app")

ABOVE_HALF = """---
title: Above a half?
minutes: 2
---

## Set up
do: load_data digits
do: pick_preset default
do: set_setting hidden_sizes 16
do: set_setting epochs 3
do: set_setting batch_size 16
look: learning_rate

A small network on the built-in 8x8 digits.

## Predict
ask: Will the validation accuracy be above 50%?
choice: yes | final.val_accuracy > 0.5
choice: no | final.val_accuracy <= 0.5
run: start
wait: finished
remember: first_accuracy = final.val_accuracy

Press Run.

---
It reached {final.val_accuracy:.1%}.
"""



@pytest.fixture
def window(shown_window):   # tests/gui/conftest.py
    return shown_window

def lesson_file(tmp_path, text=ABOVE_HALF, name="above-half.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def take_to_the_check(qtbot, window, path, answer, rate=None):
    player = window.actions.trigger("open_lesson", str(path))
    qtbot.waitUntil(lambda: window.dataset is not None and window.dataset.name == "digits", timeout=10000)
    if rate is not None:
        window.actions.trigger("set_setting", "learning_rate", rate)
    window.actions.trigger("next_lesson_step")
    window.actions.trigger("answer_lesson", answer)
    window.actions.trigger("run_lesson_step")
    qtbot.waitUntil(lambda: player.is_checked, timeout=60000)
    return player


def test_the_verdict_follows_the_real_run_and_a_changed_setting_changes_it(qtbot, window, tmp_path):
    path = lesson_file(tmp_path)
    player = take_to_the_check(qtbot, window, path, answer=0)           # "yes, above a half"
    measured = window.state.history["val_accuracy"][-1]                 # what the run itself recorded
    assert measured > 0.5 and player.verdict.right is True
    assert f"It reached {measured:.1%}." in player.text.toPlainText()
    assert player.remembered["first_accuracy"] == measured
    window.actions.trigger("next_lesson_step")                           # finished: the next time starts over
    player = take_to_the_check(qtbot, window, path, answer=0, rate=1e-6)   # the same lesson, a tiny rate
    measured = window.state.history["val_accuracy"][-1]
    assert window.run_config.learning_rate == 1e-6
    assert measured <= 0.5 and player.verdict.right is False
    assert "Not this time. In this run: no." == player.verdict_label.text()
    assert f"It reached {measured:.1%}." in player.text.toPlainText()


def test_a_lesson_resumes_where_it_was_left_and_finished_lessons_are_marked(qtbot, window):
    window.set_dataset(digits())
    player = window.actions.trigger("start_lesson", "07-convolution")
    player.open_step(2)
    window.actions.trigger("lessons")                                   # Help > Lessons: the list
    listed = window.lessons.list
    row = [entry.lesson_id for entry in listed.entries].index("07-convolution")
    assert "resume at step 3" in listed.list.item(row).text()
    assert "min" in listed.list.item(row).text()
    listed.list.setCurrentRow(row)
    assert listed.start_button.text() == "Resume lesson"
    listed.start_button.click()
    assert window.lessons.player.index == 2
    for _ in range(len(player.lesson.steps) - 2):
        window.actions.trigger("next_lesson_step")
    assert listed.isVisible() and listed.list.item(row).text().startswith("✓ 07-convolution") is False
    assert listed.list.item(row).text().startswith("✓ Convolution")
    from core.lessons.progress import LessonProgress
    assert LessonProgress.load().finished("07-convolution")               # kept on disk for the next launch


def test_the_highlight_sits_on_its_widget_and_follows_it(qtbot, window):
    window.set_dataset(digits())
    player = window.actions.trigger("start_lesson", "08-your-handwriting")
    highlight = player.host.highlight
    canvas = window.tabs.draw_panel.canvas
    assert window.tabs.tabText(window.tabs.currentIndex()) == "Draw"

    def on_canvas():
        shown = QRect(canvas.mapTo(window, QPoint(0, 0)), canvas.size())
        return highlight.isVisible() and highlight.geometry().contains(shown.intersected(window.rect()).center()) \
            and abs(highlight.geometry().width() - shown.width()) <= 8
    qtbot.waitUntil(on_canvas, timeout=3000)
    window.tabs.show_tab("Training")                                     # its tab is hidden: so is the frame
    qtbot.waitUntil(lambda: not highlight.isVisible(), timeout=3000)
    window.tabs.show_tab("Draw")
    qtbot.waitUntil(on_canvas, timeout=3000)
    window.resize(window.width() - 200, window.height() - 100)           # the canvas moves: the frame too
    qtbot.waitUntil(on_canvas, timeout=3000)
    window.actions.trigger("next_lesson_step")                           # the next step points elsewhere
    target = window.tabs.draw_panel.input_view
    qtbot.waitUntil(lambda: highlight.target is target and highlight.isVisible(), timeout=3000)
    player.close_lesson()
    assert highlight.target is None and not highlight.isVisible()


def test_a_broken_lesson_file_says_where_and_the_window_goes_on(qtbot, window, tmp_path):
    broken = lesson_file(tmp_path, ABOVE_HALF.replace("look: learning_rate", "lok: learning_rate"), "broken.md")
    assert window.actions.trigger("open_lesson", str(broken)) is None
    qtbot.waitUntil(lambda: any(box.isVisible() for box in window.findChildren(QMessageBox)), timeout=3000)
    box = next(box for box in window.findChildren(QMessageBox) if box.isVisible())
    assert f"{broken}:12: unknown instruction 'lok:'" in box.text()
    box.close()
    player = window.actions.trigger("open_lesson", str(lesson_file(tmp_path)))   # a good one still opens
    assert player.lesson.title == "Above a half?"


def test_an_action_a_lesson_cannot_do_is_said_in_the_panel_not_raised(qtbot, window, tmp_path):
    path = lesson_file(tmp_path, ABOVE_HALF.replace("do: set_setting epochs 3", "do: set_setting epochs lots"))
    player = window.actions.trigger("open_lesson", str(path))
    assert "Could not set setting epochs lots" in player.status.text()


@pytest.mark.parametrize("screen", ["1280x720", "1366x768"])
def test_the_window_with_its_lessons_panel_fits_a_laptop_at_every_step(qtbot, monkeypatch, screen, mnist_small):
    """Every step of every lesson opened (its set-up done, its tab shown, MNIST's pictures in the
    Data tab): the window never grows past the screen, and the lesson's text and buttons show."""
    monkeypatch.setenv("DIGITLAB_SCREEN", screen)
    from core.lessons.library import list_lessons
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    window.set_dataset(mnist_small)
    for entry in list_lessons():
        player = window.actions.trigger("start_lesson", entry.lesson_id)
        for index in range(len(player.lesson.steps)):
            player.open_step(index)
            qtbot.waitUntil(lambda: player.isVisible() and not player.job.busy, timeout=10000)
            assert fits_on_screen(window, pretended_screen()), (entry.lesson_id, index, window.minimumSizeHint())
            for widget in (player.text, player.next_button, player.back_button):
                shown = widget.visibleRegion().boundingRect()
                assert shown.width() == widget.width() and shown.height() == widget.height(), widget
            assert player.text.width() >= 220 and player.text.height() >= 120, (entry.lesson_id, index)
        player.close_lesson()
    window.close()


def test_a_resumed_lesson_sets_up_again_and_keeps_what_it_remembered(qtbot, window, mnist):
    window.set_dataset(mnist)
    player = window.actions.trigger("start_lesson", "02-hidden-layer")
    window.actions.trigger("next_lesson_step")                     # step 2: train with mean squared error
    window.actions.trigger("answer_lesson", 0)
    window.actions.trigger("run_lesson_step")
    qtbot.waitUntil(lambda: player.is_checked, timeout=60000)
    mse_accuracy = window.state.history["val_accuracy"][-1]
    assert player.remembered == {"mse_accuracy": mse_accuracy}
    window.actions.trigger("next_lesson_step")                     # step 3 (cross-entropy) opens...
    window.actions.trigger("start_lesson", "03-backpropagation")   # ...and the learner wanders off
    assert window.form.config().hidden_sizes == (50,)
    player = window.actions.trigger("start_lesson", "02-hidden-layer")
    assert player.index == 2
    config = window.form.config()                                  # lesson 2's set-up, not lesson 3's
    assert (config.hidden_sizes, config.epochs, config.loss) == ((128,), 1, "cross_entropy")
    assert player.remembered == {"mse_accuracy": mse_accuracy}     # the comparison still has its number
    window.actions.trigger("answer_lesson", 0)
    window.actions.trigger("run_lesson_step")
    qtbot.waitUntil(lambda: player.is_checked, timeout=60000)
    assert player.verdict.right is not None
    assert f"mean squared error: {mse_accuracy:.2%}" in player.text.toPlainText()


def test_a_run_that_cannot_start_is_said_and_the_step_can_be_tried_again(qtbot, window, mnist_small):
    window.set_dataset(mnist_small)   # 1,500 images: the preset holds out 10,000 for validation
    player = window.actions.trigger("start_lesson", "02-hidden-layer")
    window.actions.trigger("next_lesson_step")
    window.actions.trigger("answer_lesson", 1)
    window.actions.trigger("run_lesson_step")
    assert not window.is_training and player.waiting is None and not player.is_checked
    assert "did not start" in player.status.text()
    assert player.primary_button.isEnabled()
    qtbot.waitUntil(lambda: any(box.isVisible() for box in window.findChildren(QMessageBox)), timeout=3000)
    window.actions.trigger("set_setting", "val_split", 0.1)         # the learner fixes it
    window.actions.trigger("run_lesson_step")
    qtbot.waitUntil(lambda: player.is_checked, timeout=60000)
    assert player.verdict.right is not None
