"""Class names and project names the user types: checked once, with one clear sentence each.

A class name becomes a folder name when a project is exported as images and a subfolder name is
a class in an image folder (core.data's folder loader), so a class name must be a valid file name
on Windows, macOS and Linux: no / \\ : * ? " < > |, no control characters, not '.' or '..', no
leading or trailing space or trailing dot, not a Windows device name (CON, NUL, COM1, ...).
"""
import re

from core.errors import DatasetError

MAX_CLASSES = 30          # a keep button each: more does not fit a row, nor a student's patience
MAX_NAME_LENGTH = 24      # a bar's label on the Draw tab and a matrix row
FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


class ClassNameError(DatasetError):
    """A class or project name that cannot be used (the message names it and says why)."""


def check_name(name, what="class name"):
    """``name`` stripped of surrounding spaces; ClassNameError saying why it cannot be a file name."""
    if not isinstance(name, str):
        raise ClassNameError(f"a {what} must be text (got {name!r})")
    name = name.strip()
    if not name:
        raise ClassNameError(f"a {what} cannot be empty")
    if len(name) > MAX_NAME_LENGTH:
        raise ClassNameError(f"the {what} {name!r} is longer than {MAX_NAME_LENGTH} characters")
    bad = FORBIDDEN.search(name)
    if bad:
        shown = repr(bad.group()) if bad.group().isprintable() else "a control character"
        raise ClassNameError(f"the {what} {name!r} contains {shown}, which a file name cannot hold")
    if name in (".", "..") or name.endswith("."):
        raise ClassNameError(f"the {what} {name!r} cannot end with a dot (not a valid file name)")
    if name.split(".")[0].upper() in RESERVED:
        raise ClassNameError(f"the {what} {name!r} is a reserved device name on Windows")
    return name


def check_class_names(names):
    """A list of class names, each checked, none twice (ignoring case: 'A' and 'a' would be one
    folder on Windows and macOS), at most MAX_CLASSES; ClassNameError otherwise."""
    names = [check_name(name) for name in names]
    if len(names) > MAX_CLASSES:
        raise ClassNameError(f"{len(names)} classes is more than the {MAX_CLASSES} a project can hold")
    seen = {}
    for name in names:
        if name.lower() in seen:
            raise ClassNameError(f"the class {name!r} is named twice"
                                 + ("" if seen[name.lower()] == name else f" (as {seen[name.lower()]!r})"))
        seen[name.lower()] = name
    return names


def parse_class_list(text):
    """'circle, square, +' -> ['circle', 'square', '+'] (commas separate; empty items ignored),
    checked by check_class_names."""
    return check_class_names([part for part in str(text).split(",") if part.strip()])
