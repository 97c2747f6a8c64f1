"""What a model's answer says about a drawing: a class, "not a digit", "not sure", or nothing drawn.

A classifier always has a top class; a reader should not always have an answer. The drawing is
read as one of:

  "class"        the top class, confident enough (its probability at least the threshold)
  "not a digit"  the model's own "not a digit" class is on top (a model trained with the
                 not-a-digit class, core.drawing.non_digits), or the drawing is too small to read
  "not sure"     the top class, whichever it is, is below the threshold: the model hesitates
  "blank"        nothing drawn (the caller found no ink; core.drawing.geometry.EmptyDrawing)

The same rule serves the canvas, `predict` and the evaluation figures (``flagged``), so what the
window says and what the benchmark counts cannot differ.

    reading = read_probabilities(p, class_names)       # p: (n_classes,) probabilities
    reading.verdict, reading.name, reading.reason
    mask = flagged(P, class_names)                     # P: (n, n_classes) -> (n,) bool
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np

from core.drawing.non_digits import NOT_A_DIGIT

NOT_SURE_BELOW = 0.6      # the canvas's default threshold: below it the top class is "not sure"
TOO_SMALL = 0.05          # a drawing whose longer side is under 5% of the canvas is a dot, not a digit


@dataclass(frozen=True)
class Reading:
    """verdict: 'class', 'not a digit', 'not sure' or 'blank'. top: index of the top class (None
    when blank or too small). name: that class's name. confidence: its probability. reason: plain
    words for the verdict ('' for a confident class)."""
    verdict: str
    top: Optional[int]
    name: Optional[str]
    confidence: float
    reason: str = ""

    @property
    def answered(self):
        """True when the drawing is read as one of the classes."""
        return self.verdict == "class"


def reject_index(class_names):
    """The index of the model's 'not a digit' class, or None if it has none."""
    names = [str(n) for n in class_names]
    return names.index(NOT_A_DIGIT) if NOT_A_DIGIT in names else None


def read_probabilities(probabilities, class_names, threshold=NOT_SURE_BELOW):
    """probabilities (n_classes,) -> Reading (module docstring)."""
    p = np.asarray(probabilities, dtype=np.float64)
    top = int(np.argmax(p))
    name, confidence = str(class_names[top]), float(p[top])
    # one threshold for every answer, the model's own "not a digit" included: below the line
    # the window draws, it is "not sure", whatever the top class is
    if confidence < threshold:
        return Reading("not sure", top, name, confidence,
                       f"best guess {_quoted(name)} at {confidence:.0%}, below the {threshold:.0%} threshold")
    if top == reject_index(class_names):
        return Reading("not a digit", top, name, confidence,
                       f"it looks like no digit ({confidence:.0%} 'not a digit')")
    return Reading("class", top, name, confidence)


def _quoted(name):
    """The not-a-digit class in quotes (a sentence about it reads as one about the class)."""
    return f"'{name}'" if name == NOT_A_DIGIT else name


def too_small_reading(digits=True):
    """The reading of a drawing too small to read (drawing_too_small). digits: the model reads
    digits; a model of other classes (the user's own) says "too small" instead of "not a digit"."""
    if digits:
        return Reading("not a digit", None, None, 0.0, "too small to read: a dot or a tick, not a digit")
    return Reading("too small", None, None, 0.0, "too small to read: a dot or a tick")


def blank_reading():
    return Reading("blank", None, None, 0.0, "nothing drawn")


def verdict_masks(probabilities, class_names, threshold=NOT_SURE_BELOW):
    """(n, n_classes) probabilities -> ((n,) bool 'not a digit', (n,) bool 'not sure'): read_probabilities
    for many rows at once (below the threshold 'not sure' whatever is on top)."""
    p = np.atleast_2d(np.asarray(probabilities, dtype=np.float64))
    not_sure = p.max(axis=1) < threshold if len(p) else np.zeros(0, bool)
    reject = reject_index(class_names)
    not_a_digit = (p.argmax(axis=1) == reject) & ~not_sure if reject is not None else np.zeros(len(p), bool)
    return not_a_digit, not_sure


def flagged(probabilities, class_names, threshold=NOT_SURE_BELOW):
    """(n, n_classes) probabilities -> (n,) bool: True where the reading is not a class (the top
    class below the threshold, or the model's 'not a digit' class on top)."""
    not_a_digit, not_sure = verdict_masks(probabilities, class_names, threshold)
    return not_a_digit | not_sure


def drawing_too_small(strokes, canvas_size):
    """True when the strokes (list of (n, 2) x, y arrays) span less than TOO_SMALL of the canvas's
    longer side (canvas_size (width, height)): a dot or a stray tick. Scaled up to the model's 20
    pixels such a mark would be a blob the model reads as some digit."""
    points = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes if len(s)]
    if not points:
        return False
    points = np.concatenate(points)
    extent = float(np.max(points.max(axis=0) - points.min(axis=0)))
    return extent < TOO_SMALL * max(canvas_size)


def ink_too_small(ink, fraction=0.03):
    """(H, W) ink coverage in [0, 1] (an image file's ink, core.drawing.bitmap.ink_from_gray) ->
    True when the inked area spans less than ``fraction`` of the image's longer side (smaller than
    the canvas's TOO_SMALL: a scanned page may hold a small digit)."""
    rows, cols = np.nonzero(np.asarray(ink) > 0.2)
    if len(rows) == 0:
        return False
    extent = max(rows.max() - rows.min(), cols.max() - cols.min()) + 1
    return extent < fraction * max(np.shape(ink))
