"""Class names the user chooses (a drawn-classes project, a folder's subfolders): each becomes a
folder or a zip entry's name, so it must be a valid file name on Linux, macOS and Windows.

    check_class_names(["circle", "+", "x"])   # the names, stripped; DatasetError otherwise
    class_name_problem("a/b")                # "... cannot contain '/' ..." or None
"""
from core.errors import DatasetError

MAX_NAME_LENGTH = 64
FORBIDDEN = '/\\:*?"<>|'
# Windows refuses these as file names whatever the extension (CON.png too)
RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(1, 10)), *(f"LPT{i}" for i in range(1, 10))}


def class_name_problem(name):
    """One sentence saying why ``name`` cannot name a class, or None when it can."""
    if not isinstance(name, str) or not name.strip():
        return "a class name cannot be empty"
    name = name.strip()
    bad = sorted({c for c in name if c in FORBIDDEN or ord(c) < 32})
    if bad:
        shown = " ".join(repr(c) for c in bad)
        return f"the class name {name!r} cannot contain {shown} (not allowed in file names)"
    if name in (".", ".."):
        return f"the class name {name!r} is not a valid file name"
    if name.endswith("."):
        return f"the class name {name!r} cannot end with a dot (Windows drops it from file names)"
    if name.split(".")[0].upper() in RESERVED:
        return f"the class name {name!r} is reserved by Windows for devices; choose another"
    if len(name) > MAX_NAME_LENGTH:
        return f"the class name {name[:20]!r}... is {len(name)} characters long; at most {MAX_NAME_LENGTH}"
    return None


def check_class_names(names):
    """The names stripped of surrounding spaces, or DatasetError (one sentence) for the first name
    that is not a valid file name, for two names the same but for case (one folder on macOS and
    Windows), and for fewer than two names."""
    names = list(names)
    for name in names:
        problem = class_name_problem(name)
        if problem:
            raise DatasetError(problem)
    names = [name.strip() for name in names]
    folded = [name.casefold() for name in names]
    for index, key in enumerate(folded):
        first = folded.index(key)
        if first != index and names[first] == names[index]:
            raise DatasetError(f"the class name {names[index]!r} is given twice")
        if first != index:
            raise DatasetError(f"the class names {names[first]!r} and {names[index]!r} differ only in case; "
                               "they would be one folder on macOS and Windows")
    if len(names) < 2:
        raise DatasetError("a classifier needs at least two classes" + (f"; there is only {names[0]!r}" if names else ""))
    return names
