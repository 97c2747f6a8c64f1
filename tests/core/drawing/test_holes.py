"""Stroke-thickness normalisation keeps the loops of 0, 6, 8 and 9 open (core.drawing.holes)."""
import numpy as np
import pytest

from bench.drawn_digits import arc, chain, line, render_canvas, spline
from core.drawing.holes import count_holes, hole_areas, thickest_keeping_holes
from core.drawing.bitmap import prepare_image
from core.drawing.geometry import MNIST
from core.drawing.strokes import prepare_strokes
from core.drawing.thickness import estimate_stroke_width
from core.drawing.strokes import _decimate, _decimate_reference

_t = np.linspace(0, 2 * np.pi, 100)
# unit-box shapes (x right, y down, 1 tall) that a full-width pen used to fill
LOOPED = {
    "narrow 8": ([np.column_stack([0.3 - 0.075 * np.sin(2 * _t), 0.5 - 0.5 * np.cos(_t)])], 2),
    "small-loop 6": ([chain(spline((0.45, 0.0), (0.25, 0.25), (0.15, 0.55), (0.13, 0.8)),
                            arc(0.22, 0.8, 0.09, 0.09, 180, 540))], 1),
    "small-loop 9": ([chain(arc(0.35, 0.13, 0.1, 0.1, 0, 360), line((0.45, 0.13), (0.40, 1.0)))], 1),
    "narrow 0": ([arc(0.3, 0.5, 0.06, 0.5, -90, 275)], 1),
}


def on_canvas(parts, height=200.0, offset=(80.0, 40.0)):
    return [np.asarray(p, dtype=float) * height + np.asarray(offset) for p in parts]


@pytest.mark.parametrize("name", sorted(LOOPED))
@pytest.mark.parametrize("brush", [8.0, 20.0])
def test_small_loops_stay_open_after_preparation(name, brush):
    parts, holes = LOOPED[name]
    strokes = on_canvas(parts)
    assert count_holes(render_canvas(strokes, brush) < 0.5, min_area=20) >= holes   # open on the canvas
    from_strokes = prepare_strokes(strokes, brush_width=brush)
    from_bitmap = prepare_image(render_canvas(strokes, brush))
    assert count_holes(from_strokes) == holes, f"{name}: loops filled in the canvas path"
    assert count_holes(from_bitmap) == holes, f"{name}: loops filled in the bitmap (predict) path"
    # still MNIST-like: ink in the 20x20 box, strokes not thinner than MNIST's thin end
    assert from_strokes.max() > 0.9 and estimate_stroke_width(from_strokes) >= 1.0


def test_a_full_width_pen_would_have_filled_them():
    """The old behaviour, for the record: the target pen alone closes these loops."""
    from core.drawing.geometry import FULL, MNIST as geometry
    from core.drawing.strokes import _clean_strokes, _render_prepared
    for name, (parts, holes) in LOOPED.items():
        image = _render_prepared(_clean_strokes(on_canvas(parts)), geometry, FULL, geometry.stroke_width)
        assert count_holes(image) < holes, name


def test_digits_with_big_loops_keep_the_full_pen_width():
    wide_zero = on_canvas([arc(0.3, 0.5, 0.28, 0.5, -90, 275)])
    seven = on_canvas([line((0.0, 0.0), (0.6, 0.0), (0.2, 1.0))])
    from core.drawing.geometry import FULL
    from core.drawing.strokes import _clean_strokes, _render_prepared
    for strokes in (wide_zero, seven):
        full_pen = _render_prepared(_clean_strokes(strokes), MNIST, FULL, MNIST.stroke_width)
        np.testing.assert_array_equal(prepare_strokes(strokes), full_pen)


def test_prepared_stroke_width_sits_inside_mnists_own_range(mnist):
    """The same estimator on MNIST and on prepared drawings: the target width is MNIST's middle."""
    mnist_widths = np.array([estimate_stroke_width(image / 255.0) for image in mnist.test_images[:2000]])
    low, high = np.percentile(mnist_widths, [25, 75])
    drawn = [prepare_strokes(on_canvas([arc(0.3, 0.5, 0.28, 0.5, -90, 275)])),
             prepare_strokes(on_canvas([line((0.0, 0.0), (0.6, 0.0), (0.2, 1.0))]))]
    for image in drawn:
        assert low <= estimate_stroke_width(image) <= high
    # and the thinnest width the hole keeper may use is still within MNIST's 5th percentile
    thinnest = prepare_strokes(on_canvas(LOOPED["narrow 8"][0]))
    assert estimate_stroke_width(thinnest) >= np.percentile(mnist_widths, 5) - 0.1


def test_hole_counting_ignores_the_outside_and_counts_enclosed_background():
    image = np.zeros((20, 20))
    image[2:9, 2:9] = 1.0
    image[4:7, 4:7] = 0.0          # one 3x3 hole
    image[11:18, 11:18] = 1.0
    image[13, 13] = 0.0            # one 1-pixel hole
    assert list(hole_areas(image)) == [9, 1]
    assert count_holes(image) == 2 and count_holes(image, min_area=2) == 1
    image[4, 2:4] = 0.0            # open the first loop to the outside
    assert count_holes(image) == 1


def test_thickest_keeping_holes_prefers_the_target_width():
    widths = []

    def render(width):   # a ring whose hole closes at width >= 3
        widths.append(width)
        image = np.zeros((12, 12))
        image[2:10, 2:10] = 1.0
        if width < 3:
            image[5:7, 5:7] = 0.0   # a 4-pixel hole
        return image
    assert count_holes(thickest_keeping_holes(render, 4.0)) == 1
    # target 4 (closed), thinnest 2 (open), then 3 (closed): the thinnest is the one kept
    assert widths == pytest.approx([4.0, 2.0, 3.0])
    widths.clear()
    assert count_holes(thickest_keeping_holes(render, 2.5)) == 1
    assert widths == [2.5, 1.25]   # kept at the target: the thinnest render only confirmed it


def test_vectorised_decimation_keeps_the_ends_and_about_the_same_points():
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 6 * np.pi, 400))   # a spiral sampled unevenly, like mouse events
    points = np.column_stack([t * np.cos(t), t * np.sin(t)]) * 5 + rng.normal(0, 0.3, (400, 2))
    fast, slow = _decimate(points, 8.0), _decimate_reference(points, 8.0)
    np.testing.assert_array_equal(fast[[0, -1]], points[[0, -1]])
    path = np.abs(np.diff(points, axis=0)).sum(axis=1)
    assert len(fast) <= path.sum() / 8.0 + 2          # about one point per step of path length
    assert len(fast) >= len(slow)                     # never sparser than the greedy reference
    kept = np.flatnonzero((points[:, None] == fast[None]).all(axis=2).any(axis=1))
    along = np.concatenate([[0.0], np.cumsum(path)])[kept]
    assert np.diff(along).max() < 2 * 8.0 + path.max()   # no long stretch dropped


def test_thickest_keeping_holes_takes_the_intermediate_width_when_it_keeps_the_holes():
    def render(width):   # the hole closes only at width >= 3.5
        image = np.full((12, 12), width, dtype=float) / 10 + 0.55
        image[5:7, 5:7] = 0.0 if width < 3.5 else 1.0
        return image
    assert thickest_keeping_holes(render, 4.0)[0, 0] == pytest.approx(0.85)   # width 3.0 was chosen
