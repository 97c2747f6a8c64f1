"""The folder of kept digits. Each kept digit is up to three files named by its id:

  ID.json           the record (core.data.my_digits.entry): id, label, created, strokes
  ID.prepared.png   the prepared 28x28 image the network saw (grey, ink light on dark, like MNIST)
  ID.drawing.png    optional: the drawing as the canvas showed it (dark ink on white), for the gallery

Every file is written atomically (core.storage.atomic), the JSON last: it is the entry's commit
mark, so a crash half-way leaves at worst an orphan PNG, never an entry without its image.
Reading checks sizes first (core.data.my_digits.png), so an oversized file is listed as
unreadable with its reason instead of being decoded.

    digits = MyDigits()                          # core.storage.user_dirs.my_digits_dir()
    entry = digits.keep(7, strokes, prepared, drawing)   # drawing: core.drawing.strokes.render_drawing
    images, labels = digits.load()               # (n, 28, 28) uint8, (n,) uint8
"""
import datetime
from pathlib import Path

import numpy as np

from core.data.dataset import DIGIT_CLASS_NAMES, Dataset
from core.data.my_digits.entry import (IMAGE_SHAPE, ID_PATTERN, MAX_FILE_BYTES, DigitEntry, MyDigitsError,
                                       check_label, check_strokes, entry_json_bytes, new_id, parse_entry_json,
                                       to_uint8_image)
from core.data.my_digits.png import (HEADER_BYTES, MAX_DRAWING_SIDE, check_size, png_bytes,
                                     read_prepared_png)
from core.storage import user_dirs
from core.storage.atomic import atomic_write


class MyDigits:
    """The store in ``folder`` (default: the user's My digits folder; created on first keep).

    My digits is the digits' case of a kept-drawings store: labels 0-9 named by the digits.
    core.data.my_drawings.project.MyDrawings is the same store with the user's class names."""

    NAME = "my digits"

    def __init__(self, folder=None):
        self.folder = Path(folder) if folder is not None else user_dirs.my_digits_dir()

    @property
    def class_names(self):
        """The name of each label (the digits here; a My drawings project's own classes)."""
        return list(DIGIT_CLASS_NAMES)

    @property
    def label_classes(self):
        """What check_label is given: None for the digits, the class count for other stores."""
        return None

    # ----- paths ------------------------------------------------------------------------
    def json_path(self, digit_id):
        return self.folder / f"{digit_id}.json"

    def prepared_path(self, digit_id):
        return self.folder / f"{digit_id}.prepared.png"

    def drawing_path(self, digit_id):
        return self.folder / f"{digit_id}.drawing.png"

    def files(self, digit_id):
        """The entry's files that exist: JSON, prepared image, drawing."""
        paths = (self.json_path(digit_id), self.prepared_path(digit_id), self.drawing_path(digit_id))
        return [path for path in paths if path.is_file()]

    # ----- writing ----------------------------------------------------------------------
    def keep(self, label, strokes, prepared, drawing=None):
        """Keep a drawing as an example of ``label``: returns its DigitEntry.

        prepared: (28, 28) uint8 or float in [0, 1]; drawing: (H, W) uint8 picture for the
        gallery, each side at most MAX_DRAWING_SIDE (None: the gallery shows the prepared image)."""
        label = check_label(label, self.label_classes)
        strokes = check_strokes(strokes)
        pixels = to_uint8_image(prepared)
        created = datetime.datetime.now().isoformat(timespec="seconds")
        return self.write(new_id(), label, created, strokes, pixels, drawing)

    def write(self, digit_id, label, created, strokes, prepared, drawing=None):
        """Write one checked entry's files (the JSON last); MyDigitsError if the folder refuses."""
        if drawing is not None and max(np.shape(drawing)) > MAX_DRAWING_SIDE:
            raise MyDigitsError(f"the drawing is {np.shape(drawing)[1]}x{np.shape(drawing)[0]}, over the "
                                f"{MAX_DRAWING_SIDE}x{MAX_DRAWING_SIDE} limit")
        try:
            with atomic_write(self.prepared_path(digit_id)) as out:
                out.write(png_bytes(prepared))
            if drawing is not None:
                with atomic_write(self.drawing_path(digit_id)) as out:
                    out.write(png_bytes(drawing))
            self._write_json(digit_id, label, created, strokes)
        except OSError as error:
            raise MyDigitsError(f"cannot save the digit in {self.folder} ({error.strerror or error})") from None
        return DigitEntry(digit_id, label, created, strokes)

    def _write_json(self, digit_id, label, created, strokes):
        with atomic_write(self.json_path(digit_id)) as out:
            out.write(entry_json_bytes(digit_id, label, created, strokes))

    def relabel(self, digit_id, label):
        entry = self.get(digit_id)
        label = check_label(label, self.label_classes)
        try:
            self._write_json(digit_id, label, entry.created, entry.strokes)
        except OSError as error:
            raise MyDigitsError(f"cannot relabel {digit_id} ({error.strerror or error})") from None
        return DigitEntry(digit_id, label, entry.created, entry.strokes)

    def delete(self, digit_id):
        """Remove one digit (its JSON first: the entry is gone even if a PNG cannot be removed)."""
        self.get(digit_id)
        for path in (self.json_path(digit_id), self.prepared_path(digit_id), self.drawing_path(digit_id)):
            try:
                path.unlink()
            except FileNotFoundError:
                pass
            except OSError as error:
                raise MyDigitsError(f"cannot delete {path.name} ({error.strerror or error})") from None

    # ----- reading ----------------------------------------------------------------------
    def get(self, digit_id):
        if not isinstance(digit_id, str) or not ID_PATTERN.match(digit_id) or not self.json_path(digit_id).is_file():
            raise MyDigitsError(f"there is no kept digit {digit_id!r} in {self.folder}")
        return self._read_entry(self.json_path(digit_id))

    def _read_entry(self, path):
        """The entry of one JSON file, its images' sizes checked from their headers (cheap), so
        the gallery never decodes an oversized picture; MyDigitsError naming the file otherwise."""
        if path.stat().st_size > MAX_FILE_BYTES:
            raise MyDigitsError(f"{path.name}: too large to be a kept digit")
        digit_id, label, created, strokes = parse_entry_json(path.read_bytes(), path.name, self.label_classes)
        prepared = self.prepared_path(digit_id)
        if not prepared.is_file():
            raise MyDigitsError(f"{path.name}: its prepared image {prepared.name} is missing")
        check_size(_header(prepared), prepared.name, IMAGE_SHAPE[1], IMAGE_SHAPE[0], "prepared image")
        drawing = self.drawing_path(digit_id)
        if drawing.is_file():
            check_size(_header(drawing), drawing.name, MAX_DRAWING_SIDE, MAX_DRAWING_SIDE, "drawing")
        return DigitEntry(digit_id, label, created, strokes)

    def entries(self):
        """(entries sorted by creation, [(file name, reason)] for entries that cannot be read)."""
        good, bad = [], []
        if not self.folder.is_dir():
            return good, bad
        for path in sorted(self.folder.glob("*.json")):
            try:
                good.append(self._read_entry(path))
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
        return Dataset(self.NAME, images, labels, images, labels, self.class_names, str(self.folder))


def _header(path):
    with open(path, "rb") as file:
        return file.read(HEADER_BYTES)
