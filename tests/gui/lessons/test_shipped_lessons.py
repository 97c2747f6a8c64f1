"""Every shipped lesson, taken in the real window by a scripted learner through the actions API,
on the real MNIST: each step opens, its run happens, and each verdict is the one the run's own
measured numbers give, for the answer given and (judged again) for another answer."""
import pytest

from core.lessons.lesson import read_lesson
from core.lessons.verdict import judge
from core.storage.resources import LESSONS_DIR

pytestmark = pytest.mark.usefixtures("themed_app")

LESSONS = sorted(path.stem for path in LESSONS_DIR.glob("*.md"))
SEVEN = [[(90, 80), (230, 75), (150, 260)], [(120, 170), (210, 168)]]   # canvas pixels of a 7


@pytest.fixture
def window(qtbot, monkeypatch, mnist_dir):
    from gui.shell.main_window import MainWindow
    monkeypatch.setenv("DIGITLAB_DATA", str(mnist_dir))
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    yield window
    window.close()


def other_answer(question, given, measured):
    """An answer that the run's numbers judge the other way from ``given``."""
    if question.kind == "choice":
        return next(i for i in range(len(question.choices)) if i != given)
    return measured if measured is not None else given


def test_the_shipped_lessons_are_all_here():
    assert len(LESSONS) >= 8 and all(read_lesson(LESSONS_DIR / f"{name}.md").steps for name in LESSONS)


@pytest.mark.parametrize("name", LESSONS)
def test_a_scripted_learner_completes_the_lesson(qtbot, window, name):
    player = window.actions.trigger("start_lesson", name)
    lesson = player.lesson
    assert player.index == 0 and window.lessons.isVisible()
    verdicts = []
    for index, step in enumerate(lesson.steps):
        assert player.index == index and player.step_label.text().startswith(f"Step {index + 1} of")
        if step.look:
            assert player.host.highlight.target is not None
        if step.wait and step.wait[0] == "drawing":
            window.actions.trigger("draw", SEVEN)
        if step.wait and step.wait[0] == "kept":
            window.actions.trigger("keep_drawing", 7)
        if step.question is not None:
            given = index % len(step.question.choices) if step.question.kind == "choice" else 0.0
            window.actions.trigger("answer_lesson", given)
        if step.question is not None or step.run:
            window.actions.trigger("run_lesson_step")
        if step.question is not None or step.run or step.wait:
            qtbot.waitUntil(lambda: player.is_checked, timeout=120000)
        if step.question is not None:
            facts = player.host.facts_job(player.remembered)()
            expected = judge(step.question, given, facts)
            assert player.verdict == expected and player.verdict.right is not None, player.verdict
            assert player.verdict_label.text() == expected.text
            again = judge(step.question, other_answer(step.question, given, expected.measured), facts)
            if expected.right is False:
                assert again.right is True          # the measured value (or the other choice) is right
            verdicts.append(expected.right)
            qtbot.waitUntil(lambda: "…" not in player.text.toPlainText(), timeout=10000)
            assert step.after == "" or "Not quite" in player.text.toPlainText() or \
                "Right" in player.text.toPlainText() or "Not this time" in player.text.toPlainText()
        window.actions.trigger("next_lesson_step")
    assert window.lessons.progress.finished(name)
    assert not window.lessons.player.isVisible() or window.lessons.player.lesson is None
    assert window.lessons.list.isVisible()   # back at the list, this lesson marked finished
    row = [entry.lesson_id for entry in window.lessons.list.entries].index(name)
    assert window.lessons.list.list.item(row).text().startswith("✓ ")
