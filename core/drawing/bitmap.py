"""Bitmaps (image files, any size and polarity) -> an MNIST-like image: ink from grey levels,
crop, scale the longer side to the box, thin or thicken toward the geometry's stroke width
(core.drawing.thickness), centre by mass. Also the naive resize-only baseline."""
import numpy as np
from PIL import Image

from core.drawing.geometry import FULL, INK_THRESHOLD, MARGIN, SUPERSAMPLE, EmptyDrawing, resolve_geometry
from core.drawing.holes import thickest_keeping_holes
from core.drawing.placement import place_and_downsample
from core.drawing.thickness import set_stroke_width
from core.errors import DigitLabError


def to_unit_gray(gray):
    """(H, W) uint8 / float array -> float32 in [0, 1] (floats above 1 are taken as 0..255)."""
    gray = np.asarray(gray)
    if gray.ndim != 2:
        raise DigitLabError(f"expected a grey image (H, W), got shape {gray.shape}")
    if gray.dtype == np.uint8:
        return gray.astype(np.float32) / 255.0
    gray = np.nan_to_num(gray.astype(np.float32))
    return gray / 255.0 if gray.max(initial=0) > 1.0 else np.clip(gray, 0.0, 1.0)


def detect_polarity(gray):
    """'light_on_dark' (like MNIST) or 'dark_on_light' (ink on paper), from the border pixels:
    the background is whichever extreme the border's median is closer to."""
    gray = to_unit_gray(gray)
    border = np.concatenate([gray[0], gray[-1], gray[1:-1, 0], gray[1:-1, -1]])
    background = float(np.median(border))
    low, high = np.percentile(gray, [0.5, 99.5])
    # a small digit on a big page is under 0.5% of it: the 20 darkest / brightest pixels count too
    k = min(20, gray.size)
    flat = np.partition(gray.ravel(), (k - 1, gray.size - k))
    low, high = min(low, float(flat[k - 1])), max(high, float(flat[gray.size - k]))
    return "dark_on_light" if background - low > high - background else "light_on_dark"


def ink_from_gray(gray, polarity="auto"):
    """(H, W) grey image of either polarity -> ink coverage in [0, 1], background 0."""
    gray = to_unit_gray(gray)
    if polarity == "auto":
        polarity = detect_polarity(gray)
    if polarity == "dark_on_light":
        gray = 1.0 - gray
    border = np.concatenate([gray[0], gray[-1], gray[:, 0], gray[:, -1]])
    background = float(np.median(border))
    # the ink's level: the 99.9th percentile ignores a few hot pixels, but a small digit on a
    # big page is less than 0.1% of it, so take at least the 20th-brightest pixel
    flat = gray.ravel()
    peak = max(float(np.percentile(flat, 99.9)), float(np.partition(flat, -min(20, flat.size))[-min(20, flat.size)]))
    if peak - background < 0.05:   # no contrast: a blank page
        return np.zeros_like(gray)
    ink = np.clip((gray - background) / (peak - background), 0.0, 1.0)
    return np.clip((ink - 0.1) / 0.9, 0.0, 1.0)   # paper grain and JPEG noise below 10% go


def _crop_to_ink(ink):
    rows = np.flatnonzero(ink.max(axis=1) > INK_THRESHOLD)
    cols = np.flatnonzero(ink.max(axis=0) > INK_THRESHOLD)
    if len(rows) == 0:
        raise EmptyDrawing("no ink found in the image")
    return ink[rows[0]:rows[-1] + 1, cols[0]:cols[-1] + 1]


def _resize(image, rows, cols):
    """Area-style resize of a float image (Pillow's box filter; bilinear when enlarging)."""
    resample = Image.BOX if rows <= image.shape[0] and cols <= image.shape[1] else Image.BILINEAR
    return np.asarray(Image.fromarray(image.astype(np.float32), mode="F").resize((cols, rows), resample))


def _fit(ink, longer_side):
    h, w = ink.shape
    factor = longer_side / max(h, w)
    return _resize(ink, max(1, int(round(h * factor))), max(1, int(round(w * factor)))), factor


def prepare_image(gray, out_shape=None, box=None, geometry=None, stages=FULL, polarity="auto"):
    """A bitmap (H, W) of any size and polarity -> (H_out, W_out) float32 image in [0, 1].
    Raises EmptyDrawing when there is no ink."""
    geometry = resolve_geometry(geometry, out_shape, box)
    ink = ink_from_gray(gray, polarity)
    if not stages.thickness:
        return _prepare_ink(ink, geometry, stages, None)
    # thinned or thickened toward the geometry's width, but never so thick that a loop fills
    return thickest_keeping_holes(lambda width: _prepare_ink(ink, geometry, stages, width), geometry.stroke_width)


def _prepare_ink(ink, geometry, stages, stroke_width):
    """prepare_image from an ink image, strokes set to stroke_width output pixels (None: as drawn)."""
    k = SUPERSAMPLE if stages.antialias else 1
    if not stages.crop:   # the whole image mapped onto the box, aspect kept
        ink, factor = _fit(ink, geometry.box * k)
        if stroke_width is not None:
            ink = _crop_to_ink(ink) if (ink > INK_THRESHOLD).any() else ink
            ink = _pad(set_stroke_width(ink, stroke_width * k), int(stroke_width * k) + 2)
    else:
        ink = _crop_to_ink(ink)
        working = (geometry.box - 1.0) * k
        ink, factor = _fit(_pad(ink, 2), working)
        if stroke_width is not None:
            ink = _pad(ink, int(stroke_width * k) + 2)
            ink = set_stroke_width(ink, stroke_width * k)
            ink, _ = _fit(_crop_to_ink(ink), working)
        else:
            ink = _crop_to_ink(ink)
    if not (ink > INK_THRESHOLD).any():
        raise EmptyDrawing("no ink found in the image")
    rows, cols = ((s + 2 * MARGIN) * k for s in geometry.out_shape)
    field = np.zeros((rows, cols), np.float32)
    h, w = min(ink.shape[0], rows), min(ink.shape[1], cols)
    top, left = (rows - h) // 2, (cols - w) // 2
    field[top:top + h, left:left + w] = ink[:h, :w]
    if not stages.antialias:
        field = (field > 0.5).astype(np.float32)
    return place_and_downsample(field, k, geometry, stages)


def _pad(image, n):
    return np.pad(image, n) if n > 0 else image


def resize_only(gray, out_shape=(28, 28), polarity="auto"):
    """The naive baseline: the whole image resized to out_shape (area filter), polarity fixed,
    nothing else. What a first attempt usually does."""
    ink = ink_from_gray(gray, polarity)
    return np.clip(_resize(ink, int(out_shape[0]), int(out_shape[1])), 0.0, 1.0).astype(np.float32)
