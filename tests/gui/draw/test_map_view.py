"""The signed map view: symmetric colour range, the ink outline along pixel edges."""
import numpy as np

from gui.draw.map_view import SignedMapView, outline_segments


def segments(x, y):
    return {((x[i], y[i]), (x[i + 1], y[i + 1])) for i in range(0, len(x), 2)}


def test_the_outline_runs_along_the_edges_of_the_inked_pixels():
    one = segments(*outline_segments(np.array([[0, 0, 0], [0, 0.9, 0], [0, 0, 0]]), 0.5))
    assert one == {((1, 1), (1, 2)), ((2, 1), (2, 2)), ((1, 1), (2, 1)), ((1, 2), (2, 2))}
    bar = segments(*outline_segments(np.array([[0.6, 0.7, 0.2]]), 0.5))   # two pixels at the border
    assert bar == {((0, 0), (0, 1)), ((2, 0), (2, 1)), ((0, 0), (1, 0)), ((1, 0), (2, 0)),
                   ((0, 1), (1, 1)), ((1, 1), (2, 1))}
    assert outline_segments(np.zeros((4, 4)), 0.5)[0].size == 0


def test_the_colour_range_is_symmetric_around_zero(qtbot):
    view = SignedMapView()
    qtbot.addWidget(view)
    values = np.zeros((28, 28))
    values[3, 4], values[10, 10] = 0.25, -2.0
    view.set_map(values, ink=(values != 0).astype(float))
    assert view.limit == 2.0 and tuple(view.image.levels) == (-2.0, 2.0)
    assert tuple(view.colour_bar.levels()) == (-2.0, 2.0)
    assert len(view.outline.xData) == 16                             # two pixels: 4 edges of 2 ends each
