"""Vector strokes (what the canvas keeps) -> an MNIST-like image: crop to the drawing, scale the
longer side to the box, re-render with a pen width fixed relative to the box (narrowed where a
full-width pen would fill a loop: core.drawing.holes), supersampled, then centred by mass."""
from dataclasses import replace

import numpy as np
from PIL import Image, ImageDraw

from core.drawing.geometry import FULL, MARGIN, SUPERSAMPLE, EmptyDrawing, resolve_geometry
from core.drawing.holes import MIN_HOLE_AREA, count_holes, thickest_keeping_holes
from core.drawing.placement import place_and_downsample


def _clean_strokes(strokes):
    cleaned = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes if len(s)]
    cleaned = [s[np.all(np.isfinite(s), axis=1)] for s in cleaned]
    cleaned = [s for s in cleaned if len(s)]
    if not cleaned:
        raise EmptyDrawing("nothing drawn yet: draw a digit")
    return cleaned


def _decimate(points, min_step):
    """Keep about one point per min_step of path length (the canvas sends one every 2 px; at the
    output resolution that is far denser than needed and rendering cost is per point): a point
    is kept when the path's length crosses into the next multiple of min_step. Ends always stay.
    Vectorised; ``_decimate_reference`` is the greedy loop it replaces."""
    if len(points) < 3 or min_step <= 0:
        return points
    length = np.concatenate([[0.0], np.cumsum(np.abs(np.diff(points, axis=0)).sum(axis=1))])
    bucket = np.floor(length / min_step)
    keep = np.flatnonzero(np.diff(bucket) > 0) + 1
    keep = np.concatenate([[0], keep[keep < len(points) - 1], [len(points) - 1]])
    return points[keep]


def _decimate_reference(points, min_step):
    """Drop points closer (L1) than min_step to the last kept one: the readable greedy version."""
    if len(points) < 3 or min_step <= 0:
        return points
    kept = [0]
    last = points[0]
    for i in range(1, len(points) - 1):
        if abs(points[i, 0] - last[0]) + abs(points[i, 1] - last[1]) >= min_step:
            kept.append(i)
            last = points[i]
    kept.append(len(points) - 1)
    return points[kept]


def render_strokes(strokes, size, pen_width, transform=lambda p: p):
    """Draw strokes (list of (n, 2) x, y arrays) into a (rows, cols) float32 ink image in [0, 1]
    with round joints and caps, pen_width in the image's pixels, binary (no anti-aliasing).

    A round pen is a line plus a disc at every vertex: the same shape as Pillow's
    joint="curve", about ten times faster (that one is per-vertex Python)."""
    rows, cols = size
    image = Image.new("L", (cols, rows), 0)
    draw = ImageDraw.Draw(image)
    radius = pen_width / 2.0
    width = max(1, int(round(pen_width)))
    for stroke in strokes:
        points = _decimate(np.asarray(transform(stroke), dtype=np.float64), max(1.0, 0.25 * pen_width))
        flat = [tuple(p) for p in points.tolist()]
        if len(flat) > 1:
            draw.line(flat, fill=255, width=width)
        if radius >= 1.0 or len(flat) == 1:
            for x, y in flat:
                draw.ellipse((x - radius, y - radius, x + radius, y + radius), fill=255)
    return np.asarray(image, dtype=np.float32) / 255.0


def prepare_strokes(strokes, out_shape=None, box=None, geometry=None, stages=FULL, brush_width=10.0,
                    canvas_size=(280, 280)):
    """Strokes (list of (n_points, 2) canvas x, y arrays) -> (H, W) float32 image in [0, 1].

    brush_width (canvas pixels) and canvas_size (width, height) only matter with stages
    switched off: without ``thickness`` the user's brush is scaled along with the drawing,
    without ``crop`` the whole canvas is mapped onto the box. Raises EmptyDrawing.
    """
    geometry = resolve_geometry(geometry, out_shape, box)
    strokes = _clean_strokes(strokes)
    if stages.thickness:   # the pen the geometry asks for, narrower where it would fill a loop
        # a binary one-pixel rendering without supersampling costs a tenth of a full one and
        # shows at least as many holes (thinner ink): digits without loops stop there
        outline = _render_prepared(strokes, geometry, replace(stages, antialias=False), 1.0)
        return thickest_keeping_holes(lambda pen: _render_prepared(strokes, geometry, stages, pen),
                                      geometry.stroke_width,
                                      most_holes=count_holes(outline, min_area=MIN_HOLE_AREA))
    return _render_prepared(strokes, geometry, stages, None, brush_width, canvas_size)


def _render_prepared(strokes, geometry, stages, pen_out, brush_width=10.0, canvas_size=(280, 280)):
    """prepare_strokes for cleaned strokes with pen_out output pixels (None: the user's brush,
    scaled along with the drawing)."""
    k = SUPERSAMPLE if stages.antialias else 1
    points = np.concatenate(strokes)
    if stages.crop:
        low, high = points.min(axis=0), points.max(axis=0)
        extent = float(np.max(high - low))
        if pen_out is None:   # the user's brush, scaled with the drawing
            pen_out = geometry.stroke_width
            if extent > 0:
                pen_out = min(geometry.box - 1.0, (geometry.box - 1.0) * brush_width / (extent + brush_width))
        # pen included, the ink spans box - 1 output pixels: at most `box` pixels on any grid
        scale = (geometry.box - 1.0 - pen_out) / extent if extent > 0 else 1.0
        centre = (low + high) / 2.0
    else:
        canvas_w, canvas_h = canvas_size
        scale = geometry.box / max(canvas_w, canvas_h)
        centre = np.array([canvas_w / 2.0, canvas_h / 2.0])
        pen_out = brush_width * scale if pen_out is None else pen_out
    rows, cols = (s + 2 * MARGIN for s in geometry.out_shape)
    field_centre = np.array([cols / 2.0, rows / 2.0]) * k

    def transform(p):
        return (p - centre) * (scale * k) + field_centre

    ink = render_strokes(strokes, (rows * k, cols * k), pen_out * k, transform)
    return place_and_downsample(ink, k, geometry, stages)


MAX_PICTURE_SIDE = 512   # px: a gallery thumbnail is 52 px; a 4K canvas must not make a 3000 px PNG


def render_drawing(strokes, brush_width=14.0, margin=20):
    """Strokes (list of (n, 2) canvas x, y arrays) -> (H, W) uint8 picture of the drawing as the
    canvas showed it: dark ink on white, round pen of brush_width canvas pixels, framed to the
    drawing with ``margin`` around it, scaled down so that neither side exceeds MAX_PICTURE_SIDE
    (strokes spanning 13,000 canvas pixels still make a small picture). Raises EmptyDrawing."""
    strokes = _clean_strokes(strokes)
    points = np.concatenate(strokes)
    low = points.min(axis=0) - brush_width / 2 - margin
    extent = points.max(axis=0) + brush_width / 2 + margin - low
    scale = min(1.0, MAX_PICTURE_SIDE / float(max(extent.max(), 1.0)))
    cols, rows = np.maximum(np.ceil(extent * scale).astype(int), 1)
    ink = render_strokes(strokes, (int(rows), int(cols)), brush_width * scale, lambda p: (p - low) * scale)
    return (255 - np.rint(ink * 255.0)).astype(np.uint8)
