"""Drawings that are not digits: the examples of a network's "not a digit" class (issue 22).

A network trained on the ten digits gives every input a digit: a dash is a 7, a scribble an 8. To
let it answer "not a digit" it needs examples of what is not one. There is no such collection
inside MNIST, and another handwriting collection (letters) would hide the very thing we measure,
so these are drawings of our own making: strokes generated here, in kinds people actually draw
when they are not writing a digit:

  scribble    a smooth random curve (one or two strokes), hatching, a zigzag, a wave
  dash        one line within 25 degrees of the horizontal (a vertical line is a 1), or two (=)
  dots        a few separate dots
  cross       + and x, an asterisk, a hash (#)
  shape       triangle, square, diamond, star, spiral, heart, arrow, smiley, a bumpy loop
  letter      capitals and small letters that look like no digit (A C E F H K L M N P R T U V W X,
              e h k m n r u w)

Shapes that *are* digits in some hand are left out on purpose: a plain circle (0), a vertical
line (1), S, Z, O, I, l, b, g, q, B, G, Y (an open-topped 4), a check mark (a 1 with a lead-in)
and a circle with a cross through it (a slashed 0).

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

from core.drawing.strokes import prepare_strokes
from core.errors import ConfigError

NOT_A_DIGIT = "not a digit"    # the class name: the app and `predict` recognise the class by it
SHORT_NAME = "other"           # its label where a digit's one character has room (bars, buttons)
CANVAS = 280.0                 # px: the canvas side the strokes are placed on


# ----- stroke shapes in a unit box (x right, y down) ----------------------------------------
def _line(*points):
    return np.array(points, dtype=float)


def _arc(cx, cy, rx, ry, start, stop, n=40):
    """Points on an ellipse; angles in degrees (90 = down on screen)."""
    t = np.radians(np.linspace(start, stop, n))
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def _smooth(points, n_per=10):
    """A Catmull-Rom curve through (k, 2) control points."""
    p = np.vstack([points[0], points, points[-1]])
    t = np.linspace(0, 1, n_per, endpoint=False)[:, None]
    out = [0.5 * (2 * p[i] + (-p[i - 1] + p[i + 1]) * t + (2 * p[i - 1] - 5 * p[i] + 4 * p[i + 1] - p[i + 2]) * t ** 2
                  + (-p[i - 1] + 3 * p[i] - 3 * p[i + 1] + p[i + 2]) * t ** 3) for i in range(1, len(p) - 2)]
    return np.vstack(out + [p[-2][None]])


def scribble(rng):
    strokes = [_smooth(rng.uniform(0, 1, (rng.integers(8, 15), 2)))]
    if rng.random() < 0.3:
        strokes.append(_smooth(rng.uniform(0, 1, (rng.integers(4, 9), 2))))
    return strokes


def hatching(rng):
    """Back-and-forth strokes filling an area, as when crossing something out (five or more
    strokes: with three it is a Z, a 2)."""
    n = int(rng.integers(6, 11))
    ys = np.linspace(0, 1, n) + rng.normal(0, 0.03, n)
    xs = np.where(np.arange(n) % 2 == 0, rng.uniform(0, 0.15, n), rng.uniform(0.85, 1, n))
    return [np.column_stack([xs, ys])]


def zigzag(rng):
    n = int(rng.integers(5, 10))        # at least four teeth: with three a zigzag is a Z, a 2
    xs = np.linspace(0, 1, n)
    ys = np.where(np.arange(n) % 2 == 0, 0.0, rng.uniform(0.25, 0.6)) + rng.normal(0, 0.03, n)
    return [np.column_stack([xs, ys])]


def wave(rng):
    x = np.linspace(0, 1, 80)
    return [np.column_stack([x, rng.uniform(0.05, 0.2) * np.sin(2 * np.pi * rng.uniform(1.2, 4) * x + rng.uniform(0, 6))])]


def dash(rng):
    angle = np.radians(rng.uniform(-25, 25))   # placed without a further turn: steeper is a 1
    bend = rng.uniform(-0.08, 0.08)
    t = np.linspace(0, 1, 20)
    line = np.column_stack([t, bend * np.sin(np.pi * t)])
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    strokes = [line @ rotation.T]
    if rng.random() < 0.25:   # an equals sign
        gap = rng.uniform(0.15, 0.4)
        strokes.append(strokes[0] + [rng.normal(0, 0.05), gap])
    return strokes


def dots(rng):
    n = int(rng.integers(2, 6))
    centres = rng.uniform(0, 1, (n, 2))
    if rng.random() < 0.5:   # in a row: "..." or ":"
        centres = np.column_stack([np.linspace(0, 1, n), rng.normal(0.5, 0.03, n)])
        if rng.random() < 0.5:
            centres = centres[:, ::-1]
    return [c + rng.normal(0, 0.01, (2, 2)) for c in centres]


def cross(rng):
    kind = rng.integers(0, 4)
    if kind == 0:      # +
        return [_line((0, 0.5), (1, 0.5)), _line((0.5, 0), (0.5, 1))]
    if kind == 1:      # x
        return [_line((0, 0), (1, 1)), _line((1, 0), (0, 1))]
    if kind == 2:      # asterisk
        angles = np.radians(np.arange(0, 180, 180 / rng.integers(3, 5)) + rng.uniform(0, 30))
        return [_line((0.5 - 0.5 * np.cos(a), 0.5 - 0.5 * np.sin(a)), (0.5 + 0.5 * np.cos(a), 0.5 + 0.5 * np.sin(a)))
                for a in angles]
    return [_line((0, 0.33), (1, 0.33)), _line((0, 0.67), (1, 0.67)),
            _line((0.33, 0), (0.3, 1)), _line((0.7, 0), (0.67, 1))]   # #


def triangle(rng):
    top = (rng.uniform(0.3, 0.7), 0.0)
    return [_line(top, (1, 1), (0, 1), top)]


def square(rng):
    return [_line((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))]


def diamond(rng):
    """A square on its corner (a pentagon or a hexagon, drawn small, is too close to a 0)."""
    return [_line((0.5, 0), (1, 0.5), (0.5, 1), (0, 0.5), (0.5, 0))]


def bumpy_loop(rng):
    """A closed outline with bumps (a cloud, a flower): a circle alone would be a 0."""
    t = np.linspace(0, 2 * np.pi, 160)
    r = 0.38 + rng.uniform(0.07, 0.12) * np.abs(np.sin(t * rng.integers(3, 7) / 2))
    return [np.column_stack([0.5 + r * np.cos(t), 0.5 + r * np.sin(t)])]


def star(rng):
    angles = np.radians(-90 + 144 * np.arange(6))
    return [np.column_stack([0.5 + 0.5 * np.cos(angles), 0.5 + 0.5 * np.sin(angles)])]


def spiral(rng):
    t = np.linspace(0, 2 * np.pi * rng.uniform(1.8, 3.2), 120)
    r = 0.05 + 0.45 * t / t[-1]
    return [np.column_stack([0.5 + r * np.cos(t), 0.5 + r * np.sin(t)])]


def heart(rng):
    t = np.linspace(0, 2 * np.pi, 80)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return [np.column_stack([(x + 16) / 32, (y + 17) / 30])]


def arrow(rng):
    return [_line((0, 0.5), (1, 0.5)), _line((0.7, 0.25), (1, 0.5), (0.7, 0.75))]


def smiley(rng):
    return [_arc(0.5, 0.5, 0.5, 0.5, 0, 360), _line((0.35, 0.35), (0.35, 0.38)), _line((0.65, 0.35), (0.65, 0.38)),
            _arc(0.5, 0.55, 0.25, 0.2, 20, 160)]


LETTERS = {
    "A": [_line((0, 1), (0.3, 0), (0.6, 1)), _line((0.12, 0.6), (0.48, 0.6))],
    "E": [_line((0.6, 0), (0, 0), (0, 1), (0.6, 1)), _line((0, 0.5), (0.45, 0.5))],
    "F": [_line((0.6, 0), (0, 0), (0, 1)), _line((0, 0.5), (0.45, 0.5))],
    "H": [_line((0, 0), (0, 1)), _line((0.6, 0), (0.6, 1)), _line((0, 0.5), (0.6, 0.5))],
    "K": [_line((0, 0), (0, 1)), _line((0.6, 0), (0, 0.55), (0.6, 1))],
    "M": [_line((0, 1), (0, 0), (0.4, 0.6), (0.8, 0), (0.8, 1))],
    "N": [_line((0, 1), (0, 0), (0.6, 1), (0.6, 0))],
    "R": [np.vstack([_line((0, 1), (0, 0)), _arc(0.1, 0.25, 0.45, 0.25, -90, 90), _line((0, 0.5), (0.55, 1))])],
    "W": [_line((0, 0), (0.2, 1), (0.4, 0.35), (0.6, 1), (0.8, 0))],
    "X": [_line((0, 0), (0.6, 1)), _line((0.6, 0), (0, 1))],
    "C": [_arc(0.32, 0.5, 0.32, 0.5, 45, 315)],
    "L": [_line((0, 0), (0, 1), (0.55, 1))],
    "P": [np.vstack([_line((0, 1), (0, 0)), _arc(0.1, 0.25, 0.42, 0.25, -90, 90), _line((0.1, 0.5), (0, 0.5))])],
    "T": [_line((0, 0), (0.7, 0)), _line((0.35, 0), (0.35, 1))],
    "U": [np.vstack([_line((0, 0), (0, 0.65)), _arc(0.3, 0.65, 0.3, 0.35, 180, 0), _line((0.6, 0.65), (0.6, 0))])],
    "V": [_line((0, 0), (0.3, 1), (0.6, 0))],
    "e": [np.vstack([_line((0.05, 0.6), (0.6, 0.6)), _arc(0.33, 0.62, 0.28, 0.32, 0, -300)])],
    "n": [np.vstack([_line((0, 1), (0, 0.3)), _arc(0.28, 0.55, 0.28, 0.25, 180, 360), _line((0.56, 0.55), (0.56, 1))])],
    "r": [np.vstack([_line((0, 1), (0, 0.3)), _arc(0.3, 0.55, 0.3, 0.25, 180, 290)])],
    "u": [np.vstack([_line((0, 0.3), (0, 0.75)), _arc(0.28, 0.75, 0.28, 0.25, 180, 0), _line((0.56, 0.75), (0.56, 0.3),
                                                                                             (0.58, 1))])],
    "h": [_line((0, 0), (0, 1)), np.vstack([_arc(0.28, 0.65, 0.28, 0.22, 180, 360), _line((0.56, 0.65), (0.56, 1))])],
    "k": [_line((0, 0), (0, 1)), _line((0.45, 0.4), (0, 0.72), (0.5, 1))],
    "m": [np.vstack([_line((0, 1), (0, 0.3)), _arc(0.2, 0.5, 0.2, 0.2, 180, 360), _line((0.4, 0.5), (0.4, 1)),
                     _arc(0.6, 0.5, 0.2, 0.2, 180, 360), _line((0.8, 0.5), (0.8, 1))])],
    "w": [_line((0, 0.3), (0.2, 1), (0.4, 0.5), (0.6, 1), (0.8, 0.3))],
}


def letter(rng):
    return [np.array(s) for s in LETTERS[list(LETTERS)[rng.integers(len(LETTERS))]]]


# (generator, share of the drawings): letters and scribbles most, the rarer kinds less
KINDS = {"scribble": (scribble, 0.12), "hatching": (hatching, 0.04), "zigzag": (zigzag, 0.04), "wave": (wave, 0.04),
         "dash": (dash, 0.10), "dots": (dots, 0.05), "cross": (cross, 0.10), "triangle": (triangle, 0.03),
         "square": (square, 0.03), "star": (star, 0.03), "spiral": (spiral, 0.03), "heart": (heart, 0.03),
         "arrow": (arrow, 0.03), "smiley": (smiley, 0.03), "diamond": (diamond, 0.03),
         "bumpy loop": (bumpy_loop, 0.03), "letter": (letter, 0.30)}


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
