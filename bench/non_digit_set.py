"""Held-out drawings that are not digits, for measuring "not a digit" (issue 22).

Designed by hand, separately from the training generator (core/drawing/non_digits.py): other
templates for the kinds it trains on, and kinds it never trains on (the letters t and v; the
pentagon, house, sun, cloud and check mark; cursive loops), so a network cannot pass by learning
that generator's habits. Drawn the way bench.drawn_digits draws digits (size, slant, turn, wobble,
brush, mouse-event spacing), plus a blank canvas and nearly blank ones (a dot, a tick).

    samples = make_non_digits(per_kind=20, seed=0)     # DrawnDigit with label -1, style = kind
"""
import numpy as np

from bench.drawn_digits import CANVAS, PLAIN, DrawnDigit, arc, chain, draw_digit, line, render_canvas, spline


def _poly(*points):
    return line(*points)


LETTERS = {
    "A": [[line((0.0, 1.0), (0.3, 0.0), (0.62, 1.0)), line((0.15, 0.55), (0.47, 0.55))]],
    "C": [[arc(0.35, 0.5, 0.32, 0.5, 50, 310)]],
    "E": [[line((0.6, 0.0), (0.05, 0.0), (0.05, 1.0), (0.62, 1.0)), line((0.05, 0.48), (0.5, 0.48))]],
    "F": [[line((0.05, 1.0), (0.05, 0.0), (0.6, 0.0)), line((0.05, 0.45), (0.45, 0.45))]],
    "H": [[line((0.0, 0.0), (0.0, 1.0)), line((0.0, 0.5), (0.58, 0.5)), line((0.58, 0.0), (0.58, 1.0))]],
    "K": [[line((0.05, 0.0), (0.05, 1.0)), line((0.6, 0.0), (0.08, 0.5), (0.62, 1.0))]],
    "L": [[line((0.05, 0.0), (0.05, 1.0), (0.6, 1.0))]],
    "M": [[line((0.0, 1.0), (0.08, 0.0), (0.4, 0.7), (0.72, 0.0), (0.8, 1.0))]],
    "N": [[line((0.0, 1.0), (0.02, 0.0), (0.58, 1.0), (0.6, 0.0))]],
    "P": [[line((0.05, 1.0), (0.05, 0.0)), chain(line((0.05, 0.0), (0.3, 0.0)), arc(0.3, 0.25, 0.27, 0.25, -90, 90),
                                                 line((0.3, 0.5), (0.05, 0.5)))]],
    "R": [[chain(line((0.05, 1.0), (0.05, 0.0), (0.3, 0.0)), arc(0.3, 0.24, 0.25, 0.24, -90, 90),
                 line((0.3, 0.48), (0.05, 0.48), (0.6, 1.0)))]],
    "T": [[line((0.0, 0.0), (0.7, 0.0)), line((0.35, 0.0), (0.35, 1.0))]],
    "U": [[chain(line((0.0, 0.0), (0.0, 0.7)), arc(0.3, 0.7, 0.3, 0.3, 180, 0, n=30), line((0.6, 0.7), (0.6, 0.0)))]],
    "V": [[line((0.0, 0.0), (0.3, 1.0), (0.6, 0.0))]],
    "W": [[line((0.0, 0.0), (0.22, 1.0), (0.42, 0.3), (0.62, 1.0), (0.84, 0.0))]],
    "X": [[line((0.0, 0.0), (0.62, 1.0)), line((0.62, 0.0), (0.0, 1.0))]],
    "e": [[chain(line((0.05, 0.55), (0.58, 0.52)), spline((0.58, 0.52), (0.5, 0.25), (0.28, 0.2), (0.06, 0.45),
                                                        (0.12, 0.85), (0.35, 1.0), (0.58, 0.88)))]],
    "h": [[line((0.05, 0.0), (0.05, 1.0)), chain(spline((0.05, 0.6), (0.25, 0.4), (0.5, 0.45), (0.55, 0.7)),
                                                 line((0.55, 0.7), (0.56, 1.0)))]],
    "k": [[line((0.05, 0.0), (0.05, 1.0)), line((0.5, 0.35), (0.06, 0.7), (0.55, 1.0))]],
    "m": [[chain(line((0.0, 1.0), (0.0, 0.25)), spline((0.0, 0.4), (0.2, 0.25), (0.38, 0.4), (0.4, 1.0)),
                 spline((0.4, 0.45), (0.6, 0.25), (0.78, 0.4), (0.8, 1.0)))]],
    "n": [[chain(line((0.0, 1.0), (0.0, 0.2)), spline((0.0, 0.4), (0.25, 0.2), (0.5, 0.35), (0.52, 1.0)))]],
    "r": [[chain(line((0.05, 1.0), (0.05, 0.2)), spline((0.05, 0.45), (0.2, 0.22), (0.4, 0.18), (0.55, 0.3)))]],
    "t": [[spline((0.25, 0.0), (0.25, 0.7), (0.32, 0.95), (0.55, 0.95)), line((0.0, 0.3), (0.5, 0.3))]],
    "u": [[chain(spline((0.0, 0.0), (0.02, 0.7), (0.25, 1.0), (0.5, 0.75)), line((0.5, 0.0), (0.52, 1.0)))]],
    "v": [[line((0.0, 0.0), (0.28, 1.0), (0.56, 0.0))]],
    "w": [[line((0.0, 0.0), (0.18, 1.0), (0.38, 0.4), (0.58, 1.0), (0.76, 0.0))]],
}


def _star4():
    a = np.radians(np.arange(0, 361, 45))
    r = np.where(np.arange(len(a)) % 2 == 0, 0.5, 0.18)
    return np.column_stack([0.5 + r * np.cos(a), 0.5 + r * np.sin(a)])


def _sun():
    rays = [line((0.5 + 0.28 * np.cos(a), 0.5 + 0.28 * np.sin(a)), (0.5 + 0.5 * np.cos(a), 0.5 + 0.5 * np.sin(a)))
            for a in np.radians(np.arange(0, 360, 45))]
    return [arc(0.5, 0.5, 0.2, 0.2, 0, 360)] + rays


SHAPES = {
    "triangle": [[line((0.0, 0.0), (0.8, 0.0), (0.4, 0.9), (0.0, 0.0))]],              # pointing down
    "square": [[line((0.0, 0.05), (0.75, 0.0), (0.78, 0.8), (0.02, 0.78), (0.0, 0.05))]],
    "diamond": [[line((0.4, 0.0), (0.8, 0.5), (0.4, 1.0), (0.0, 0.5), (0.4, 0.0))]],
    "pentagon": [[np.column_stack([0.5 + 0.5 * np.cos(np.radians(-90 + 72 * np.arange(6))),
                                   0.5 + 0.5 * np.sin(np.radians(-90 + 72 * np.arange(6)))])]],
    "star": [[_star4()]],
    "heart": [[spline((0.5, 0.3), (0.35, 0.05), (0.05, 0.15), (0.1, 0.5), (0.5, 1.0)),
               spline((0.5, 0.3), (0.65, 0.05), (0.95, 0.15), (0.9, 0.5), (0.5, 1.0))]],
    "house": [[line((0.0, 0.4), (0.5, 0.0), (1.0, 0.4)), line((0.1, 0.35), (0.1, 1.0), (0.9, 1.0), (0.9, 0.35))]],
    "sun": [_sun()],
    "cloud": [[chain(arc(0.2, 0.6, 0.2, 0.2, 90, 270), arc(0.45, 0.4, 0.25, 0.25, 180, 360),
                     arc(0.75, 0.55, 0.2, 0.2, 240, 450), line((0.75, 0.75), (0.2, 0.8)))]],
    "arrow": [[line((0.5, 1.0), (0.5, 0.0)), line((0.2, 0.3), (0.5, 0.0), (0.8, 0.3))],    # up
              [line((1.0, 0.5), (0.0, 0.5)), line((0.3, 0.2), (0.0, 0.5), (0.3, 0.8))]],   # left
    "check mark": [[line((0.0, 0.6), (0.25, 1.0), (0.9, 0.0))]],
    "smiley": [[arc(0.5, 0.5, 0.5, 0.5, 0, 360), arc(0.5, 0.5, 0.28, 0.25, 20, 160),
                line((0.33, 0.3), (0.34, 0.36)), line((0.66, 0.3), (0.67, 0.36))]],
}

MARKS = {
    "dash": [[line((0.0, 0.5), (1.0, 0.5))], [line((0.0, 0.55), (1.0, 0.45))],
             [line((0.0, 0.5), (0.45, 0.5)), line((0.6, 0.5), (1.0, 0.5))]],
    "equals": [[line((0.0, 0.35), (1.0, 0.35)), line((0.0, 0.65), (1.0, 0.65))]],
    "wavy line": [[np.column_stack([np.linspace(0, 1, 60), 0.5 + 0.12 * np.sin(np.linspace(0, 5 * np.pi, 60))])]],
    "plus": [[line((0.0, 0.5), (1.0, 0.5)), line((0.5, 0.0), (0.5, 1.0))]],
    "cross": [[line((0.0, 0.0), (1.0, 1.0)), line((1.0, 0.0), (0.0, 1.0))]],
    "hash": [[line((0.05, 0.3), (1.0, 0.3)), line((0.0, 0.7), (0.95, 0.7)), line((0.35, 0.0), (0.25, 1.0)),
              line((0.75, 0.0), (0.65, 1.0))]],
    "asterisk": [[line((0.5, 0.0), (0.5, 1.0)), line((0.07, 0.25), (0.93, 0.75)), line((0.93, 0.25), (0.07, 0.75))]],
    "dots": [[line((0.0, 0.5), (0.01, 0.5)), line((0.5, 0.5), (0.51, 0.5)), line((1.0, 0.5), (1.01, 0.5))],
             [line((0.5, 0.1), (0.5, 0.11)), line((0.5, 0.9), (0.5, 0.91))]],
}


def _loops(rng):
    """A cursive run of loops (like 'llll'): a scribble of its own kind."""
    t = np.linspace(0, 2 * np.pi * rng.integers(3, 6), 200)
    x = t / t[-1] + 0.12 * np.sin(t)
    return [np.column_stack([x, 0.5 - 0.45 * np.cos(t) * rng.uniform(0.6, 1.0)])]


def _tangle(rng):
    points = rng.uniform(0, 1, (rng.integers(10, 18), 2))
    return [spline(*points, n_per=6)]


def _crossing_out(rng):
    n = int(rng.integers(5, 9))
    xs = np.where(np.arange(n) % 2 == 0, 0.0, 1.0) + rng.normal(0, 0.05, n)
    ys = np.linspace(0, 1, n) + rng.normal(0, 0.04, n)
    return [np.column_stack([xs, ys])]


SCRIBBLES = {"loops": _loops, "tangle": _tangle, "crossing out": _crossing_out}


def _blank(rng):
    return DrawnDigit(-1, -1, [], 10.0, np.ones((CANVAS, CANVAS), np.float32), "blank")


def _nearly_blank(rng):
    """A dot or a short tick somewhere on the canvas (a click, a slip of the mouse)."""
    start = rng.uniform(40, 240, 2)
    end = start + rng.uniform(-6, 6, 2) * (rng.random() < 0.6)
    strokes = [np.vstack([start, end])]
    brush = float(rng.uniform(6, 20))
    return DrawnDigit(-1, -1, strokes, brush, render_canvas(strokes, brush), "nearly blank")


def make_non_digits(per_kind=20, seed=0):
    """per_kind drawings of every kind: each letter, each shape, each mark, each scribble kind,
    the blank canvas (once: every blank canvas is the same) and nearly blank ones. Seeded."""
    rng = np.random.default_rng(seed)
    samples = []
    placement = ((0.3, 0.8), PLAIN[1], PLAIN[2])
    for group, table in (("letter", LETTERS), ("shape", SHAPES), ("mark", MARKS)):
        for name, variants in table.items():
            for i in range(per_kind):
                drawn = draw_digit(-1, -1, rng, parts=variants[i % len(variants)], placement=placement, style=name)
                samples.append(drawn)
    for name, make in SCRIBBLES.items():
        for _ in range(per_kind):
            samples.append(draw_digit(-1, -1, rng, parts=make(rng), placement=placement, style=name))
    samples.append(_blank(rng))
    samples.extend(_nearly_blank(rng) for _ in range(per_kind))
    return samples


KIND_GROUPS = {**{n: "letter" for n in LETTERS}, **{n: "shape" for n in SHAPES}, **{n: "mark" for n in MARKS},
               **{n: "scribble" for n in SCRIBBLES}, "blank": "blank", "nearly blank": "nearly blank"}
