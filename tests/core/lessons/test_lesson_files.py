"""Lessons as files: reading, checking (with line numbers), the shipped lessons, the CLI."""
from pathlib import Path

import pytest

from core.lessons.check import check_lesson_file, check_paths
from core.lessons.expressions import LessonError
from core.lessons.lesson import parse_lesson, read_lesson
from core.storage.resources import LESSONS_DIR
from tests.cli_helpers import run_cli

GOOD = """---
title: A small lesson
minutes: 3
---

## First step
do: load_data digits
do: pick_preset logistic-one-digit
do: set_setting epochs 2
look: accuracy_plot

Some text with {final.val_accuracy:.1%}.

## Second step
ask: Which is higher?
choice: training | final.train_accuracy > final.val_accuracy
choice: validation | final.train_accuracy <= final.val_accuracy
run: start
wait: finished
remember: first_accuracy = final.val_accuracy

Before.

---
After: {first_accuracy:.2f} and {answer}.
"""


def write(tmp_path, text, name="lesson.md"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_lesson_is_read_into_steps_with_their_instructions_and_texts(tmp_path):
    lesson = read_lesson(write(tmp_path, GOOD))
    assert (lesson.title, lesson.minutes, lesson.lesson_id) == ("A small lesson", 3, "lesson")
    first, second = lesson.steps
    assert [(c.action, c.args) for c in first.do] == [("load_data", ("digits",)), ("pick_preset", ("logistic-one-digit",)),
                                                      ("set_setting", ("epochs", "2"))]
    assert first.look == ("accuracy_plot", 10) and first.text.startswith("Some text")
    assert second.question.kind == "choice" and [c.text for c in second.question.choices] == ["training", "validation"]
    assert [(c.action, c.line) for c in second.run] == [("start", 18)] and second.wait == ("finished", 19)
    assert second.text == "Before." and second.after.startswith("After:")
    assert check_lesson_file(write(tmp_path, GOOD)) == []


@pytest.mark.parametrize("change, line, words", [
    ("do: pick_preset logistic-one-digit", 8, "no preset 'no-such-preset'"),
    ("look: accuracy_plot", 10, "no part of the window is called 'accuracy_plott'"),
    ("do: set_setting epochs 2", 9, "epochs cannot be"),
    ("choice: training | final.train_accuracy > final.val_accuracy", 16, "final.train_acc"),
    ("wait: finished", 19, "cannot wait for"),
    ("do: load_data digits", 7, "a lesson cannot do 'load_dataa'"),
    ("Some text with {final.val_accuracy:.1%}.", 12, "no measurement called 'nothing'"),
])
def test_a_broken_lesson_gets_its_problem_with_the_line_number(tmp_path, capsys, change, line, words):
    broken = {"do: pick_preset logistic-one-digit": "do: pick_preset no-such-preset",
              "look: accuracy_plot": "look: accuracy_plott",
              "do: set_setting epochs 2": "do: set_setting epochs -3",
              "choice: training | final.train_accuracy > final.val_accuracy": "choice: training | final.train_acc > 0",
              "wait: finished": "wait: forever",
              "do: load_data digits": "do: load_dataa digits",
              "Some text with {final.val_accuracy:.1%}.": "Some text with {nothing}."}[change]
    assert change in GOOD
    path = write(tmp_path, GOOD.replace(change, broken))
    problems = check_lesson_file(path)
    assert [(p.line, words in p.message) for p in problems] == [(line, True)], problems
    code, out, _ = run_cli(capsys, "lessons", "--check", str(path))
    assert code == 1 and out.strip() == f"{path}:{line}: {problems[0].message}"


@pytest.mark.parametrize("text, line, words", [
    ("title: x\nminutes: 3\n---\n## s\n", 1, "starts with a header"),
    ("---\ntitle: x\nminutes: soon\n---\n## s\ntext\n", 3, "minutes must be"),
    ("---\ntitle: x\nminutes: 3\n---\n## s\nlok: canvas\n", 6, "unknown instruction 'lok:'"),
    ("---\ntitle: x\nminutes: 3\n---\n## s\nchoice: a | 1 > 0\n", 6, "put an 'ask:' line before"),
    ("---\ntitle: x\nminutes: 3\n---\n## s\nask: q\nanswer: 3 roughly\n", 7, "within"),
    ("---\ntitle: x\nminutes: 3\n---\n## s\nask: q\nanswer: __import__('os') within 3\n\ntext\n", 7,
     "no measurement __import__(...)"),
    ("---\ntitle: x\nminutes: 3\n---\nno steps\n", 5, "at least one step"),
])
def test_a_lesson_that_cannot_be_read_says_where(tmp_path, text, line, words):
    problems = check_lesson_file(write(tmp_path, text))
    assert len(problems) == 1 and problems[0].line == line and words in problems[0].message, problems


def test_every_shipped_lesson_checks_out_and_the_list_names_them(capsys):
    files = sorted(LESSONS_DIR.glob("*.md"))
    assert len(files) >= 8
    assert check_paths([LESSONS_DIR]) == []
    code, out, err = run_cli(capsys, "lessons", "--check")
    assert code == 0 and out == "" and "every lesson checks out" in err
    code, out, _ = run_cli(capsys, "lessons", "--list")
    assert code == 0 and len(out.splitlines()) == len(files)
    for path in files:
        lesson = read_lesson(path)
        assert f"{lesson.minutes:3d} min  {lesson.title}" in out


def test_a_missing_path_is_a_problem_not_a_traceback(tmp_path, capsys):
    code, out, _ = run_cli(capsys, "lessons", "--check", str(tmp_path / "nowhere.md"))
    assert code == 1 and "no such file or folder" in out


def test_a_question_needs_choices_or_an_answer():
    with pytest.raises(LessonError, match="needs 'choice:' lines"):
        parse_lesson("---\ntitle: x\nminutes: 2\n---\n## s\nask: what?\n\ntext\n", Path("x.md"))


def test_the_writers_guide_names_every_word_a_lesson_may_use():
    from core.lessons import vocabulary
    from core.lessons.lesson import INSTRUCTIONS
    guide = (Path(__file__).resolve().parents[3] / "docs" / "LESSONS.md").read_text(encoding="utf-8")
    words = (list(vocabulary.ACTIONS) + list(vocabulary.TARGETS) + list(vocabulary.WAITS) + list(vocabulary.FACTS)
             + [f"{name}:" for name in INSTRUCTIONS])
    missing = [word for word in words if f"`{word}" not in guide and f"{word}`" not in guide]
    assert missing == []
