"""Checking lessons: every preset, setting, value, tab, highlighted part, wait and question of a
lesson exists and can be checked. `python main.py lessons --check [FILE_OR_DIR]` prints one line
per problem, "file:line: what is wrong".

    problems = check_lesson_file(path)      # [Problem], empty when the lesson is sound
"""
from dataclasses import dataclass
from pathlib import Path

from core.errors import ConfigError
from core.lessons import vocabulary
from core.lessons.expressions import BUILTINS, Expression, LessonError, placeholders
from core.lessons.lesson import read_lesson
from core.settings.config import TrainConfig
from core.settings.fields import settings_by_name
from core.settings.presets import PRESETS
from core.training.training_run import HISTORY_KEYS

ROW_KEYS = {"final": HISTORY_KEYS + ("test_loss", "test_accuracy"),
            "first": HISTORY_KEYS + ("test_loss", "test_accuracy"),
            "best": HISTORY_KEYS + ("test_loss", "test_accuracy")}


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def __str__(self):
        return f"{self.path}:{self.line}: {self.message}"


def _settings():
    """Settings a lesson may set: those with a command-line name (cli_name -> Field)."""
    return {name: field for name, field in settings_by_name(TrainConfig).items() if field.cli}


def check_lesson_file(path):
    """[Problem] of the lesson at ``path`` (a file that cannot be read gives one)."""
    try:
        lesson = read_lesson(path)
    except LessonError as error:
        where, _, message = str(error).partition(": ")
        file_part, _, line = where.rpartition(":")
        if line.isdigit():
            return [Problem(Path(file_part), int(line), message)]
        return [Problem(Path(path), 1, str(error))]
    return check_lesson(lesson)


def check_lesson(lesson):
    problems, known = [], set()
    say = lambda line, message: problems.append(Problem(lesson.path, line, message))
    for step in lesson.steps:
        if not step.text:
            say(step.line, f"step {step.title!r} has no text: say what the learner is looking at")
        for line in step.stray:
            say(line, "an instruction inside the text is read as text: put the step's instructions right "
                      "under its '## ' title, before the text")
        for command in step.do + step.run:
            for message in _command_problems(command):
                say(command.line, message)
        if step.look is not None and step.look[0] not in vocabulary.TARGETS:
            say(step.look[1], f"no part of the window is called {step.look[0]!r} (see docs/LESSONS.md for the names)")
        if step.wait is not None and step.wait[0] not in vocabulary.WAITS:
            say(step.wait[1], f"cannot wait for {step.wait[0]!r}; the events are: {', '.join(vocabulary.WAITS)}")
        names_now = known | {"answer"}
        question = step.question
        if question is not None:
            if question.number is None and len(question.choices) < 2:
                say(question.line, "a multiple-choice question needs at least two 'choice:' lines")
            if question.number is not None and question.choices:
                say(question.line, "a question has either 'choice:' lines or an 'answer:' line, not both")
            for choice in question.choices:
                for message in _expression_problems(choice.check, names_now):
                    say(choice.line, message)
            if question.number is not None:
                for message in _expression_problems(question.number, names_now - {"answer"}):
                    say(question.number_line, message)
        for name, expression, line in step.remember:
            for message in _expression_problems(expression, names_now):
                say(line, message)
            known.add(name)
        prompt = [(step.question.prompt, step.question.line)] if step.question is not None else []
        for text, first_line in [(step.text, step.text_line), (step.after, step.after_line)] + prompt:
            for expression_text, spec, _ in placeholders(text):
                line = first_line + text[:text.find(expression_text)].count("\n")
                try:
                    expression = Expression.parse(expression_text)
                except LessonError as error:
                    say(line, str(error))
                    continue
                for message in _expression_problems(expression, known | {"answer"}):
                    say(line, message)
                if spec:
                    try:
                        format(0.5, spec)
                    except ValueError:
                        say(line, f"{spec!r} is not a number format (try .1%, .3f or ,.0f)")
    return problems


def _command_problems(command):
    kinds = vocabulary.ACTIONS.get(command.action)
    if kinds is None:
        return [f"a lesson cannot do {command.action!r}; the actions are: {', '.join(vocabulary.ACTIONS)}"]
    if len(command.args) != len(kinds):
        needs = " ".join(kinds).upper() or "no arguments"
        return [f"{command.action} takes {needs} (got {len(command.args)} argument(s))"]
    problems = []
    settings = _settings()
    for kind, value in zip(kinds, command.args):
        if kind == "dataset" and value not in vocabulary.DATASETS:
            problems.append(f"no dataset {value!r}; lessons load: {', '.join(vocabulary.DATASETS)}")
        elif kind == "preset" and value not in PRESETS:
            problems.append(f"no preset {value!r}; the presets are: {', '.join(PRESETS)}")
        elif kind == "tab" and value not in vocabulary.TABS:
            problems.append(f"no tab {value!r}; the tabs are: {', '.join(vocabulary.TABS)}")
        elif kind == "target" and value not in vocabulary.TARGETS:
            problems.append(f"no part of the window is called {value!r}")
        elif kind in ("int", "digit") and not (value.isdigit() and (kind == "int" or int(value) <= 9)):
            problems.append(f"{value!r} is not a {'digit 0-9' if kind == 'digit' else 'whole number'}")
        elif kind == "setting" and value not in settings:
            problems.append(f"no setting {value!r}; settings go by their command-line names "
                            f"(python main.py train --help), e.g. learning_rate, epochs, hidden_sizes")
        elif kind == "value" and command.args[0] in settings:
            try:
                field = settings[command.args[0]]
                problem = field.problem(field.from_text(value))
            except (ConfigError, ValueError) as error:
                problem = str(error)
            if problem:
                problems.append(f"{command.args[0]} cannot be {value!r}: {problem}")
    return problems


def _expression_problems(expression, known):
    problems = []
    for used in sorted(expression.names(), key=str):
        if used[0] == "call":
            _, name, n_args = used
            if name in BUILTINS:
                continue
            if name not in vocabulary.FUNCTION_ARITY:
                problems.append(f"no measurement {name}(...) in {expression.text!r}")
            elif vocabulary.FUNCTION_ARITY[name] != n_args:
                problems.append(f"{name} takes {vocabulary.FUNCTION_ARITY[name]} number(s), in {expression.text!r}")
        elif len(used) == 2:
            name, key = used
            if name == "config":
                if key not in _settings():
                    problems.append(f"no setting {key!r} in {expression.text!r}")
            elif name not in ROW_KEYS:
                problems.append(f"{name}.{key}: only final, first, best and config have parts, in {expression.text!r}")
            elif key not in ROW_KEYS[name]:
                problems.append(f"{name}.{key}: the keys are {', '.join(ROW_KEYS[name])}")
        else:
            name = used[0]
            kind = vocabulary.FACTS.get(name, ("",))[0]
            if name in known or kind in ("number", "flag"):
                continue
            if kind:
                problems.append(f"{name} is a {kind.split('/')[0]}, used as a number in {expression.text!r}")
            else:
                problems.append(f"no measurement called {name!r} in {expression.text!r} "
                                f"(see docs/LESSONS.md; 'remember:' names one for later steps)")
    return problems


def lesson_files(target):
    """The .md lessons in a folder (sorted), or the one file given."""
    target = Path(target)
    return sorted(target.glob("*.md")) if target.is_dir() else [target]


def check_paths(targets):
    """[Problem] of every lesson file under ``targets`` (files or folders)."""
    problems = []
    for target in targets:
        files = lesson_files(target)
        if not Path(target).exists():
            problems.append(Problem(Path(target), 0, "no such file or folder"))
        for path in files if Path(target).exists() else []:
            problems.extend(check_lesson_file(path))
    return problems
