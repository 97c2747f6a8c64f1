"""The drawn-shape generator: five classes, seeded, on the canvas, held-out looks outside the training ones."""
import numpy as np

from core.drawing.bitmap import prepare_image
from core.drawing.shapes import CANVAS, HELD_OUT, SHAPE_NAMES, TRAIN, make_shapes


def test_seeded_classes_in_order_and_whole_on_the_canvas():
    shapes = make_shapes(per_class=3, seed=4)
    again = make_shapes(per_class=3, seed=4)
    assert [s.name for s in shapes] == [name for name in SHAPE_NAMES for _ in range(3)]
    for shape, twin in zip(shapes, again):
        np.testing.assert_array_equal(shape.gray, twin.gray)
        assert shape.gray.shape == (CANVAS, CANVAS) and shape.gray.dtype == np.uint8
        border = np.concatenate([shape.gray[0], shape.gray[-1], shape.gray[:, 0], shape.gray[:, -1]])
        assert border.min() == 255                      # nothing cut off by the canvas's edge
        assert (shape.gray < 128).sum() > 100           # there is a drawing
        assert prepare_image(shape.gray).shape == (28, 28)


def test_held_out_drawings_are_outside_the_training_ranges():
    train = make_shapes(per_class=10, seed=0, style=TRAIN)
    held_out = make_shapes(per_class=10, seed=1, style=HELD_OUT)
    low, high = TRAIN.brushes[0]
    assert all(low <= s.brush_width <= high for s in train)
    assert all(not low <= s.brush_width <= high for s in held_out)
    assert not np.array_equal(train[0].gray, held_out[0].gray)
