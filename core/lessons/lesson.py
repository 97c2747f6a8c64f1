"""A lesson as data: read from a Markdown file with a small header (docs/LESSONS.md is the
writers' guide).

    ---
    title: One neuron: is it a 0?
    minutes: 10
    summary: Logistic regression on one digit against the rest.
    ---

    ## Load the digits                     <- a step (its title)
    do: load_data mnist                    <- instructions, one per line, right under the title
    do: pick_preset logistic-one-digit
    look: preset_box

    Text in Markdown, shown when the step opens. {final.val_accuracy:.1%} is a measured number.

    ---                                    <- what follows is shown after the step's run and check
    Text shown after the check.

Instructions: ``do: ACTION ARGS`` (done when the step opens), ``look: TARGET`` (highlighted),
``ask: QUESTION`` with either ``choice: TEXT | CHECK`` lines or ``answer: NUMBER within TOLERANCE``,
``run: ACTION ARGS`` (done when the learner presses Run), ``wait: EVENT`` (what the run waits
for) and ``remember: NAME = EXPRESSION`` (kept for later steps' checks and texts).
``read_lesson`` only reads; core.lessons.check checks the names against the app.
"""
import re
import shlex
from dataclasses import dataclass, field
from pathlib import Path
from typing import Optional

from core.lessons.expressions import Expression, LessonError

INSTRUCTIONS = ("do", "look", "ask", "choice", "answer", "run", "wait", "remember")
_INSTRUCTION = re.compile(r"^([a-z_]+):\s*(.*)$")
_TOLERANCE = re.compile(r"^(.*\S)\s+within\s+(x?)([0-9.]+)(%?)\s*$")


@dataclass(frozen=True)
class Command:
    """An action of the app's actions API with its arguments (as text), and its line."""
    action: str
    args: tuple
    line: int


@dataclass(frozen=True)
class Choice:
    text: str
    check: Expression      # true when this choice is what happened in the run
    line: int


@dataclass(frozen=True)
class Tolerance:
    """How close a number answer must be: abs (within 3), relative (within 20%), factor (within x3)."""
    kind: str
    amount: float

    def accepts(self, guess, value):
        if self.kind == "factor":
            return guess > 0 and value > 0 and max(guess / value, value / guess) <= self.amount
        allowed = self.amount if self.kind == "abs" else abs(value) * self.amount / 100
        return abs(guess - value) <= allowed

    def describe(self):
        if self.kind == "abs" and self.amount == 0:
            return "exactly"
        return {"abs": f"within {self.amount:g}", "relative": f"within {self.amount:g}%",
                "factor": f"within a factor of {self.amount:g}"}[self.kind]


@dataclass
class Question:
    prompt: str
    line: int
    choices: list = field(default_factory=list)     # [Choice]: a multiple-choice question
    number: Optional[Expression] = None            # the measured number a guess is compared with
    tolerance: Optional[Tolerance] = None
    number_line: int = 0

    @property
    def kind(self):
        return "number" if self.number is not None else "choice"


@dataclass
class Step:
    title: str
    line: int
    do: list = field(default_factory=list)          # [Command] done when the step opens
    look: Optional[tuple] = None                    # (target name, line)
    question: Optional[Question] = None
    run: list = field(default_factory=list)         # [Command] done when the learner presses Run
    wait: Optional[tuple] = None                    # (event, line)
    remember: list = field(default_factory=list)    # [(name, Expression, line)]
    text: str = ""                                  # Markdown shown when the step opens
    after: str = ""                                 # Markdown shown after the run and the check
    text_line: int = 0
    after_line: int = 0
    stray: list = field(default_factory=list)       # lines of instructions found inside the text


@dataclass
class Lesson:
    path: Path
    title: str
    minutes: int
    summary: str
    steps: list
    header_line: int = 1

    @property
    def lesson_id(self):
        """The file's name without .md: progress is kept under it."""
        return self.path.stem


def read_lesson(path):
    """A Lesson from the file at ``path``; LessonError "file:line: what" at the first problem
    that keeps it from being read (core.lessons.check finds the rest)."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise LessonError(f"{path}: cannot read the lesson: {getattr(error, 'strerror', None) or error}") from None
    return parse_lesson(text, path)


def parse_lesson(text, path=Path("lesson.md")):
    lines = text.splitlines()
    header, body_start = _read_header(lines, path)
    steps, step, in_text = [], None, False
    for number, line in enumerate(lines[body_start:], start=body_start + 1):
        if line.startswith("## "):
            step = Step(title=line[3:].strip(), line=number)
            steps.append(step)
            in_text = False
            continue
        if step is None:
            continue   # a lesson's introduction before the first step: for the reader of the file
        match = _INSTRUCTION.match(line.strip())
        if not in_text and match:
            _instruction(step, match.group(1), match.group(2).strip(), number, path)
            continue
        if not in_text and not line.strip():
            continue
        in_text = True
        if match and match.group(1) in INSTRUCTIONS:
            step.stray.append(number)   # read as text: check_lesson says where instructions go
        if line.strip() == "---" and not step.after_line:
            step.after_line = number
            continue
        if step.after_line:
            step.after += line + "\n"
        else:
            step.text_line = step.text_line or number
            step.text += line + "\n"
    if not steps:
        raise LessonError(f"{path}:{body_start + 1}: a lesson needs at least one step (a line '## Step title')")
    for step in steps:
        step.text, step.after = step.text.strip(), step.after.strip()
        question = step.question
        if question is not None and not question.choices and question.number is None:
            raise LessonError(f"{path}:{question.line}: the question needs 'choice:' lines or an 'answer:' line")
    return Lesson(path=path, title=header["title"], minutes=header["minutes"], summary=header.get("summary", ""),
                  steps=steps)


def _read_header(lines, path):
    if not lines or lines[0].strip() != "---":
        raise LessonError(f"{path}:1: a lesson starts with a header between two '---' lines "
                          f"(title: ..., minutes: ...)")
    header = {}
    for number, line in enumerate(lines[1:], start=2):
        if line.strip() == "---":
            break
        key, colon, value = line.partition(":")
        if not colon:
            raise LessonError(f"{path}:{number}: a header line is 'name: value', not {line.strip()!r}")
        header[key.strip().lower()] = (value.strip(), number)
    else:
        raise LessonError(f"{path}:1: the header has no closing '---' line")
    for needed in ("title", "minutes"):
        if needed not in header:
            raise LessonError(f"{path}:1: the header needs '{needed}:'")
    minutes_text, minutes_line = header["minutes"]
    if not minutes_text.isdigit() or int(minutes_text) < 1:
        raise LessonError(f"{path}:{minutes_line}: minutes must be a whole number of minutes, not {minutes_text!r}")
    values = {key: value for key, (value, _) in header.items()}
    values["minutes"] = int(minutes_text)
    return values, number


def _command(value, number, path):
    try:
        words = shlex.split(value)
    except ValueError as error:
        raise LessonError(f"{path}:{number}: cannot read {value!r}: {error}") from None
    if not words:
        raise LessonError(f"{path}:{number}: an action's name is missing")
    return Command(words[0], tuple(words[1:]), number)


def _expression(value, number, path):
    try:
        return Expression.parse(value)
    except LessonError as error:
        raise LessonError(f"{path}:{number}: {error}") from None


def _instruction(step, key, value, number, path):
    if key not in INSTRUCTIONS:
        raise LessonError(f"{path}:{number}: unknown instruction '{key}:' (the instructions are: "
                          f"{', '.join(INSTRUCTIONS)})")
    if key in ("do", "run"):
        getattr(step, key).append(_command(value, number, path))
    elif key == "look":
        step.look = (value, number)
    elif key == "wait":
        step.wait = (value, number)
    elif key == "ask":
        step.question = Question(prompt=value, line=number)
    elif key == "remember":
        name, equals, expression = value.partition("=")
        if not equals or not name.strip().isidentifier():
            raise LessonError(f"{path}:{number}: remember is 'remember: name = expression', not {value!r}")
        step.remember.append((name.strip(), _expression(expression, number, path), number))
    else:
        if step.question is None:
            raise LessonError(f"{path}:{number}: '{key}:' belongs to a question: put an 'ask:' line before it")
        if key == "choice":
            text, bar, check = value.rpartition("|")
            if not bar or not text.strip():
                raise LessonError(f"{path}:{number}: a choice is 'choice: text | check', not {value!r}")
            step.question.choices.append(Choice(text.strip(), _expression(check, number, path), number))
        else:
            match = _TOLERANCE.match(value)
            if match is None:
                raise LessonError(f"{path}:{number}: an answer is 'answer: expression within 3' "
                                  f"(or 'within 10%', 'within x3'), not {value!r}")
            kind = "factor" if match.group(2) else "relative" if match.group(4) else "abs"
            step.question.number = _expression(match.group(1), number, path)
            step.question.tolerance = Tolerance(kind, float(match.group(3)))
            step.question.number_line = number
