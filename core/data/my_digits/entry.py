"""One kept digit's (or drawing's) format: the JSON record ``ID.json`` and the checks every reader applies.

    {"format": "digitlab-my-digit", "version": 1, "id": "20261126T115600-3f2a9c", "label": 7,
     "created": "2026-11-26T11:56:00", "strokes": [[[x, y], ...], ...]}

A My drawings project (core.data.my_drawings) keeps its drawings in this same format, the label
then indexing the project's class names.

The same checks guard a keep, a zip import and the folder read at the app's start, so a hostile
file is refused the same way everywhere: sizes are capped before parsing (bytes, nesting depth,
stroke points) because json.loads of a 100,000-deep list raises RecursionError, not a ValueError.
"""
import datetime
import json
import re
import secrets
from dataclasses import dataclass, field

import numpy as np

from core.errors import DatasetError

FORMAT = "digitlab-my-digit"
VERSION = 1
IMAGE_SHAPE = (28, 28)
ID_PATTERN = re.compile(r"^\d{8}T\d{6}-[0-9a-f]{6}$")
MAX_FILE_BYTES = 2_000_000    # a kept digit's file is a few kB: anything bigger is not ours
MAX_STROKE_POINTS = 100_000
MAX_JSON_DEPTH = 8            # the record nests 4 deep (object, strokes, stroke, point)


class MyDigitsError(DatasetError):
    """A My digits file or zip cannot be used (the message names it and says why)."""


@dataclass(frozen=True)
class DigitEntry:
    """One kept digit: id, label 0-9, created (ISO time), strokes (list of (n, 2) float arrays)."""
    id: str
    label: int
    created: str
    strokes: list = field(repr=False, compare=False)


def new_id(now=None):
    now = now or datetime.datetime.now()
    return f"{now:%Y%m%dT%H%M%S}-{secrets.token_hex(3)}"


def check_label(label, n_classes=None):
    """The label as an int: a digit 0-9 (n_classes None), else a class number 0 .. n_classes-1
    (a My drawings project's classes)."""
    top = 10 if n_classes is None else int(n_classes)
    if isinstance(label, bool) or not isinstance(label, (int, np.integer)) or not 0 <= int(label) < top:
        what = "a digit's label must be a whole number 0-9" if n_classes is None else \
            f"a drawing's label must be a class number 0-{top - 1}"
        raise MyDigitsError(f"{what} (got {label!r})")
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


def json_depth(data):
    """Deepest bracket nesting of JSON bytes, counting brackets inside strings too (an entry's
    strings hold none, so this only ever over-counts a foreign file)."""
    codes = np.frombuffer(data, dtype=np.uint8)
    steps = np.zeros(len(codes), dtype=np.int8)
    steps[(codes == ord("[")) | (codes == ord("{"))] = 1
    steps[(codes == ord("]")) | (codes == ord("}"))] = -1
    return int(np.cumsum(steps, dtype=np.int32).max(initial=0))


def parse_entry_json(data, name, n_classes=None):
    """JSON bytes -> (id, label, created, strokes); MyDigitsError naming ``name`` if malformed,
    too large or nested too deep (checked before parsing). Labels: check_label's."""
    if len(data) > MAX_FILE_BYTES:
        raise MyDigitsError(f"{name}: {len(data):,} bytes is too large to be a kept digit")
    if json_depth(data) > MAX_JSON_DEPTH:
        raise MyDigitsError(f"{name}: nested deeper than a My digits entry ({MAX_JSON_DEPTH} levels)")
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise MyDigitsError(f"{name}: not valid JSON") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT:
        raise MyDigitsError(f"{name}: not a DigitLab My digits entry")
    if not isinstance(record.get("id"), str) or not ID_PATTERN.match(record["id"]):
        raise MyDigitsError(f"{name}: the entry has no valid id")
    try:
        label = check_label(record.get("label"), n_classes)
        strokes = check_strokes(record.get("strokes") or [])
    except MyDigitsError as error:
        raise MyDigitsError(f"{name}: {error}") from None
    return record["id"], label, str(record.get("created", "")), strokes


def entry_json_bytes(digit_id, label, created, strokes):
    """The record of one digit as UTF-8 JSON (strokes rounded to 0.01 canvas pixel)."""
    record = {"format": FORMAT, "version": VERSION, "id": digit_id, "label": label, "created": created,
              "strokes": [np.round(s, 2).tolist() for s in strokes]}
    return json.dumps(record).encode("utf-8")
