"""The machinery behind "every setting is declared once": ``setting(...)`` and what reads it.

A setting is a dataclass field whose metadata holds a ``Setting``: label, help, group, allowed
choices or numeric range, unit, command-line flag, and when it matters. core.settings.config
declares TrainConfig with it; from those declarations come

- validation with clear messages (``Setting.problem``, used by TrainConfig.validate),
- the ``train`` command's options (core.cli.train: ``cli_flag``, ``cli_help``, ``from_text``),
- the app's settings form (gui.training.setting_editors builds a widget per setting),
- text for the model file and the history CSV header (``to_text`` / TrainConfig.to_dict).

Nothing here knows a particular setting; it knows kinds of values: bool, int, float, str, and
tuples of ints (layer sizes, image sizes), with ``parse`` / ``check`` hooks for the odd one.
"""
import dataclasses
import functools
import math
from typing import Any, Callable

from core.errors import ConfigError

GROUPS = ("network", "optimiser", "data", "augmentation", "advanced", "run")   # form order; "run" is not in the form


@dataclasses.dataclass(frozen=True)
class Setting:
    """What is known about one TrainConfig field beyond its type and default.

    Ranges: ``minimum`` / ``maximum`` are inclusive, ``above`` / ``below`` exclusive; for tuple
    settings they apply to every item. ``names`` gives display text for particular values (the
    choices of a combo box, or a special value such as iterations 0 = "use epochs").
    ``used_if(config)`` says whether the setting matters for the rest of the config (the form
    greys it out with ``unused_note`` when it does not). ``live``: may change while training runs.
    """
    label: str
    help: str
    group: str
    choices: tuple = None
    names: dict = None
    minimum: float = None
    maximum: float = None
    above: float = None
    below: float = None
    unit: str = ""
    cli: Any = True                 # True: --name-with-hyphens; a string: that flag; None: no option
    metavar: str = None
    example: str = ""
    parse: Callable = None          # text -> value (raises ConfigError); default by type
    check: Callable = None          # value -> message or None, after the type and range checks
    used_if: Callable = None        # config -> bool
    unused_note: str = ""
    live: bool = False
    # filled in by settings_of from the dataclass field
    name: str = ""
    type: type = None
    default: Any = None

    # ----- words ---------------------------------------------------------------------------
    @property
    def what(self):
        """The label as it reads inside a sentence: 'learning rate', but 'L2 strength'."""
        first = self.label.split(" ")[0]
        return self.label[0].lower() + self.label[1:] if first[1:].islower() or len(first) == 1 else self.label

    def range_text(self):
        """'> 0 and < 10000', '>= 1', '' (no range)."""
        parts = [f"{sign} {_number(bound)}" for sign, bound in
                 ((">=", self.minimum), (">", self.above), ("<=", self.maximum), ("<", self.below))
                 if bound is not None]
        return " and ".join(parts)

    def choice_texts(self):
        return [str(_plain(value)) for value in self.choices or ()]

    def help_text(self):
        """help plus the choices or range and unit: tooltips and --help."""
        text = self.help
        if self.choices:
            text += f" One of: {', '.join(self.choice_texts())}."
        elif self.range_text():
            text += f" Range: {self.range_text()}{' ' + self.unit if self.unit else ''}."
        elif self.unit:
            text += f" In {self.unit}."
        return text

    # ----- values --------------------------------------------------------------------------
    def problem(self, value):
        """None when value is acceptable on its own, else a message naming the setting."""
        if not self._has_type(value):
            kind = {bool: "yes or no", int: "a whole number", float: "a number", str: "a word",
                    tuple: "a list of whole numbers"}.get(self.type, self.type.__name__)
            return f"{self.what} must be {kind} (got {value!r})"
        if self.choices is not None and value not in self.choices:
            return f"{self.what} must be one of {', '.join(self.choice_texts())} (got {_plain(value)!r})"
        items = value if self.type is tuple else (value,)
        if self.type in (int, float, tuple) and not all(self._in_range(v) for v in items):
            each = " each" if self.type is tuple else ""
            return f"{self.what} must{each} be {self.range_text()} (got {_plain(value)})"
        return self.check(value) if self.check else None

    def _has_type(self, value):
        if self.type is bool:
            return isinstance(value, bool)
        if self.type is int:
            return isinstance(value, int) and not isinstance(value, bool)
        if self.type is float:
            return isinstance(value, (int, float)) and not isinstance(value, bool)
        if self.type is tuple:
            return isinstance(value, tuple) and all(isinstance(v, int) and not isinstance(v, bool) for v in value)
        return isinstance(value, self.type)

    def _in_range(self, value):
        if isinstance(value, float) and math.isnan(value):
            return False
        return ((self.minimum is None or value >= self.minimum) and (self.maximum is None or value <= self.maximum)
                and (self.above is None or value > self.above) and (self.below is None or value < self.below))

    def from_text(self, text):
        """The value typed as text (command line, line edit); ConfigError when it is not one."""
        if self.parse is not None:
            return self.parse(text)
        text = str(text).strip()
        try:
            if self.type is bool:
                if text.lower() in ("1", "yes", "true", "on"):
                    return True
                if text.lower() in ("0", "no", "false", "off"):
                    return False
                raise ValueError(text)
            if self.type is int:
                return int(text)
            if self.type is float:
                return float(text)
            if self.type is tuple:
                return tuple(int(part) for part in text.replace(" ", "").split(",") if part)
        except ValueError:
            raise ConfigError(f"{self.what} must be {self._kind_words()} (got {text!r})") from None
        return text

    def _kind_words(self):
        return {bool: "yes or no", int: "a whole number", float: "a number",
                tuple: "whole numbers separated by commas"}.get(self.type, "text")

    def from_json(self, value):
        """A value read back from JSON (a model file, saved settings) in this setting's type;
        ValueError when it cannot be one (TrainConfig.validate judges the value itself)."""
        if self.type is tuple:
            if not isinstance(value, (list, tuple)):
                raise ValueError(f"{self.what} must be a list of whole numbers (got {value!r})")
            return tuple(int(v) for v in value)
        if self.type is int and isinstance(value, float) and value.is_integer():
            return int(value)
        return value

    def to_text(self, value):
        """value as it is shown and typed: 128,64 for tuples, 0.001 for floats."""
        if self.type is tuple:
            return ",".join(str(v) for v in value)
        if isinstance(value, float):
            return f"{value:g}"
        return str(value)

    def cli_flag(self):
        """'--batch-size' (or the flag the declaration names), or None for no option."""
        if self.cli is None or self.cli is False:
            return None
        return self.cli if isinstance(self.cli, str) else "--" + self.name.replace("_", "-")


def setting(default, *, label, help, group, **details):
    """A dataclass field for a declared setting: ``field: type = setting(default, label=..., ...)``.

    details are Setting's other fields (choices, names, minimum, maximum, above, below, unit,
    cli, metavar, example, parse, check, used_if, unused_note, live).
    """
    if group not in GROUPS:
        raise ValueError(f"unknown settings group {group!r}; use one of {', '.join(GROUPS)}")
    info = Setting(label=label, help=help, group=group, **details)
    if isinstance(default, (list, dict, set)):
        raise TypeError("settings need immutable defaults (use a tuple)")
    return dataclasses.field(default=default, metadata={"setting": info})


@functools.lru_cache(maxsize=None)
def settings_of(cls):
    """(Setting, ...) of a dataclass's declared settings, in declaration order, with name,
    type and default filled in."""
    found = []
    for field in dataclasses.fields(cls):
        info = field.metadata.get("setting")
        if info is not None:
            found.append(dataclasses.replace(info, name=field.name, type=field.type, default=field.default))
    return tuple(found)


def settings_by_name(cls):
    return {info.name: info for info in settings_of(cls)}


def _plain(value):
    return list(value) if isinstance(value, tuple) else value


def _number(value):
    return f"{value:g}" if isinstance(value, float) else str(value)
