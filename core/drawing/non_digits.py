"""Drawings that are not digits: the examples of a network's "not a digit" class (issue 22).

A network trained on the ten digits gives every input a digit: a dash is a 7, a scribble an 8. To
let it answer "not a digit" it needs examples of what is not one. There is no such collection
inside MNIST, and another handwriting collection (letters) would hide the very thing we measure,
so these are drawings of our own making: strokes generated in core.drawing.non_digit_shapes
(scribbles, dashes, dots, crosses, shapes and letters that look like no digit).

Each drawing goes through the canvas's own preparation (core.drawing.strokes.prepare_strokes:
crop, scale the longer side to 20 px, MNIST's pen width, centre of mass), so the network sees a
non-digit exactly as it will see one drawn on the canvas.

    strokes = random_non_digit(rng)                   # list of (n, 2) canvas x, y arrays
    images = non_digit_images(6000, seed=0)           # (6000, 28, 28) uint8, MNIST's polarity
    images, labels = with_non_digits(train_images, train_labels, share=0.1, seed=0)

The held-out non-digits the benchmark counts are drawn by another generator (bench/non_digit_set.py),
so a network cannot pass it by learning this module's habits.
"""
import numpy as np

from core.drawing.non_digit_shapes import KINDS
from core.drawing.strokes import prepare_strokes
from core.errors import ConfigError

NOT_A_DIGIT = "not a digit"    # the class name: the app and `predict` recognise the class by it
SHORT_NAME = "other"           # its label where a digit's one character has room (bars, buttons)
CANVAS = 280.0                 # px: the canvas side the strokes are placed on


# ----- placing a shape on the canvas, as a hand would ---------------------------------------
def _resample(stroke, step):
    """Points about ``step`` apart along the stroke (the canvas records one per mouse move)."""
    if len(stroke) < 2:
        return stroke
    length = np.concatenate([[0.0], np.cumsum(np.hypot(*np.diff(stroke, axis=0).T))])
    if length[-1] < step:
        return stroke
    at = np.linspace(0, length[-1], int(length[-1] / step) + 2)
    return np.column_stack([np.interp(at, length, stroke[:, 0]), np.interp(at, length, stroke[:, 1])])


def place_on_canvas(strokes, rng, turn_degrees=15.0):
    """Unit-box strokes -> canvas strokes: random size, width, slant, turn and a smooth wobble."""
    size = rng.uniform(90, 230)
    aspect = np.exp(rng.normal(0, 0.2))
    slant = np.tan(np.radians(rng.normal(0, 8)))
    turn = np.radians(rng.uniform(-turn_degrees, turn_degrees))
    rotation = np.array([[np.cos(turn), -np.sin(turn)], [np.sin(turn), np.cos(turn)]])
    centre = rng.uniform(100, 180, 2)
    wobble_phase, wobble_size = rng.uniform(0, 6, 2), rng.uniform(0, 0.02)
    placed = []
    for stroke in strokes:
        points = _resample(np.asarray(stroke, float) - 0.5, 0.01)
        points = points + wobble_size * np.sin(points[:, ::-1] * 9 + wobble_phase)
        points = points * [aspect, 1.0]
        points[:, 0] += slant * -points[:, 1]
        placed.append(_resample(points @ rotation.T * size + centre, 2.0))
    return placed


def random_non_digit(rng, kind=None):
    """(kind, strokes): one non-digit drawing as canvas strokes (list of (n, 2) x, y arrays)."""
    names = list(KINDS)
    if kind is None:
        shares = np.array([KINDS[n][1] for n in names])
        kind = names[rng.choice(len(names), p=shares / shares.sum())]
    make = KINDS[kind][0]
    turn = 180.0 if kind in ("scribble", "hatching", "star", "spiral", "cross", "dots") else 0.0 if kind == "dash" else 15.0
    return kind, place_on_canvas(make(rng), rng, turn_degrees=turn)


def non_digit_images(n, seed=0):
    """(n, 28, 28) uint8 images of non-digit drawings (ink 255 on 0, as MNIST), prepared the way
    the canvas prepares a drawing. About 0.6 ms each."""
    rng = np.random.default_rng(seed)
    out = np.empty((n, 28, 28), np.uint8)
    for i in range(n):
        out[i] = np.rint(prepare_strokes(random_non_digit(rng)[1]) * 255)
    return out


def with_non_digits(train_images, train_labels, share, label=10, seed=0):
    """The training set with generated non-digits appended as one more class, ``label`` (the
    number of digit classes). train_images (n, H, W) or (n, H*W) uint8 of 28x28 digits;
    share in [0, 1): the fraction of the result that is non-digits. The trainer shuffles every
    epoch, so appending at the end is enough."""
    if share <= 0:
        return train_images, train_labels
    count = int(round(share * len(train_labels) / (1.0 - share)))
    extra = non_digit_images(count, seed=seed + 1).reshape((count,) + train_images.shape[1:])
    return (np.concatenate([train_images, extra]),
            np.concatenate([train_labels, np.full(count, label, dtype=np.asarray(train_labels).dtype)]))


DIGIT_NAMES = [str(d) for d in range(10)]


def short_name(name):
    """A class name as a bar or a button shows it: the not-a-digit class as 'other'."""
    return SHORT_NAME if str(name) == NOT_A_DIGIT else str(name)


def is_digit_task(class_names):
    """True for the ten digits, with or without the not-a-digit class after them (label 10)."""
    names = [str(n) for n in class_names]
    return names == DIGIT_NAMES or names == DIGIT_NAMES + [NOT_A_DIGIT]


def check_non_digits_apply(config, dataset):
    """ConfigError unless a not-a-digit class makes sense: the ten digits, 28x28 images, all classes."""
    if list(dataset.class_names) != DIGIT_NAMES or tuple(dataset.image_shape) != (28, 28):
        raise ConfigError("the not-a-digit class is for the ten digits in 28x28 images (MNIST); set it to 0 "
                          "for this dataset")
    if config.is_binary or config.image_size:
        raise ConfigError("the not-a-digit class needs all ten digits at 28x28: set it to 0 for one digit "
                          "against the rest or resized images")
