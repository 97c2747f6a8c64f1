"""A test set of digits drawn the way a user draws them on the canvas (no MNIST, no Qt).

Each digit 0-9 has a few hand-designed stroke templates in a unit box (x right, y down, about
0.6 wide and 1 tall): the shapes people actually draw with a mouse (open and closed 4s, 7 with
and without a bar, 1 with and without a flag and base, ...). ``make_drawn_digits`` turns them
into canvas drawings with varied size, position, aspect, slant, rotation, wobble, brush width
and mouse-event spacing, and renders the pixels a canvas would show (anti-aliased).

    samples = make_drawn_digits(per_digit=60, seed=0)
    samples[0].strokes   # list of (n, 2) canvas x, y arrays
    samples[0].gray      # (280, 280) float32 canvas, dark ink on white paper

``make_styled_digits`` adds the real writing styles MNIST has few of (issue 11), each named:
shape styles (``STYLE_TEMPLATES``: a 9 with an open or hooked loop, a closed-top 4, a
continental 1 with a lead-in stroke, a crossed 7, a slashed 0, a narrow 8, small loops) and
placement styles applied to the plain templates (``PLACEMENTS``: much smaller or larger,
strongly slanted, rotated). Designed by hand from how people write; not fitted to any dataset.
"""
from dataclasses import dataclass

import numpy as np

from core.drawing.shapes import mouse_path, render_canvas as canvas_uint8

CANVAS = 280


def arc(cx, cy, rx, ry, start, stop, n=40):
    """Points on an ellipse, angles in degrees, screen coordinates (90 = bottom, 270 = top)."""
    t = np.radians(np.linspace(start, stop, n))
    return np.column_stack([cx + rx * np.cos(t), cy + ry * np.sin(t)])


def line(*points):
    return np.array(points, dtype=float)


def spline(*points, n_per=8):
    """Catmull-Rom curve through the control points."""
    p = np.array(points, dtype=float)
    p = np.vstack([p[0], p, p[-1]])
    out = []
    for i in range(1, len(p) - 2):
        p0, p1, p2, p3 = p[i - 1], p[i], p[i + 1], p[i + 2]
        for t in np.linspace(0, 1, n_per, endpoint=False):
            out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t * t
                              + (-p0 + 3 * p1 - 3 * p2 + p3) * t ** 3))
    out.append(p[-2])
    return np.array(out)


def chain(*parts):
    return np.vstack(parts)


def _gerono(n=80):
    t = np.linspace(0, 2 * np.pi, n)
    return np.column_stack([0.3 + 0.27 * np.sin(2 * t) * -1, 0.5 - 0.5 * np.cos(t)])


TEMPLATES = {
    0: [[arc(0.3, 0.5, 0.28, 0.5, -90, 275)],
        [arc(0.3, 0.5, 0.2, 0.5, -80, 290)],
        [spline((0.35, 0.02), (0.1, 0.15), (0.02, 0.5), (0.15, 0.92), (0.35, 0.98), (0.55, 0.7),
                (0.58, 0.3), (0.45, 0.05), (0.3, 0.04))]],
    1: [[line((0.3, 0.0), (0.3, 1.0))],
        [line((0.12, 0.22), (0.32, 0.0), (0.32, 1.0))],
        [line((0.12, 0.22), (0.32, 0.0), (0.32, 1.0)), line((0.1, 1.0), (0.55, 1.0))]],
    2: [[chain(arc(0.3, 0.27, 0.27, 0.25, 200, 390), line((0.02, 1.0), (0.6, 1.0)))],
        [chain(spline((0.05, 0.2), (0.25, 0.0), (0.5, 0.08), (0.52, 0.35), (0.3, 0.65), (0.03, 0.98)),
               line((0.3, 0.97), (0.6, 0.97)))],
        [chain(arc(0.3, 0.3, 0.28, 0.3, 180, 400), line((0.05, 1.0), (0.35, 0.9), (0.62, 1.0)))]],
    3: [[chain(arc(0.28, 0.25, 0.26, 0.24, 200, 450), arc(0.28, 0.74, 0.3, 0.26, -90, 160))],
        [chain(line((0.02, 0.0), (0.55, 0.0), (0.25, 0.4)), arc(0.28, 0.7, 0.3, 0.3, -100, 160))],
        [chain(arc(0.3, 0.24, 0.25, 0.23, 190, 440), line((0.22, 0.47)), arc(0.3, 0.73, 0.3, 0.27, -100, 150))]],
    4: [[line((0.4, 0.0), (0.0, 0.65), (0.6, 0.65)), line((0.45, 0.0), (0.45, 1.0))],
        [line((0.05, 0.0), (0.05, 0.55), (0.6, 0.55)), line((0.48, 0.0), (0.48, 1.0))],
        [line((0.45, 1.0), (0.45, 0.0), (0.0, 0.65), (0.62, 0.65))]],
    5: [[line((0.55, 0.0), (0.1, 0.0), (0.08, 0.45)), arc(0.28, 0.7, 0.3, 0.28, -130, 150)],
        [chain(line((0.1, 0.0), (0.08, 0.45)), arc(0.28, 0.7, 0.3, 0.28, -130, 150)), line((0.1, 0.0), (0.58, 0.0))],
        [chain(line((0.55, 0.02), (0.12, 0.0), (0.06, 0.42)), spline((0.06, 0.42), (0.3, 0.38), (0.55, 0.55),
                                                               (0.55, 0.85), (0.3, 1.0), (0.0, 0.9)))]],
    6: [[spline((0.5, 0.0), (0.3, 0.1), (0.12, 0.35), (0.05, 0.6), (0.08, 0.85), (0.25, 1.0), (0.45, 0.95),
                (0.55, 0.78), (0.5, 0.6), (0.32, 0.52), (0.15, 0.58), (0.07, 0.7))],
        [chain(line((0.45, 0.0), (0.08, 0.68)), arc(0.3, 0.75, 0.24, 0.24, 180, 540))],
        [spline((0.55, 0.05), (0.25, 0.05), (0.07, 0.4), (0.05, 0.75), (0.25, 1.0), (0.5, 0.88), (0.52, 0.62),
                (0.3, 0.5), (0.08, 0.62))]],
    7: [[line((0.0, 0.0), (0.6, 0.0), (0.2, 1.0))],
        [line((0.0, 0.0), (0.6, 0.0), (0.2, 1.0)), line((0.15, 0.5), (0.52, 0.5))],
        [line((0.0, 0.12), (0.0, 0.0), (0.6, 0.0), (0.28, 1.0))],
        [chain(line((0.0, 0.02), (0.6, 0.0)), spline((0.6, 0.0), (0.4, 0.4), (0.32, 1.0)))]],
    8: [[_gerono()],
        [arc(0.3, 0.25, 0.22, 0.24, -90, 270), arc(0.3, 0.74, 0.28, 0.26, -90, 270)],
        [spline((0.55, 0.1), (0.3, 0.0), (0.08, 0.15), (0.15, 0.4), (0.45, 0.6), (0.55, 0.85), (0.3, 1.0),
                (0.05, 0.85), (0.15, 0.6), (0.45, 0.4), (0.55, 0.2), (0.48, 0.05))]],
    9: [[chain(arc(0.3, 0.27, 0.27, 0.27, 0, 360), line((0.57, 0.27), (0.55, 1.0)))],
        [chain(arc(0.3, 0.27, 0.26, 0.26, 0, 360), spline((0.56, 0.27), (0.5, 0.7), (0.3, 1.0)))],
        [chain(arc(0.3, 0.25, 0.26, 0.25, -30, 330), line((0.52, 0.12), (0.5, 1.0)))]],
}


def _narrow_eight(half_width, n=80):
    t = np.linspace(0, 2 * np.pi, n)
    return np.column_stack([0.3 - half_width * np.sin(2 * t), 0.5 - 0.5 * np.cos(t)])


# digit -> [(style name, strokes)]: the writing styles of issue 11, in the unit box of TEMPLATES
STYLE_TEMPLATES = {
    0: [("slashed 0", [arc(0.3, 0.5, 0.26, 0.5, -90, 275), line((0.58, 0.05), (0.02, 0.95))]),
        ("narrow 0", [arc(0.3, 0.5, 0.12, 0.5, -90, 275)])],
    1: [("continental 1", [line((0.02, 0.42), (0.4, 0.0), (0.4, 1.0))]),
        ("continental 1", [chain(spline((0.0, 0.45), (0.2, 0.25), (0.4, 0.0)), line((0.4, 0.0), (0.38, 1.0)))]),
        # issue 22: the lead-in from the lower left, half the stem or more, steep
        ("steep lead-in 1", [line((0.0, 0.62), (0.34, 0.0), (0.34, 1.0))]),
        ("steep lead-in 1", [chain(spline((0.02, 0.75), (0.15, 0.4), (0.32, 0.0)), line((0.32, 0.0), (0.33, 1.0)))]),
        ("steep lead-in 1", [line((0.05, 0.5), (0.3, 0.0), (0.3, 1.0))])],
    4: [("closed-top 4", [line((0.42, 0.0), (0.02, 0.62), (0.62, 0.62)), line((0.42, 0.0), (0.42, 1.0))]),
        ("closed-top 4", [line((0.42, 1.0), (0.42, 0.0), (0.03, 0.6), (0.6, 0.6))]),
        ("closed-top 4", [chain(line((0.1, 0.0), (0.05, 0.58), (0.6, 0.58))), line((0.1, 0.0), (0.48, 0.0)),
                          line((0.48, 0.0), (0.48, 1.0))])],
    6: [("small-loop 6", [chain(spline((0.45, 0.0), (0.25, 0.25), (0.15, 0.55), (0.13, 0.8)),
                               arc(0.24, 0.8, 0.11, 0.11, 180, 540))]),
        ("large-loop 6", [chain(spline((0.48, 0.0), (0.22, 0.12), (0.05, 0.45)), arc(0.3, 0.64, 0.26, 0.36, 200, 555))]),
        ("large-loop 6", [chain(spline((0.4, 0.0), (0.12, 0.2), (0.02, 0.5), (0.1, 0.9), (0.35, 1.0), (0.58, 0.8),
                                       (0.55, 0.45), (0.3, 0.3), (0.08, 0.42)))])],
    7: [("crossed 7", [line((0.0, 0.1), (0.04, 0.0), (0.6, 0.0), (0.25, 1.0)), line((0.12, 0.5), (0.55, 0.5))]),
        ("crossed 7", [line((0.0, 0.0), (0.6, 0.0), (0.3, 1.0)), line((0.2, 0.55), (0.6, 0.45))]),
        ("curled-foot 7", [chain(line((0.0, 0.0), (0.6, 0.0), (0.28, 0.8)), spline((0.28, 0.8), (0.24, 0.96), (0.34, 1.0),
                                                                              (0.44, 0.93)))]),
        ("curled-foot 7", [chain(line((0.0, 0.02), (0.6, 0.0), (0.3, 0.82)), spline((0.3, 0.82), (0.22, 0.97), (0.1, 0.98),
                                                                               (0.05, 0.9)))])],
    8: [("narrow 8", [_narrow_eight(0.12)]),
        ("narrow 8", [_narrow_eight(0.09)])],
    9: [("open-loop 9", [arc(0.3, 0.27, 0.25, 0.26, 300, 30), line((0.56, 0.12), (0.52, 1.0))]),
        ("open-loop 9", [chain(arc(0.3, 0.25, 0.25, 0.24, 330, 60), line((0.45, 0.46), (0.55, 0.35)),
                               line((0.55, 0.35), (0.5, 1.0)))]),
        ("hooked 9", [chain(arc(0.3, 0.27, 0.26, 0.26, 0, 360), spline((0.56, 0.27), (0.55, 0.7), (0.45, 0.97),
                                                                          (0.2, 0.97), (0.08, 0.85)))]),
        ("small-loop 9", [chain(arc(0.42, 0.13, 0.12, 0.12, 0, 360), line((0.54, 0.13), (0.46, 1.0)))]),
        ("curled-stem 9", [chain(arc(0.3, 0.25, 0.25, 0.24, 0, 360), spline((0.55, 0.25), (0.53, 0.72), (0.42, 0.97),
                                                                           (0.18, 0.96), (0.08, 0.8)))]),
        ("curled-stem 9", [chain(arc(0.32, 0.22, 0.22, 0.21, 0, 360), spline((0.54, 0.22), (0.5, 0.8), (0.3, 1.0),
                                                                           (0.12, 0.88)))])],
}

# placement styles: (height as a fraction of the canvas, slant range, rotation range in degrees)
PLAIN = ((0.3, 0.8), (-0.3, 0.25), (-10, 10))
PLACEMENTS = {
    "small": ((0.1, 0.18), (-0.3, 0.25), (-10, 10)),
    "large": ((0.86, 0.94), (-0.3, 0.25), (-10, 10)),
    "slanted": ((0.3, 0.8), (-0.6, -0.4), (-5, 5)),
    "rotated": ((0.3, 0.75), (-0.1, 0.1), (18, 28)),   # either way round: the sign is drawn
}


@dataclass
class DrawnDigit:
    label: int
    template: int
    strokes: list          # list of (n, 2) float arrays, canvas x, y
    brush_width: float     # canvas pixels
    gray: np.ndarray       # (CANVAS, CANVAS) float32, dark ink (0) on white paper (1)
    style: str = "plain"   # "plain", a STYLE_TEMPLATES name, or a PLACEMENTS name


def render_canvas(strokes, brush_width, size=CANVAS):
    """What the canvas shows: dark ink (0) on white paper (1), round pen, anti-aliased; (size, size)
    float32 (core.drawing.shapes draws it, the user's-classes drawings use the same)."""
    return canvas_uint8(strokes, brush_width, size).astype(np.float32) / 255.0


def draw_digit(label, template, rng, size=CANVAS, parts=None, placement=PLAIN, style="plain"):
    """One user-like drawing of template ``template`` of digit ``label`` (or of ``parts``, a
    list of unit-box strokes), sized, slanted and rotated within ``placement``."""
    parts = TEMPLATES[label][template] if parts is None else parts
    heights, slants, angles = placement
    height = rng.uniform(*heights) * size
    aspect = rng.uniform(0.8, 1.25)
    slant = rng.uniform(*slants)             # x += slant * (y - 0.5): right-leaning when negative
    angle = np.radians(rng.uniform(*angles) * (rng.choice([-1, 1]) if angles[0] > 0 else 1))
    wobble = rng.normal(0, 0.015, (3,))
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    brush = float(rng.uniform(6, 28) * min(1.0, height / (0.3 * size)) ** 0.5)   # small digits: finer pens
    strokes = []
    for part in parts:
        p = np.array(part, dtype=float)
        # smooth low-frequency wobble: the hand is not a plotter
        phase = rng.uniform(0, 2 * np.pi, 2)
        p = p + np.column_stack([wobble[0] * np.sin(4 * p[:, 1] + phase[0]), wobble[1] * np.sin(4 * p[:, 0] + phase[1])])
        p[:, 0] = (p[:, 0] - 0.3) * aspect - slant * (p[:, 1] - 0.5)
        p[:, 1] = p[:, 1] - 0.5
        strokes.append((p @ rotation.T) * height)
    points = np.concatenate(strokes)
    low, high = points.min(0), points.max(0)
    room_low = brush - low
    room_high = size - brush - high
    offset = np.array([rng.uniform(min(room_low[i], room_high[i]), max(room_low[i], room_high[i])) for i in range(2)])
    spacing = rng.uniform(2, 8)
    strokes = [mouse_path(s + offset, rng, spacing) + rng.normal(0, 0.4, (1, 2)) for s in strokes]
    return DrawnDigit(label, template, strokes, brush, render_canvas(strokes, brush, size), style)


def make_drawn_digits(per_digit=60, seed=0, size=CANVAS):
    """per_digit drawings of each digit 0-9 (templates used in turn), seeded."""
    rng = np.random.default_rng(seed)
    samples = []
    for label in range(10):
        n_templates = len(TEMPLATES[label])
        for i in range(per_digit):
            samples.append(draw_digit(label, i % n_templates, rng, size))
    return samples


def make_styled_digits(per_style=20, seed=0, size=CANVAS):
    """per_style drawings of every (digit, style): each STYLE_TEMPLATES shape, and each PLACEMENTS
    style applied to the plain templates of every digit (used in turn). Seeded."""
    rng = np.random.default_rng(seed)
    samples = []
    for label, styles in STYLE_TEMPLATES.items():
        names = sorted({name for name, _ in styles})
        for name in names:
            shapes = [parts for style, parts in styles if style == name]
            for i in range(per_style):
                samples.append(draw_digit(label, -1, rng, size, parts=shapes[i % len(shapes)], style=name))
    for name, placement in PLACEMENTS.items():
        for label in range(10):
            n_templates = len(TEMPLATES[label])
            for i in range(per_style):
                samples.append(draw_digit(label, i % n_templates, rng, size, placement=placement, style=name))
    return samples
