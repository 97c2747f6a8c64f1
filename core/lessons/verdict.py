"""Judging a learner's prediction against what this run measured (never a canned answer).

    verdict = judge(question, answer, facts)   # answer: the choice's index (from 0) or a number
    verdict.right     -> True, False, or None (the run did not measure what the question needs)
    verdict.text      -> "Right. In this run: ..." with the measured number

facts: the measurements of the run shown ({"final": {...}, "majority_share": 0.9, ...}), made
by the window (gui/shell/lesson_facts.py) or by a test.
"""
from dataclasses import dataclass
from typing import Optional

from core.lessons.expressions import LessonError, MissingFact
from core.lessons.vocabulary import FACTS


@dataclass(frozen=True)
class Verdict:
    right: Optional[bool]
    text: str
    measured: Optional[float] = None     # the number question's measured value


def _number(value):
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, (int, float)):
        return f"{value:,.4g}" if abs(value) < 1e5 else f"{value:,.0f}"
    return str(value)


def plain_name(fact):
    """What a missing fact is, in the learner's words ("final.val_accuracy" -> "the figures of
    the run's last epoch")."""
    name = fact.split(".")[0]
    if name in ("final", "first", "best"):
        return "the figures of a finished epoch"
    if name in FACTS and FACTS[name][0].startswith("function"):
        return f"the {name.replace('_', ' ')} of the network shown"
    if name in FACTS:
        return FACTS[name][1].split(" (")[0].split(": ")[-1]
    return "a number from an earlier step of this lesson (go back and run it)"


def judge(question, answer, facts):
    if question.number is not None:
        return _judge_number(question, answer, facts)
    return _judge_choice(question, answer, facts)


def _judge_number(question, answer, facts):
    try:
        value = float(question.number.evaluate(facts))
    except MissingFact as missing:
        return Verdict(None, f"Your answer cannot be checked yet: it needs {plain_name(missing.args[0])}, "
                             f"which is not measured yet (no data loaded, or the run stopped early). "
                             f"Run it again to the end.")
    except (LessonError, TypeError, ValueError, ZeroDivisionError) as error:
        return Verdict(None, f"The lesson's check could not be computed: {error}")
    right = question.tolerance.accepts(float(answer), value)
    said, measured = _number(float(answer)), _number(value)
    if right:
        return Verdict(True, f"Right. You said {said}; measured: {measured} "
                             f"({_counts(question.tolerance)}).", value)
    return Verdict(False, f"Not quite. You said {said}; measured: {measured} "
                          f"({_counts(question.tolerance)}).", value)


def _counts(tolerance):
    words = tolerance.describe()
    return "only that answer counts" if words == "exactly" else f"answers {words} of it count"



def _judge_choice(question, chosen, facts):
    happened, missing = [], None
    for index, choice in enumerate(question.choices):
        try:
            if choice.check.evaluate(facts):
                happened.append(index)
        except MissingFact as error:
            missing = error.args[0]
        except (LessonError, TypeError, ValueError, ZeroDivisionError) as error:
            return Verdict(None, f"The lesson's check could not be computed: {error}")
    if not happened:
        reason = (f"it needs {plain_name(missing)}, not measured yet (did the run stop early?)" if missing
                  else "none of the choices describes what this run did")
        return Verdict(None, f"Your answer cannot be checked: {reason}. Run it again to the end.")
    what = "; ".join(question.choices[index].text for index in happened)
    if chosen in happened:
        return Verdict(True, f"Right. In this run: {what}.")
    return Verdict(False, f"Not this time. In this run: {what}.")
