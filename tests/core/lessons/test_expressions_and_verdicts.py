"""The lessons' expressions and verdicts: checks follow the measured numbers."""
import pytest

from core.lessons.expressions import Expression, LessonError, MissingFact, fill
from core.lessons.lesson import parse_lesson
from core.lessons.progress import LessonProgress
from core.lessons.verdict import judge

FACTS = {"final": {"val_accuracy": 0.93, "train_accuracy": 0.97}, "majority_share": 0.9,
         "precision": lambda c: [0.5, 0.8][int(c)], "diverged": False}


def test_expressions_compute_with_facts_and_list_their_names():
    expression = Expression.parse("final.train_accuracy - final.val_accuracy > 0.03 and not diverged")
    assert expression.evaluate(FACTS) is True
    assert expression.evaluate({**FACTS, "diverged": True}) is False
    assert expression.names() == {("final", "train_accuracy"), ("final", "val_accuracy"), ("diverged",)}
    assert Expression.parse("100 * precision(1)").evaluate(FACTS) == pytest.approx(80)
    assert Expression.parse("max(1, 2) ** 2").evaluate({}) == 4
    with pytest.raises(MissingFact):
        Expression.parse("final.test_accuracy").evaluate(FACTS)


@pytest.mark.parametrize("text", ["[1, 2]", "x[0]", "lambda: 1", "a.b.c", "f(x=1)", "__import__('os').system"])
def test_only_a_small_safe_part_of_python_is_allowed(text):
    with pytest.raises(LessonError):
        Expression.parse(text)


def test_texts_show_measured_numbers_and_dots_for_those_not_measured_yet():
    assert fill("acc {final.val_accuracy:.1%}, lazy {100 * majority_share:.0f}%", FACTS) == "acc 93.0%, lazy 90%"
    assert fill("test {final.test_accuracy:.1%}", FACTS) == "test …"


QUESTION_LESSON = """---
title: t
minutes: 1
---
## s
ask: q
choice: training higher | final.train_accuracy > final.val_accuracy
choice: validation higher | final.train_accuracy <= final.val_accuracy

text

## n
ask: how lazy?
answer: 100 * majority_share within 3

text
"""


def test_a_choice_is_judged_by_what_the_run_measured_and_the_verdict_follows_the_numbers():
    choice, number = (step.question for step in parse_lesson(QUESTION_LESSON).steps)
    assert judge(choice, 0, FACTS).right is True
    assert judge(choice, 1, FACTS).right is False and "training higher" in judge(choice, 1, FACTS).text
    other_run = {**FACTS, "final": {"val_accuracy": 0.98, "train_accuracy": 0.97}}
    assert judge(choice, 0, other_run).right is False and judge(choice, 1, other_run).right is True
    assert judge(choice, 0, {}).right is None          # nothing measured: cannot be checked


def test_a_number_is_judged_within_its_tolerance_of_the_measured_value():
    number = parse_lesson(QUESTION_LESSON).steps[1].question
    right = judge(number, 88, FACTS)
    assert right.right is True and right.measured == pytest.approx(90) and "measured: 90" in right.text
    assert judge(number, 80, FACTS).right is False
    assert judge(number, 80, {**FACTS, "majority_share": 0.81}).right is True


def test_progress_resumes_and_marks_finished_and_survives_a_broken_file(tmp_path):
    path = tmp_path / "progress.json"
    progress = LessonProgress.load(path)
    assert progress.step("one") == 0 and not progress.finished("one")
    progress.save_step("one", 3)
    assert LessonProgress.load(path).step("one") == 3
    progress.mark_finished("one")
    again = LessonProgress.load(path)
    assert again.finished("one") and again.step("one") == 0
    path.write_text("{not json", encoding="utf-8")
    assert LessonProgress.load(path).entries == {}


def test_facts_of_a_real_run_match_a_direct_computation():
    import dataclasses

    import numpy as np

    from core.lessons.facts import RunFacts, run_facts
    from core.settings.config import TrainConfig
    from core.training.trainers import make_trainer
    from core.training.training_run import run_to_end
    from tests.gui_helpers import digits

    config = dataclasses.replace(TrainConfig(), hidden_sizes=(16,), epochs=2, batch_size=32, positive_class=3,
                                 loss="binary_cross_entropy", output="sigmoid")
    trainer = make_trainer(config, digits())
    run_to_end(trainer)
    network = trainer.network
    facts = run_facts(RunFacts(history=trainer.history, network=network, config=config,
                               val_images=trainer.val_images.reshape(-1, 8, 8),
                               val_labels=trainer.val_labels))
    assert facts["final"]["val_accuracy"] == trainer.history["val_accuracy"][-1]
    assert facts["best"]["val_loss"] == min(trainer.history["val_loss"])
    assert facts["majority_share"] == np.mean(trainer.val_labels == 0)     # "not 3" is the common class
    assert facts["n_parameters"] == 64 * 16 + 16 + 16 * 1 + 1
    from core.data.normalise import to_float
    truth = trainer.val_labels
    answers = network.predict(to_float(trainer.val_images, "zero_one", network.dtype))
    assert facts["precision"](1) == pytest.approx(np.sum((answers == 1) & (truth == 1)) / np.sum(answers == 1))
    assert facts["recall"](1) == pytest.approx(np.mean(answers[truth == 1] == 1))
    assert facts["confusion"](0, 1) == np.sum((truth == 0) & (answers == 1))
    assert 0 <= facts["shifted_accuracy"](2) <= 1
