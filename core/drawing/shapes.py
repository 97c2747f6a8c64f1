"""Shapes drawn the way a user draws them on the canvas: five classes (circle, square, triangle,
star, heart), for the drawn-classes project's demo, its tests and bench/bench_shapes.py.

Each shape has a few stroke templates in a unit box (x right, y down, 0..1): a circle started
anywhere and closed with an overshoot, a square and a triangle in one stroke or two, a star in
one stroke, a heart as two bumps meeting in a point. ``draw_shape`` turns one into a canvas
drawing with a random size, place, aspect, slant, rotation, wobble, brush width and mouse-event
spacing (within a ``Style``) and renders what the canvas shows:

    shapes = make_shapes(per_class=20, seed=0)                  # the training style
    held_out = make_shapes(per_class=40, seed=1, style=HELD_OUT) # other sizes, slants, pens
    shapes[0].strokes   # list of (n_points, 2) float arrays: canvas x, y
    shapes[0].gray      # (280, 280) uint8 canvas: dark ink (0) on white paper (255)

Designed by hand from how people draw these shapes with a mouse; seeded, so the same on every
machine.
"""
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

CANVAS = 280
SHAPE_NAMES = ("circle", "square", "triangle", "star", "heart")


def _polyline(*points):
    return np.array(points, dtype=float)


def _ellipse(start_degrees, sweep_degrees, n=48):
    t = np.radians(start_degrees + np.linspace(0.0, sweep_degrees, n))
    return np.column_stack([0.5 + 0.5 * np.cos(t), 0.5 + 0.5 * np.sin(t)])


def _star(n=5):
    """A five-pointed star in one stroke: every second point of a pentagon, back to the start."""
    angles = np.radians(-90 + 144 * np.arange(n + 1))
    return np.column_stack([0.5 + 0.5 * np.cos(angles), 0.53 + 0.5 * np.sin(angles)])


def _heart(n=60):
    """The classic heart curve, scaled into the unit box (point at the bottom)."""
    t = np.linspace(0, 2 * np.pi, n)
    x = 16 * np.sin(t) ** 3
    y = -(13 * np.cos(t) - 5 * np.cos(2 * t) - 2 * np.cos(3 * t) - np.cos(4 * t))
    return np.column_stack([(x + 17) / 34, (y + 17.5) / 30])


# class index -> templates; a template is a list of strokes in the unit box
TEMPLATES = {
    0: [[_ellipse(-90, 375)], [_ellipse(150, 380)], [_ellipse(20, -370)]],
    1: [[_polyline((0, 0), (1, 0), (1, 1), (0, 1), (0, 0))],
        [_polyline((0, 0), (0, 1), (1, 1)), _polyline((0, 0), (1, 0), (1, 1))],
        [_polyline((1, 0), (0, 0), (0, 1), (1, 1), (1, -0.03))]],
    2: [[_polyline((0.5, 0), (1, 1), (0, 1), (0.5, 0))],
        [_polyline((0, 1), (0.5, 0), (1, 1)), _polyline((0, 1), (1, 1))],
        [_polyline((0.5, 0), (0, 1), (1, 1), (0.47, 0.02))]],
    3: [[_star()], [_star()[::-1]]],
    4: [[_heart()], [_heart()[::-1]],
        [_heart()[:31], _heart()[30:]]],
}


@dataclass(frozen=True)
class Style:
    """The ranges a drawing's look is drawn from: height as a fraction of the canvas; slant
    (x += slant * (y - 0.5), a shear); rotation in degrees; brush width in canvas pixels. A
    range given as two pairs picks one of them at random (held-out: small or large)."""
    heights: tuple = ((0.4, 0.7),)
    slants: tuple = ((-0.15, 0.15),)
    rotations: tuple = ((-8.0, 8.0),)
    brushes: tuple = ((9.0, 16.0),)


TRAIN = Style()
# held out: smaller and larger, more slanted, thinner and thicker pens than anything in TRAIN
HELD_OUT = Style(heights=((0.2, 0.3), (0.8, 0.92)), slants=((-0.35, -0.2), (0.2, 0.35)),
                 rotations=((-15.0, -9.0), (9.0, 15.0)), brushes=((3.0, 7.0), (18.0, 28.0)))


@dataclass
class DrawnShape:
    label: int             # index into SHAPE_NAMES
    strokes: list          # list of (n_points, 2) float arrays, canvas x, y
    brush_width: float     # canvas pixels
    gray: np.ndarray       # (CANVAS, CANVAS) uint8, dark ink (0) on white paper (255)

    @property
    def name(self):
        return SHAPE_NAMES[self.label]


def _pick(rng, ranges):
    low, high = ranges[rng.integers(len(ranges))]
    return rng.uniform(low, high)


def mouse_path(points, rng, spacing):
    """Resample a polyline at about ``spacing`` pixels, as mouse-move events arrive."""
    distance = np.concatenate([[0.0], np.cumsum(np.linalg.norm(np.diff(points, axis=0), axis=1))])
    if distance[-1] == 0:
        return points[:1].copy()
    n = max(2, int(distance[-1] / spacing) + 1)
    at = np.sort(np.concatenate([[0.0, distance[-1]], rng.uniform(0, distance[-1], n - 2)]))
    return np.column_stack([np.interp(at, distance, points[:, 0]), np.interp(at, distance, points[:, 1])])


def render_canvas(strokes, brush_width, size=CANVAS):
    """What the canvas shows: (size, size) uint8, dark ink on white, round pen, anti-aliased
    (drawn at twice the size and box-filtered down)."""
    k = 2
    image = Image.new("L", (size * k, size * k), 255)
    draw = ImageDraw.Draw(image)
    radius = brush_width * k / 2
    for stroke in strokes:
        points = [(float(x) * k, float(y) * k) for x, y in stroke]
        if len(points) > 1:
            draw.line(points, fill=0, width=max(1, int(round(brush_width * k))), joint="curve")
        for x, y in (points[0], points[-1]):
            draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=0)
    return np.asarray(image.resize((size, size), Image.BOX), dtype=np.uint8).copy()


def draw_shape(label, rng, style=TRAIN, template=None, size=CANVAS):
    """One user-like drawing of shape ``label`` (template ``template``, else a random one)."""
    templates = TEMPLATES[label]
    parts = templates[rng.integers(len(templates)) if template is None else template % len(templates)]
    height = _pick(rng, style.heights) * size
    aspect = rng.uniform(0.85, 1.15)
    slant = _pick(rng, style.slants)
    angle = np.radians(_pick(rng, style.rotations))
    brush = min(_pick(rng, style.brushes), height / 10)   # a 28 px pen on a 60 px star is a blot, not a star
    rotation = np.array([[np.cos(angle), -np.sin(angle)], [np.sin(angle), np.cos(angle)]])
    strokes = []
    for part in parts:
        p = np.array(part, dtype=float)
        phase = rng.uniform(0, 2 * np.pi, 2)   # a slow wobble: the hand is not a plotter
        p = p + 0.02 * np.column_stack([np.sin(4 * p[:, 1] + phase[0]), np.sin(4 * p[:, 0] + phase[1])])
        p = p - 0.5
        p[:, 0] = p[:, 0] * aspect - slant * p[:, 1]
        strokes.append((p @ rotation.T) * height)
    points = np.concatenate(strokes)
    fit = min(1.0, (size - 2.5 * brush) / float(np.max(points.max(axis=0) - points.min(axis=0))))
    strokes = [s * fit for s in strokes]            # a slanted large square still fits the canvas
    points = points * fit
    low = brush - points.min(axis=0)                      # the offsets that keep the pen on the canvas
    high = size - brush - points.max(axis=0)
    offset = np.array([rng.uniform(min(a, b), max(a, b)) for a, b in zip(low, high)])
    spacing = rng.uniform(2, 8)
    strokes = [mouse_path(s + offset, rng, spacing) for s in strokes]
    return DrawnShape(int(label), strokes, float(brush), render_canvas(strokes, brush, size))


def make_shapes(per_class=20, seed=0, style=TRAIN, size=CANVAS):
    """per_class drawings of each of the five shapes (templates used in turn), seeded; ordered
    by class."""
    rng = np.random.default_rng(seed)
    return [draw_shape(label, rng, style, template=i, size=size)
            for label in range(len(SHAPE_NAMES)) for i in range(per_class)]
