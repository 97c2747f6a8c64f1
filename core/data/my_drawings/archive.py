"""One zip of a My drawings project: the same kind of file My digits exports (its entries and
PNGs, core.data.my_digits.archive), in a ``my_drawings/`` folder with the class names in
``project.json``.

An import maps classes by name: a class the project lacks is added (its name checked first), so
nothing in the zip is dropped for its class and nothing already kept changes. A My digits zip
(no project.json) imports as the classes "0".."9".

    export_project(project, "shapes.zip")
    report = import_project(project, "shapes.zip", render=render_drawing)
"""
from core.data.dataset import DIGIT_CLASS_NAMES
from core.data.my_digits.archive import PROJECT_FILE, export_zip, import_zip, open_zip, read_member
from core.data.my_drawings.classes import MAX_CLASSES, ClassNameError
from core.data.my_drawings.project import parse_project_json, project_json_bytes
from core.data.my_digits.entry import MyDigitsError

FOLDER = "my_drawings"


def export_project(project, path):
    """Every drawing of ``project`` and its class names in one zip at ``path`` (atomically);
    returns the number of drawings."""
    return export_zip(project, path, folder=FOLDER, extra={PROJECT_FILE: project_json_bytes(project.class_names)})


def zip_class_names(path):
    """The class names a zip's labels index: its project.json's, or the digits' for a My digits zip."""
    archive, members = open_zip(path)
    with archive:
        if PROJECT_FILE not in members:
            return list(DIGIT_CLASS_NAMES)
        return parse_project_json(read_member(archive, members, PROJECT_FILE), PROJECT_FILE)


def import_project(project, path, render=None):
    """Add the good drawings of a zip made by export_project (or My digits' export) to
    ``project``; its classes missing here are added first. Returns the ImportReport."""
    source = zip_class_names(path)
    targets = {name.lower(): index for index, name in enumerate(project.class_names)}
    missing = [name for name in source if name.lower() not in targets]
    if len(project.class_names) + len(missing) > MAX_CLASSES:
        raise ClassNameError(f"the zip's classes would make {len(project.class_names) + len(missing)}, more than "
                             f"the {MAX_CLASSES} a project can hold")
    try:
        for name in missing:
            targets[name.lower()] = project.add_class(name)
    except ClassNameError as error:
        raise MyDigitsError(f"{path}: {error}") from None
    mapping = [targets[name.lower()] for name in source]
    return import_zip(project, path, render=render, n_classes=len(source), map_label=mapping.__getitem__,
                      project_file=PROJECT_FILE if PROJECT_FILE in _names(path) else "")


def _names(path):
    archive, members = open_zip(path)
    with archive:
        return set(members)
