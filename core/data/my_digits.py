"""My digits: the user's own drawings kept as a labelled dataset in a folder.

Each kept digit is three files named by its id (e.g. ``20261126T115600-3f2a9c``):

  ID.json           {"format", "version", "id", "label", "created", "strokes": [[[x, y], ...], ...]}
  ID.prepared.png   the prepared 28x28 image the network saw (grey, ink light on dark, like MNIST)
  ID.drawing.png    the drawing as the canvas showed it (dark ink on white), for the gallery

Every file is written atomically (core.storage.atomic), the JSON last: it is the entry's commit
mark, so a crash half-way leaves at worst an orphan PNG, never an entry without its image.
Export writes the whole set as one zip; import reads one, checks every entry and adds the good
ones (new ids on collision); bad or foreign files are named in the report and nothing already
kept is touched.

    digits = MyDigits()                       # core.storage.user_dirs.my_digits_dir()
    entry = digits.keep(7, strokes, prepared)
    images, labels = digits.load()            # (n, 28, 28) uint8, (n,) uint8

Over 300 lines: one store, and the checks of an import belong with its format.
"""
import datetime
import io
import json
import re
import secrets
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw, UnidentifiedImageError

from core.data.dataset import DIGIT_CLASS_NAMES, Dataset
from core.errors import DatasetError
from core.storage import user_dirs
from core.storage.atomic import atomic_write

FORMAT = "digitlab-my-digit"
VERSION = 1
IMAGE_SHAPE = (28, 28)
ID_PATTERN = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{6}$")
MAX_MEMBER_BYTES = 2_000_000      # a kept digit is a few kB: anything bigger in a zip is not ours
MAX_STROKE_POINTS = 100_000


class MyDigitsError(DatasetError):
    """A My digits file or zip cannot be used (the message names it and says why)."""


@dataclass(frozen=True)
class DigitEntry:
    """One kept digit: id, label 0-9, created (ISO time), strokes (list of (n, 2) float arrays)."""
    id: str
    label: int
    created: str
    strokes: list = field(repr=False, compare=False)


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


def new_id(now=None):
    now = now or datetime.datetime.now()
    return f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def check_label(label):
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= int(label) <= 9:
        raise MyDigitsError(f"a digit's label must be a whole number 0-9 (got {label!r})")
    return int(label)


def check_strokes(strokes):
    """list of (n, 2) float64 arrays of finite canvas x, y; MyDigitsError if malformed."""
    try:
        arrays = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
    except (TypeError, ValueError):
        raise MyDigitsError("strokes must be lists of [x, y] number pairs") from None
    if not any(len(a) for a in arrays):
        raise MyDigitsError("the drawing has no strokes")
    if sum(len(a) for a in arrays) > MAX_STROKE_POINTS or not all(np.isfinite(a).all() for a in arrays):
        raise MyDigitsError("strokes must be a reasonable number of finite [x, y] points")
    return arrays


def to_uint8_image(image):
    """A prepared (28, 28) image, uint8 0-255 or float 0-1 -> uint8; MyDigitsError otherwise."""
    image = np.asarray(image)
    if image.shape != IMAGE_SHAPE:
        raise MyDigitsError(f"the prepared image must be {IMAGE_SHAPE[0]}x{IMAGE_SHAPE[1]} (got shape {image.shape})")
    if image.dtype == np.uint8:
        return image.copy()
    if not np.isfinite(image).all():
        raise MyDigitsError("the prepared image has NaN or infinite pixels")
    return np.clip(np.rint(image.astype(np.float64) * 255.0), 0, 255).astype(np.uint8)


def render_drawing(strokes, brush_width=14.0, margin=20):
    """(H, W) uint8 picture of the strokes, dark ink on white, round pen, framed to the drawing."""
    points = np.concatenate(strokes)
    low = points.min(axis=0) - brush_width / 2 - margin
    size = np.ceil(points.max(axis=0) + brush_width / 2 + margin - low).astype(int)
    image = Image.new("L", (int(max(size[0], 1)), int(max(size[1], 1))), 255)
    draw = ImageDraw.Draw(image)
    r = brush_width / 2
    for stroke in strokes:
        xy = [tuple(p) for p in (stroke - low).tolist()]
        if len(xy) > 1:
            draw.line(xy, fill=0, width=int(round(brush_width)), joint="curve")
        for x, y in (xy[0], xy[-1]):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.asarray(image, dtype=np.uint8)


def png_bytes(pixels):
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def read_prepared_png(data, name):
    """PNG bytes -> (28, 28) uint8; MyDigitsError naming ``name`` when it is not such an image."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            pixels = np.asarray(image.convert("L"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
        raise MyDigitsError(f"{name}: not a readable PNG image") from None
    if pixels.shape != IMAGE_SHAPE:
        raise MyDigitsError(f"{name}: the prepared image is {pixels.shape[1]}x{pixels.shape[0]}, not 28x28")
    return pixels


def parse_entry_json(data, name):
    """JSON bytes -> (id, label, created, strokes); MyDigitsError naming ``name`` if malformed."""
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise MyDigitsError(f"{name}: not valid JSON") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise MyDigitsError(f"{name}: not a DigitLab My digits entry")
    if not isinstance(record.get("id"), str) or not ID_PATTERN.match(record["id"]):
        raise MyDigitsError(f"{name}: the entry has no valid id")
    try:
        label = check_label(record.get("label"))
        strokes = check_strokes(record.get("strokes") or [])
    except MyDigitsError as error:
        raise MyDigitsError(f"{name}: {error}") from None
    return record["id"], label, str(record.get("created", "")), strokes


class MyDigits:
    """The store in ``folder`` (default: the user's My digits folder; created on first keep)."""

    def __init__(self, folder=None):
        self.folder = Path(folder) if folder is not None else user_dirs.my_digits_dir()

    # ----- paths ------------------------------------------------------------------------
    def _json(self, digit_id):
        return self.folder / f"{digit_id}.json"

    def prepared_path(self, digit_id):
        return self.folder / f"{digit_id}.prepared.png"

    def drawing_path(self, digit_id):
        return self.folder / f"{digit_id}.drawing.png"

    # ----- writing ----------------------------------------------------------------------
    def keep(self, label, strokes, prepared, brush_width=14.0):
        """Keep a drawing as an example of ``label``: returns its DigitEntry."""
        label = check_label(label)
        strokes = check_strokes(strokes)
        pixels = to_uint8_image(prepared)
        return self._write(new_id(), label, datetime.datetime.now().isoformat(timespec="seconds"), strokes,
                           pixels, render_drawing(strokes, brush_width))

    def _write(self, digit_id, label, created, strokes, prepared, drawing):
        try:
            with atomic_write(self.prepared_path(digit_id)) as out:
                out.write(png_bytes(prepared))
            with atomic_write(self.drawing_path(digit_id)) as out:
                out.write(png_bytes(drawing))
            self._write_json(digit_id, label, created, strokes)
        except OSError as error:
            raise MyDigitsError(f"cannot save the digit in {self.folder} ({error.strerror or error})") from None
        return DigitEntry(digit_id, label, created, strokes)

    def _write_json(self, digit_id, label, created, strokes):
        record = {"format": FORMAT, "version": VERSION, "id": digit_id, "label": label, "created": created,
                  "strokes": [np.round(s, 2).tolist() for s in strokes]}
        with atomic_write(self._json(digit_id)) as out:
            out.write(json.dumps(record).encode("utf-8"))

    def relabel(self, digit_id, label):
        entry = self.get(digit_id)
        label = check_label(label)
        try:
            self._write_json(digit_id, label, entry.created, entry.strokes)
        except OSError as error:
            raise MyDigitsError(f"cannot relabel {digit_id} ({error.strerror or error})") from None
        return DigitEntry(digit_id, label, entry.created, entry.strokes)

    def delete(self, digit_id):
        """Remove one digit (its JSON first: the entry is gone even if a PNG cannot be removed)."""
        self.get(digit_id)
        for path in (self._json(digit_id), self.prepared_path(digit_id), self.drawing_path(digit_id)):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as error:
                raise MyDigitsError(f"cannot delete {path.name} ({error.strerror or error})") from None

    # ----- reading ----------------------------------------------------------------------
    def get(self, digit_id):
        if not isinstance(digit_id, str) or not ID_PATTERN.match(digit_id) or not self._json(digit_id).is_file():
            raise MyDigitsError(f"there is no kept digit {digit_id!r} in {self.folder}")
        digit_id, label, created, strokes = parse_entry_json(self._json(digit_id).read_bytes(), self._json(digit_id).name)
        return DigitEntry(digit_id, label, created, strokes)

    def entries(self):
        """(entries sorted by creation, [(file name, reason)] for entries that cannot be read)."""
        good, bad = [], []
        if not self.folder.is_dir():
            return good, bad
        for path in sorted(self.folder.glob("*.json")):
            try:
                digit_id, label, created, strokes = parse_entry_json(path.read_bytes(), path.name)
                if not self.prepared_path(digit_id).is_file():
                    raise MyDigitsError(f"{path.name}: its prepared image {digit_id}.prepared.png is missing")
                good.append(DigitEntry(digit_id, label, created, strokes))
            except (MyDigitsError, OSError) as error:
                bad.append((path.name, str(error)))
        good.sort(key=lambda e: (e.created, e.id))
        return good, bad

    def list(self):
        return self.entries()[0]

    def __len__(self):
        return len(self.list())

    def load(self):
        """(images (n, 28, 28) uint8, labels (n,) uint8) of every readable kept digit, oldest first."""
        images, labels = [], []
        for entry in self.list():
            path = self.prepared_path(entry.id)
            try:
                images.append(read_prepared_png(path.read_bytes(), path.name))
            except (MyDigitsError, OSError):
                continue   # listed by entries() as fine a moment ago; a vanished file is skipped
            labels.append(entry.label)
        if not images:
            return np.zeros((0, *IMAGE_SHAPE), np.uint8), np.zeros(0, np.uint8)
        return np.stack(images), np.asarray(labels, dtype=np.uint8)

    def as_dataset(self):
        """A Dataset whose train and test sets are both all the kept digits: evaluate on its test
        set, or concatenate its train set into training (the caller chooses the weight)."""
        images, labels = self.load()
        return Dataset("my digits", images, labels, images, labels, list(DIGIT_CLASS_NAMES), str(self.folder))

    # ----- zip --------------------------------------------------------------------------
    def export_zip(self, path):
        """Write every kept digit into one zip at ``path`` (atomically); returns the count."""
        entries = self.list()
        try:
            with atomic_write(path) as out:
                with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as archive:
                    for entry in entries:
                        for file in (self._json(entry.id), self.prepared_path(entry.id), self.drawing_path(entry.id)):
                            if file.is_file():
                                archive.write(file, f"my_digits/{file.name}")
        except OSError as error:
            raise MyDigitsError(f"cannot write {path} ({error.strerror or error})") from None
        return len(entries)

    def import_zip(self, path):
        """Add the good entries of a zip made by export_zip; returns an ImportReport naming
        every skipped file and why. MyDigitsError when the file is not a zip at all."""
        try:
            archive = zipfile.ZipFile(path)
        except FileNotFoundError:
            raise MyDigitsError(f"{path}: no such file") from None
        except (zipfile.BadZipFile, OSError) as error:
            raise MyDigitsError(f"{path}: not a zip file ({error})") from None
        report = ImportReport()
        with archive:
            members = {Path(info.filename).name: info for info in archive.infolist() if not info.is_dir()}
            used = set()
            existing = {e.id: e for e in self.list()}
            for name, info in sorted(members.items()):
                if not name.endswith(".json"):
                    continue
                used.add(name)
                try:
                    self._import_one(archive, members, name, info, existing, report)
                except MyDigitsError as error:
                    report.skipped.append((name, str(error).removeprefix(f"{name}: ")))
                used.update({name[:-5] + ".prepared.png", name[:-5] + ".drawing.png"})
            for name in sorted(set(members) - used):
                report.skipped.append((name, "not a My digits file"))
        return report

    def _import_one(self, archive, members, name, info, existing, report):
        def read(member_name):
            member = members.get(member_name)
            if member is None:
                return None
            if member.file_size > MAX_MEMBER_BYTES:
                raise MyDigitsError(f"{member_name} is too large to be a kept digit")
            try:
                return archive.read(member)
            except (zipfile.BadZipFile, OSError, RuntimeError) as error:
                raise MyDigitsError(f"{member_name} cannot be read from the zip ({error})") from None
        digit_id, label, created, strokes = parse_entry_json(read(name), name)
        prepared_name = f"{digit_id}.prepared.png"
        data = read(prepared_name)
        if data is None:
            raise MyDigitsError(f"its prepared image {prepared_name} is missing from the zip")
        prepared = read_prepared_png(data, prepared_name)
        drawing_data = read(f"{digit_id}.drawing.png")
        drawing = None
        if drawing_data is not None:
            try:
                with Image.open(io.BytesIO(drawing_data)) as image:
                    drawing = np.asarray(image.convert("L"), dtype=np.uint8)
            except (UnidentifiedImageError, OSError, ValueError, SyntaxError):
                drawing = None   # the picture is only for the gallery: draw it again from the strokes
        if drawing is None:
            drawing = render_drawing(strokes)
        if digit_id in existing:
            if existing[digit_id].label == label:
                raise MyDigitsError("already kept (same digit, same label)")
            digit_id = new_id()   # the same drawing relabelled elsewhere: keep both
        entry = self._write(digit_id, label, created, strokes, prepared, drawing)
        existing[entry.id] = entry
        report.added.append(entry.id)
