"""The types a run record's files must have, checked once when a record is read.

Everything that uses a record (the runs list, resume, fork, compare, rename, delete, the app's
Runs tab) reads it through core.records.reader, which calls these checks: a record edited by
hand or damaged on disk (``"dataset": null``, a list where an object belongs, a history row that
is not an object, an epoch that is not a whole number) becomes a 'corrupt' row that names the
field, instead of an AttributeError deep in whichever command touched it first, for every run.

Each check returns None when the value is usable, else the reason (a phrase naming the field).
Only what DigitLab relies on is checked: unknown keys are allowed (newer writers add some).
"""
from core.settings.config import TrainConfig
from core.settings.fields import settings_by_name


def _is_int(value):
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value):
    return (isinstance(value, (int, float)) and not isinstance(value, bool))


def _kind(value):
    return "null" if value is None else {dict: "an object", list: "a list", str: "text", bool: "true/false"}.get(
        type(value), "a number" if _is_number(value) else type(value).__name__)


def _wrong(where, value, wanted):
    return f"{where} is {_kind(value)}, not {wanted}"


def _json_type_ok(expected, value):
    """True if a JSON value can be a setting of Python type ``expected`` (fields.setting types)."""
    if expected is tuple:
        return isinstance(value, list) and all(_is_int(v) for v in value)
    if expected is bool:
        return isinstance(value, bool)
    if expected is int:
        return _is_int(value) or (isinstance(value, float) and value.is_integer())
    if expected is float:
        return _is_number(value)
    return isinstance(value, expected)


_WANTED = {bool: "true or false", int: "a whole number", float: "a number", tuple: "a list of whole numbers"}


def config_problem(config):
    """Why a stored TrainConfig dict is unusable (a field of the wrong type), or None."""
    if not isinstance(config, dict):
        return _wrong("'config'", config, "an object")
    known = settings_by_name(TrainConfig)
    for name, value in config.items():
        if name in known and not _json_type_ok(known[name].type, value):
            return _wrong(f"config '{name}'", value, _WANTED.get(known[name].type, "text"))
    return None


# key: (required, check(value) -> bool, what it must be)
_DATASET = {"name": (True, lambda v: isinstance(v, str), "text"),
            "source": (False, lambda v: v is None or isinstance(v, str), "text"),
            "image_shape": (True, lambda v: isinstance(v, list) and v and all(_is_int(s) and s > 0 for s in v),
                            "a list of positive whole numbers"),
            "class_names": (True, lambda v: isinstance(v, list) and all(isinstance(c, str) for c in v),
                            "a list of names")}
_NETWORK = {"description": (True, lambda v: isinstance(v, str), "text"),
            "architecture": (False, lambda v: isinstance(v, dict), "an object")}
_SETTINGS = {"id": (True, lambda v: isinstance(v, str) and v.strip() != "", "text"),
             "name": (False, lambda v: isinstance(v, str), "text"),
             "created": (False, lambda v: isinstance(v, str), "text"),
             "parent": (False, lambda v: v is None or isinstance(v, dict), "an object"),
             "writer": (False, lambda v: v is None or isinstance(v, dict), "an object"),
             "continued": (False, lambda v: isinstance(v, list) and all(isinstance(c, dict) for c in v),
                           "a list of objects"),
             "cap_bytes": (False, _is_int, "a whole number")}


def _fields_problem(data, spec, where):
    for key, (required, check, wanted) in spec.items():
        if key not in data:
            if required:
                return f"{where} lacks '{key}'"
            continue
        if not check(data[key]):
            return _wrong(f"{where} '{key}'", data[key], wanted)
    return None


def settings_problem(settings):
    """Why a settings.json dict (format and version already checked) cannot be used, or None."""
    problem = _fields_problem(settings, _SETTINGS, "'settings'")
    if problem:
        return problem
    for key, spec in (("dataset", _DATASET), ("network", _NETWORK)):
        value = settings.get(key)
        if not isinstance(value, dict):
            return _wrong(f"'{key}'", value, "an object")
        problem = _fields_problem(value, spec, f"'{key}'")
        if problem:
            return problem
    return config_problem(settings.get("config"))


def row_problem(row, previous_epoch):
    """Why one history row cannot be used, or None: an object whose epoch is a whole number after
    the previous row's, and whose metrics are numbers (null where there is none, e.g. NaN)."""
    if not isinstance(row, dict):
        return f"it is {_kind(row)}, not an object"
    epoch = row.get("epoch")
    if not _is_int(epoch) or epoch < 1:
        return _wrong("its epoch", epoch, "a whole number >= 1")
    if previous_epoch is not None and epoch <= previous_epoch:
        return f"epoch {epoch} follows epoch {previous_epoch} (two writers, or rows out of order)"
    for key, value in row.items():
        if value is not None and not _is_number(value):
            return _wrong(f"its '{key}'", value, "a number")
    return None


def end_problem(end):
    """Why an end.json value cannot be used, or None."""
    if not isinstance(end, dict):
        return f"it is {_kind(end)}, not an object"
    for key in ("reason", "message", "ended"):
        if end.get(key) is not None and not isinstance(end[key], str):
            return _wrong(f"its '{key}'", end[key], "text")
    for key in ("step", "epochs", "elapsed"):
        if end.get(key) is not None and not _is_number(end[key]):
            return _wrong(f"its '{key}'", end[key], "a number")
    return None
