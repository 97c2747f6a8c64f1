"""One zip of a My digits store: export every kept digit, import the good entries of a zip.

The zip holds ``my_digits/ID.json``, ``my_digits/ID.prepared.png`` and (optionally)
``my_digits/ID.drawing.png`` per digit: the store's own files (core.data.my_digits.store).
An import checks every entry on its own and skips a bad one with its reason, so one hostile
entry (a PNG over the size limit, JSON nested 100,000 deep, a member too large to be ours)
never stops the good entries after it; nothing already kept is changed.

    count = export_zip(store, "class.zip")
    report = import_zip(store, "class.zip", render=render_drawing)   # report.added, report.skipped

A My drawings project (core.data.my_drawings.archive) uses the same zip with its folder named
``my_drawings/`` and its class names in ``project.json``: it passes ``folder``/``extra`` to
export and ``n_classes``/``map_label``/``project_file`` to import. My digits refuses such a zip
(its labels are classes, not digits).
"""
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from core.data.my_digits.entry import MAX_FILE_BYTES, MyDigitsError, new_id, parse_entry_json
from core.data.my_digits.png import ImageTooLarge, read_drawing_png, read_prepared_png
from core.storage.atomic import atomic_write

FOLDER = "my_digits"
PROJECT_FILE = "project.json"   # a My drawings zip's class names (core.data.my_drawings.archive)


@dataclass
class ImportReport:
    """What an import did: ids added, and (file name, reason) for everything skipped."""
    added: list = field(default_factory=list)
    skipped: list = field(default_factory=list)

    def summary(self):
        text = f"imported {len(self.added)} digit{'s' if len(self.added) != 1 else ''}"
        if self.skipped:
            text += f"; skipped {len(self.skipped)}: " + "; ".join(f"{name}: {why}" for name, why in self.skipped)
        return text


def export_zip(store, path, folder=FOLDER, extra=None):
    """Write every kept digit of ``store`` into one zip at ``path`` (atomically); returns the count.
    extra: {file name: bytes} written first into the zip's folder (a project's class names)."""
    entries = store.list()
    try:
        with atomic_write(path) as out:
            with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                for name, data in (extra or {}).items():
                    archive.writestr(f"{folder}/{name}", data)
                for entry in entries:
                    for file in store.files(entry.id):
                        archive.write(file, f"{folder}/{file.name}")
    except OSError as error:
        raise MyDigitsError(f"cannot write {path} ({error.strerror or error})") from None
    return len(entries)


def open_zip(path):
    """The zipfile.ZipFile at ``path`` and {file name: ZipInfo} of its files; MyDigitsError when it
    is no zip."""
    try:
        archive = zipfile.ZipFile(path)
    except FileNotFoundError:
        raise MyDigitsError(f"{path}: no such file") from None
    except (zipfile.BadZipFile, OSError) as error:
        raise MyDigitsError(f"{path}: not a zip file ({error})") from None
    return archive, {Path(info.filename).name: info for info in archive.infolist() if not info.is_dir()}


def import_zip(store, path, render=None, n_classes=None, map_label=None, project_file=None):
    """Add the good entries of a zip made by export_zip to ``store``; returns an ImportReport
    naming every skipped file and why. MyDigitsError when the file is not a zip at all.

    render: strokes -> (H, W) uint8 drawing for entries whose drawing PNG is missing or
    unreadable (core.drawing.strokes.render_drawing); None keeps them without one.
    n_classes: the zip's label range (None: digits); map_label: the zip's label -> the store's;
    project_file: the zip's class-names file the caller has read (None: a zip holding one is
    refused, it is a My drawings project)."""
    archive, members = open_zip(path)
    report = ImportReport()
    with archive:
        if project_file is None and PROJECT_FILE in members:
            raise MyDigitsError(f"{path}: a My drawings project (its labels are its own classes, not digits); "
                                f"import it under My drawings")
        used = {project_file} if project_file else set()
        existing = {e.id: e for e in store.list()}
        for name in sorted(members):
            if not name.endswith(".json") or name == project_file:
                continue
            used.update({name, name[:-5] + ".prepared.png", name[:-5] + ".drawing.png"})
            try:
                entry = _import_one(store, archive, members, name, existing, render, n_classes, map_label)
            except MyDigitsError as error:
                report.skipped.append((name, str(error).removeprefix(f"{name}: ")))
                continue
            existing[entry.id] = entry
            report.added.append(entry.id)
        for name in sorted(set(members) - used):
            report.skipped.append((name, "not a My digits file"))
    return report


def read_member(archive, members, name):
    """The bytes of one member (None if absent), refused before decompressing when the zip says
    it is larger than a kept digit's file; reading stops at the cap even if the zip lies."""
    member = members.get(name)
    if member is None:
        return None
    if member.file_size > MAX_FILE_BYTES:
        raise MyDigitsError(f"{name} is too large to be a kept digit ({member.file_size:,} bytes)")
    try:
        with archive.open(member) as stream:
            data = stream.read(MAX_FILE_BYTES + 1)
    except (zipfile.BadZipFile, OSError, RuntimeError, ValueError, EOFError) as error:
        raise MyDigitsError(f"{name} cannot be read from the zip ({error})") from None
    if len(data) > MAX_FILE_BYTES:
        raise MyDigitsError(f"{name} is too large to be a kept digit")
    return data


def _import_one(store, archive, members, name, existing, render, n_classes=None, map_label=None):
    digit_id, label, created, strokes = parse_entry_json(read_member(archive, members, name), name, n_classes)
    if map_label is not None:
        label = map_label(label)
    prepared_name = f"{digit_id}.prepared.png"
    data = read_member(archive, members, prepared_name)
    if data is None:
        raise MyDigitsError(f"its prepared image {prepared_name} is missing from the zip")
    prepared = read_prepared_png(data, prepared_name)
    drawing_name = f"{digit_id}.drawing.png"
    drawing_data = read_member(archive, members, drawing_name)
    drawing = None
    if drawing_data is not None:
        try:
            drawing = read_drawing_png(drawing_data, drawing_name)
        except ImageTooLarge:
            raise   # a hostile picture: the entry is skipped, by name
        except MyDigitsError:
            drawing = None   # a damaged picture: drawn again below
    if drawing is None and render is not None:
        drawing = render(strokes)   # the picture is only for the gallery: draw it again from the strokes
    if digit_id in existing:
        if existing[digit_id].label == label:
            raise MyDigitsError("already kept (same digit, same label)")
        digit_id = new_id()   # the same drawing relabelled elsewhere: keep both
    return store.write(digit_id, label, created, strokes, prepared, drawing)
