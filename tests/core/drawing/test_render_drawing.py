"""core.drawing.strokes.render_drawing: the gallery's picture of a drawing, through the one stroke
renderer (render_strokes) instead of Pillow's per-vertex joint="curve" mode."""
import numpy as np
import pytest
from PIL import Image, ImageDraw

from core.drawing.geometry import EmptyDrawing
from core.drawing.strokes import MAX_PICTURE_SIDE, render_drawing


def pillow_curve_joints(strokes, brush_width=14.0, margin=20):
    """The renderer My digits had before (core/data/my_digits.py): Pillow lines with joint="curve"."""
    points = np.concatenate(strokes)
    low = points.min(axis=0) - brush_width / 2 - margin
    size = np.ceil(points.max(axis=0) + brush_width / 2 + margin - low).astype(int)
    image = Image.new("L", (int(max(size[0], 1)), int(max(size[1], 1))), 255)
    draw = ImageDraw.Draw(image)
    r = brush_width / 2
    for stroke in strokes:
        xy = [tuple(p) for p in (stroke - low).tolist()]
        if len(xy) > 1:
            draw.line(xy, fill=0, width=int(round(brush_width)), joint="curve")
        for x, y in (xy[0], xy[-1]):
            draw.ellipse((x - r, y - r, x + r, y + r), fill=0)
    return np.asarray(image, dtype=np.uint8)


def drawings():
    t = np.linspace(0, 2 * np.pi, 120)
    s = np.linspace(0, 1, 20)[:, None]
    wiggle = np.cumsum(np.random.default_rng(0).normal(0, 2, (300, 2)), axis=0) + 140
    return {"zero": [np.column_stack([140 + 50 * np.cos(t), 140 + 90 * np.sin(t)])],
            "seven": [np.vstack([np.array([40.0, 50]) + s * [150, 0], np.array([190.0, 50]) + s * [-90, 180]])],
            "wiggle": [wiggle], "dot": [np.array([[100.0, 100.0]])]}


@pytest.mark.parametrize("name", ["zero", "seven", "wiggle", "dot"])
@pytest.mark.parametrize("brush", [10.0, 18.0])
def test_the_picture_matches_the_old_renderer_within_an_outline_pixel(name, brush):
    strokes = drawings()[name]
    new, old = render_drawing(strokes, brush), pillow_curve_joints(strokes, brush)
    assert new.shape == old.shape and new.dtype == np.uint8
    assert np.mean((new < 128) != (old < 128)) < 0.03   # measured 0.5-2.2%: half a pixel on the outline
    assert set(np.unique(new)) <= {0, 255} and new[0, 0] == 255   # dark ink on white, binary like before


def test_a_drawing_spanning_13000_pixels_makes_a_small_picture():
    picture = render_drawing([np.array([[0.0, 0.0], [13000.0, 6000.0]])])
    assert max(picture.shape) == MAX_PICTURE_SIDE and picture.min() == 0


def test_nothing_drawn_is_refused():
    with pytest.raises(EmptyDrawing):
        render_drawing([np.zeros((0, 2))])
