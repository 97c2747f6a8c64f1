"""The kinds of drawings that are not digits, as strokes in a unit box (x right, y down): the
examples of the "not a digit" class (core.drawing.non_digits places them on a canvas and prepares
them): the kinds people draw when they are not writing a digit (KINDS gives each its share):

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

Each generator takes a NumPy Generator and returns a list of (n, 2) point arrays.
"""
import numpy as np


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
