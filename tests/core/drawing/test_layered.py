"""Strokes drawn on top of a background image in input space (Fool it > Draw on top)."""
import numpy as np

from core.drawing.layered import prepare_on_background, strokes_on_grid


def test_a_canvas_point_lands_in_the_grid_cell_under_it():
    # a dot at canvas (155, 55) on a 280x140 canvas -> grid x 155 * 28 / 280 = 15.5, y 55 * 14 / 140 = 5.5:
    # the centre of cell (row 5, column 15)
    ink = strokes_on_grid([np.array([[155.0, 55.0]])], [12.0], (280, 140), (14, 28))
    assert ink.shape == (14, 28)
    row, column = np.unravel_index(np.argmax(ink), ink.shape)
    assert (row, column) == (5, 15) and ink[5, 15] > 0.9
    assert ink[:, :12].max() == 0 and ink[9:].max() == 0          # nothing far away


def test_brush_width_scales_with_the_canvas():
    line = [np.array([[0.0, 140.0], [280.0, 140.0]])]
    thin = strokes_on_grid(line, [10.0], (280, 280), (28, 28)).sum(axis=0)[14]
    thick = strokes_on_grid(line, [30.0], (280, 280), (28, 28)).sum(axis=0)[14]
    assert thin == np.float32(thin) and 0.8 < thin < 1.3 and 2.7 < thick < 3.3   # 10 px -> 1 cell, 30 px -> 3 cells


def test_background_plus_ink_is_clipped_and_empty_strokes_keep_the_background():
    background = np.full((28, 28), 0.5, np.float32)
    assert np.array_equal(prepare_on_background(background, [], [], (280, 280)), background)
    image = prepare_on_background(background, [np.array([[140.0, 140.0]])], [20.0], (280, 280))
    assert image.max() == 1.0 and image.min() == 0.5 and image.dtype == np.float32
