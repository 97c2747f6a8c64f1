"""Drawing on top of an image: strokes added to a fixed background in the network's input space.

"Fool it" on the Draw tab finds a changed input image (H, W) that the network misreads; "Draw on
top" lets the user keep drawing on it. That image is already prepared (cropped, scaled, centred),
so new strokes must not go through the crop-and-centre preparation again: it would move the new
ink relative to the background's pixels. Instead the canvas becomes a magnified view of the
input grid: a canvas point (x, y) maps linearly to grid coordinates (x * W / canvas_width,
y * H / canvas_height), each stroke keeps the brush width it was drawn with (scaled the same
way), and the input is the background plus the new ink, clipped to [0, 1]:

    input = clip(background + ink(strokes), 0, 1)

so what the canvas shows is what the network receives. Pure NumPy / Pillow; no Qt.
"""
import numpy as np

from core.drawing.geometry import SUPERSAMPLE
from core.drawing.strokes import render_strokes


def strokes_on_grid(strokes, widths, canvas_size, out_shape):
    """(H, W) float32 ink in [0, 1] of strokes (list of (n, 2) canvas x, y arrays) drawn with
    pen ``widths`` (canvas pixels, one per stroke) on a canvas of ``canvas_size`` (width,
    height) mapped onto an out_shape (H, W) grid; anti-aliased by rendering at SUPERSAMPLE
    times the resolution and averaging blocks."""
    rows, cols = (int(s) for s in out_shape)
    canvas_w, canvas_h = (float(s) for s in canvas_size)
    k = SUPERSAMPLE
    scale = np.array([cols / canvas_w, rows / canvas_h]) * k
    ink = np.zeros((rows * k, cols * k), np.float32)
    for stroke, width in zip(strokes, widths):
        points = np.asarray(stroke, np.float64).reshape(-1, 2)
        points = points[np.all(np.isfinite(points), axis=1)]
        if len(points):
            pen = float(width) * float(scale.mean())
            np.maximum(ink, render_strokes([points], ink.shape, pen, lambda p: p * scale), out=ink)
    return ink.reshape(rows, k, cols, k).mean(axis=(1, 3))


def prepare_on_background(background, strokes, widths, canvas_size):
    """(H, W) float32 input in [0, 1]: background (H, W) in [0, 1] plus the strokes' ink."""
    background = np.asarray(background, np.float32)
    if not strokes:
        return np.clip(background, 0.0, 1.0)
    ink = strokes_on_grid(strokes, widths, canvas_size, background.shape)
    return np.clip(background + ink, 0.0, 1.0).astype(np.float32)
