"""Class names and project names the user types, checked with core.data.class_names (the rule
shared with a folder's subfolders: valid file names on Linux, macOS and Windows, no twins that
differ only in case), raised as ClassNameError with its one sentence.

A project may hold a single class while the user draws (training says it needs a second:
MyDrawings.readiness), so fewer than two names is not refused here; more than MAX_CLASSES is.
"""
from core.data.class_names import check_class_names as check_folder_names, class_name_problem
from core.errors import DatasetError

MAX_CLASSES = 30          # a keep button each: more does not fit the window, nor a student's patience


class ClassNameError(DatasetError):
    """A class or project name that cannot be used (the message names it and says why)."""


def check_name(name, what="class name"):
    """``name`` stripped of surrounding spaces; ClassNameError saying why it cannot be a file name."""
    problem = class_name_problem(name)
    if problem:
        raise ClassNameError(problem.replace("class name", what))
    return name.strip()


def check_class_names(names):
    """A list of class names, each checked, none twice (ignoring case: 'A' and 'a' would be one
    folder on Windows and macOS), at most MAX_CLASSES; ClassNameError otherwise."""
    names = [check_name(name) for name in names]
    if len(names) > MAX_CLASSES:
        raise ClassNameError(f"{len(names)} classes is more than the {MAX_CLASSES} a project can hold")
    if len(names) >= 2:
        try:
            check_folder_names(names)
        except DatasetError as error:
            raise ClassNameError(str(error)) from None
    return names


def parse_class_list(text):
    """'circle, square, +' -> ['circle', 'square', '+'] (commas separate; empty items ignored),
    checked by check_class_names."""
    return check_class_names([part for part in str(text).split(",") if part.strip()])
