"""core.drawing: the drawing -> MNIST-like image pipeline, checked by its properties."""
import numpy as np
import pytest
from scipy import ndimage

from core.drawing.bitmap import detect_polarity, ink_from_gray, prepare_image, resize_only
from core.drawing.geometry import DIGITS_8X8, FULL, MNIST, EmptyDrawing, Stages, geometry_for
from core.drawing.model_input import model_input
from core.drawing.strokes import prepare_strokes, render_strokes
from core.drawing.thickness import estimate_stroke_width, set_stroke_width


def seven(offset=(0.0, 0.0), size=150.0):
    """A 7 as a user draws it: top bar then the diagonal, in canvas coordinates."""
    points = np.array([[0.0, 0.0], [0.6, 0.0], [0.2, 1.0]]) * size + np.asarray(offset)
    t = np.linspace(0, 1, 30)[:, None]
    return [np.vstack([points[0] + t * (points[1] - points[0]), points[1] + t * (points[2] - points[1])])]


def zero(centre=(140.0, 140.0), rx=50.0, ry=90.0):
    t = np.linspace(0, 2 * np.pi, 80)
    return [np.column_stack([centre[0] + rx * np.cos(t), centre[1] + ry * np.sin(t)])]


def canvas_bitmap(strokes, brush, dark_on_light=True, size=280):
    ink = render_strokes(strokes, (size * 2, size * 2), brush * 2, lambda p: p * 2)
    ink = ink.reshape(size, 2, size, 2).mean(axis=(1, 3))
    return 1.0 - ink if dark_on_light else ink


def ink_bbox(image, threshold=0.0):
    rows = np.flatnonzero(image.max(axis=1) > threshold)
    cols = np.flatnonzero(image.max(axis=0) > threshold)
    return rows[-1] - rows[0] + 1, cols[-1] - cols[0] + 1


def correlation(a, b):
    return float(np.corrcoef(a.ravel(), b.ravel())[0, 1])


@pytest.mark.parametrize("strokes", [seven((40, 60)), zero(), seven((150, 20), size=60)])
def test_strokes_output_is_mnist_like(strokes):
    image = prepare_strokes(strokes)
    assert image.shape == (28, 28) and image.dtype == np.float32
    assert 0.0 <= image.min() and image.max() <= 1.0 and image.max() > 0.9
    com = ndimage.center_of_mass(image)
    assert abs(com[0] - 14.0) < 0.5 and abs(com[1] - 14.0) < 0.5
    height, width = ink_bbox(image)
    assert max(height, width) <= 20 and max(height, width) >= 18


def test_bitmap_output_is_mnist_like():
    image = prepare_image(canvas_bitmap(zero(), brush=12))
    com = ndimage.center_of_mass(image)
    assert abs(com[0] - 14.0) < 0.5 and abs(com[1] - 14.0) < 0.5
    assert max(ink_bbox(image)) <= 20


def test_translation_and_size_invariance():
    reference = prepare_strokes(seven((30, 30), size=200))
    moved = prepare_strokes(seven((150, 120), size=100))
    assert correlation(reference, moved) > 0.95


def test_brush_size_invariance_vector_and_bitmap():
    strokes = seven((60, 60))
    # vector path: the user's brush does not matter at all
    assert np.allclose(prepare_strokes(strokes, brush_width=4), prepare_strokes(strokes, brush_width=30))
    thin, thick = (prepare_image(canvas_bitmap(strokes, brush)) for brush in (4, 30))
    assert correlation(thin, thick) > 0.9
    assert abs(thin.sum() - thick.sum()) / thick.sum() < 0.25
    # without thickness normalisation the bitmaps differ much more: the stage does something
    raw_thin, raw_thick = (prepare_image(canvas_bitmap(strokes, b), stages=Stages(thickness=False)) for b in (4, 30))
    assert abs(raw_thin.sum() - raw_thick.sum()) / raw_thick.sum() > 0.5


def test_aspect_ratio_is_kept():
    tall = prepare_strokes(zero(rx=30, ry=90))    # 1:3 ellipse
    height, width = ink_bbox(tall, 0.3)
    assert height >= 18 and 5 <= width <= 10
    wide = prepare_strokes(zero(rx=90, ry=45))
    height, width = ink_bbox(wide, 0.3)
    assert width >= 18 and 8 <= height <= 12


def test_a_dot_and_a_straight_line_are_drawable():
    dot = prepare_strokes([np.array([[100.0, 100.0]])])
    assert dot.sum() > 0
    line = prepare_strokes([np.array([[140.0, 20.0], [140.0, 260.0]])])
    height, width = ink_bbox(line, 0.3)
    assert height >= 18 and width <= 4


@pytest.mark.parametrize("strokes", [[], [np.empty((0, 2))], [np.array([[np.nan, 1.0]])]])
def test_empty_drawing_raises(strokes):
    with pytest.raises(EmptyDrawing):
        prepare_strokes(strokes)


def test_blank_bitmaps_raise_empty_drawing():
    with pytest.raises(EmptyDrawing):
        prepare_image(np.full((50, 50), 255, np.uint8))
    with pytest.raises(EmptyDrawing):
        prepare_image(np.zeros((50, 50), np.float32))


def test_polarity_detection_both_ways():
    paper = canvas_bitmap(seven((60, 60)), brush=10, dark_on_light=True)
    screen = canvas_bitmap(seven((60, 60)), brush=10, dark_on_light=False)
    assert detect_polarity(paper) == "dark_on_light"
    assert detect_polarity(screen) == "light_on_dark"
    assert detect_polarity((paper * 255).astype(np.uint8)) == "dark_on_light"
    # grey paper with grey-black ink (a photo) is still paper
    assert detect_polarity(0.35 + 0.4 * paper) == "dark_on_light"
    a, b = prepare_image(paper), prepare_image(screen)
    assert np.abs(a - b).max() < 0.02
    assert np.allclose(ink_from_gray(screen, "light_on_dark"), ink_from_gray(paper, "dark_on_light"), atol=1e-5)


def test_stroke_width_estimate_and_adjustment():
    lines = [np.array([[10.0, 10.0], [10.0, 90.0]]), np.array([[40.0, 10.0], [40.0, 90.0]])]
    for width in (3, 7, 11):
        ink = render_strokes(lines, (100, 60), width)
        assert abs(estimate_stroke_width(ink) - width) <= 1.0
    thick = render_strokes(lines, (100, 60), 11)
    assert abs(estimate_stroke_width(set_stroke_width(thick, 5)) - 5) <= 1.0
    thin = render_strokes(lines, (100, 60), 3)
    assert abs(estimate_stroke_width(set_stroke_width(thin, 7)) - 7) <= 1.0


def test_each_stage_can_be_switched_off_and_changes_the_output():
    strokes = seven((150, 150), size=100)
    full = prepare_strokes(strokes, brush_width=25)
    for name in Stages.names():
        other = prepare_strokes(strokes, stages=Stages(**{name: False}), brush_width=25)
        assert other.shape == (28, 28)
        assert not np.allclose(full, other), name
    assert set(np.unique(prepare_strokes(strokes, stages=Stages(antialias=False)))) <= {0.0, 1.0}


def test_resize_only_baseline_keeps_the_canvas_layout():
    gray = canvas_bitmap(seven((150, 150), size=100), brush=10)
    image = resize_only(gray)
    assert image.shape == (28, 28)
    rows = np.flatnonzero(image.max(axis=1) > 0.1)
    assert rows[0] >= 14   # the digit stays in the lower half, where it was drawn


def test_geometry_for_input_shapes():
    assert geometry_for([28, 28]) == MNIST
    assert geometry_for((8, 8)) == DIGITS_8X8
    small = prepare_strokes(zero(), geometry=geometry_for((8, 8)))
    assert small.shape == (8, 8)
    assert max(ink_bbox(small, 0.05)) == 8
    other = geometry_for((16, 16))
    assert other.out_shape == (16, 16) and other.box < 16
    assert prepare_strokes(seven(), out_shape=(16, 16)).shape == (16, 16)


def test_model_input_normalisations():
    image = np.linspace(0, 1, 784, dtype=np.float32).reshape(28, 28)
    x = model_input(image, "zero_one")
    assert x.shape == (1, 784) and x.dtype == np.float32 and np.allclose(x[0], image.ravel())
    y = model_input(image, "minus_one_one")
    assert y.min() == -1.0 and y.max() == 1.0 and np.allclose(y, 2 * x - 1)
    assert FULL == Stages()
