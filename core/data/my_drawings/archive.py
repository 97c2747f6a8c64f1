"""One zip of a My drawings project: the same kind of file My digits exports (its entries and
PNGs, core.data.my_digits.archive), in a ``my_drawings/`` folder with the class names in
``project.json``.

An import maps classes by name: a class the project lacks is added (its name checked first), so
nothing in the zip is dropped for its class and nothing already kept changes. A My digits zip
(no project.json) imports as the classes "0".."9".

    export_project(project, "shapes.zip")
    report = import_project(project, "shapes.zip", render=render_drawing)
    export_image_folder(project, "shapes/")     # shapes/circle/ID.png, ...: what `train --images` reads
"""
from pathlib import Path

from core.data.dataset import DIGIT_CLASS_NAMES
from core.data.my_digits.archive import PROJECT_FILE, export_zip, import_zip, open_zip, read_member
from core.data.my_drawings.classes import MAX_CLASSES, ClassNameError
from core.data.my_drawings.project import parse_project_json, project_json_bytes
from core.data.my_digits.entry import MyDigitsError
from core.storage.atomic import atomic_write

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


def export_image_folder(project, folder):
    """Every drawing as ``folder/<class>/<id>.png`` (the picture the gallery shows, dark ink on
    white; the prepared 28x28 image where there is none), one subfolder per class: the layout
    ``train --images`` and Data > Images from a folder read. ``folder`` must be new or empty
    (nothing is overwritten); each file is written atomically. Returns the number of images."""
    folder = Path(folder)
    try:
        if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
            raise MyDigitsError(f"{folder} is not an empty folder: choose a new or empty one (nothing is overwritten)")
        count = 0
        for entry in project.list():
            source = project.drawing_path(entry.id)
            source = source if source.is_file() else project.prepared_path(entry.id)
            target = folder / project.class_names[entry.label] / f"{entry.id}.png"
            target.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(target) as out:
                out.write(source.read_bytes())
            count += 1
    except OSError as error:
        raise MyDigitsError(f"cannot write the images into {folder} ({error.strerror or error})") from None
    return count
