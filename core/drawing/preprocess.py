"""A drawing (vector strokes or a bitmap) -> the image a network trained on MNIST expects.

MNIST digits were size-normalised to fit a 20x20 box keeping their aspect ratio, anti-aliased,
and placed in a 28x28 field so that their centre of mass sits at the field's centre (index
coordinates (14, 14), measured on the test set). A drawing from a 280x280 canvas resized as a
whole looks nothing like that (wrong size, wrong place, strokes too thin or too thick), which
is why "I drew a 7 and it said 3" happens. The stages here, each of which can be switched off
(``Stages``) for the ablation benchmark:

  crop        crop to the ink and scale the longer side to the box (aspect kept)
  thickness   strokes re-rendered with a pen width fixed relative to the box (vector input),
              or thinned/thickened toward it through a signed distance field (bitmap input)
  antialias   render at ``SUPERSAMPLE`` times the resolution and area-downsample; off: binary
  centre      centre of mass at the field's centre (off: centre of the bounding box)

Images are (H, W) float32 in [0, 1], ink light on dark like MNIST; ``model_input`` turns one
into the (1, n_inputs) row a Network takes, with the model's normalisation.
Pure NumPy / SciPy / Pillow; no Qt.
"""
from dataclasses import dataclass, replace

import numpy as np
from PIL import Image, ImageDraw
from scipy import ndimage

from core.errors import DigitLabError

SUPERSAMPLE = 4          # render at 4x and area-downsample: anti-aliasing like MNIST's grey edges
INK_THRESHOLD = 0.2      # ink coverage above which a bitmap pixel counts as ink (cropping)
MARGIN = 8               # output pixels of room around the field while centring


class EmptyDrawing(DigitLabError):
    """There is no ink to classify (empty canvas, blank image)."""


@dataclass(frozen=True)
class Geometry:
    """How a dataset's digits sit in their images.

    out_shape: (H, W) of the network's input image. box: the ink's longer side in output
    pixels (anti-aliased edges included). stroke_width: pen width in output pixels.
    centre: 'mass' (centre of mass at ``target``) or 'box' (bounding-box centre at ``target``).
    target: (row, col) in index coordinates.
    """
    out_shape: tuple = (28, 28)
    box: float = 20.0
    stroke_width: float = 2.4
    centre: str = "mass"
    target: tuple = (14.0, 14.0)


MNIST = Geometry()
# scikit-learn's 8x8 digits: 32x32 NIST bitmaps, size-normalised to fill the box, then counted in
# 4x4 blocks (so strokes are about 2/3 of a pixel wide and blurred); centred by bounding box.
DIGITS_8X8 = Geometry(out_shape=(8, 8), box=8.0, stroke_width=1.0, centre="box", target=(3.5, 3.5))


def geometry_for(input_shape, box=None):
    """The Geometry for a model's metadata['input_shape'] ([28, 28], [8, 8], or any (H, W))."""
    shape = tuple(int(s) for s in input_shape)
    if len(shape) != 2 or min(shape) < 4:
        raise DigitLabError(f"cannot draw for input shape {list(input_shape)}: a 2-D image of at least 4x4 is needed")
    if shape == (8, 8):
        geometry = DIGITS_8X8
    elif shape == (28, 28):
        geometry = MNIST
    else:   # MNIST's proportions scaled to the new size
        factor = min(shape) / 28.0
        geometry = Geometry(shape, 20.0 * factor, max(1.0, 2.4 * factor), "mass", (shape[0] / 2, shape[1] / 2))
    return replace(geometry, box=float(box)) if box else geometry


@dataclass(frozen=True)
class Stages:
    """Which stages run; all on is the full pipeline."""
    crop: bool = True
    thickness: bool = True
    antialias: bool = True
    centre: bool = True

    @classmethod
    def names(cls):
        return ("crop", "thickness", "antialias", "centre")


FULL = Stages()


# ----- vector strokes -----------------------------------------------------------------------

def _clean_strokes(strokes):
    cleaned = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes if len(s)]
    cleaned = [s[np.all(np.isfinite(s), axis=1)] for s in cleaned]
    cleaned = [s for s in cleaned if len(s)]
    if not cleaned:
        raise EmptyDrawing("nothing drawn yet: draw a digit")
    return cleaned


def _decimate(points, min_step):
    """Drop points closer than min_step to the last kept one (the canvas sends one every 2 px;
    at the output resolution that is far denser than needed and rendering cost is per point)."""
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
        flat = [(float(x), float(y)) for x, y in points]
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
    geometry = _resolve(geometry, out_shape, box)
    strokes = _clean_strokes(strokes)
    k = SUPERSAMPLE if stages.antialias else 1
    points = np.concatenate(strokes)
    if stages.crop:
        low, high = points.min(axis=0), points.max(axis=0)
        extent = float(np.max(high - low))
        pen_out = geometry.stroke_width
        if not stages.thickness and extent > 0:   # the user's brush, scaled with the drawing
            pen_out = min(geometry.box - 1.0, (geometry.box - 1.0) * brush_width / (extent + brush_width))
        # pen included, the ink spans box - 1 output pixels: at most `box` pixels on any grid
        scale = (geometry.box - 1.0 - pen_out) / extent if extent > 0 else 1.0
        centre = (low + high) / 2.0
    else:
        canvas_w, canvas_h = canvas_size
        scale = geometry.box / max(canvas_w, canvas_h)
        centre = np.array([canvas_w / 2.0, canvas_h / 2.0])
        pen_out = geometry.stroke_width if stages.thickness else brush_width * scale
    rows, cols = (s + 2 * MARGIN for s in geometry.out_shape)
    field_centre = np.array([cols / 2.0, rows / 2.0]) * k

    def transform(p):
        return (p - centre) * (scale * k) + field_centre

    ink = render_strokes(strokes, (rows * k, cols * k), pen_out * k, transform)
    return _place(ink, k, geometry, stages)


# ----- bitmaps ------------------------------------------------------------------------------

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
    peak = float(np.percentile(gray, 99.9))
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


def estimate_stroke_width(ink):
    """Mean stroke width in pixels of an ink image: twice the mean distance to the background
    along the stroke's ridge (the local maxima of the distance transform)."""
    mask = ink > 0.5
    if not mask.any():
        return 0.0
    distance = ndimage.distance_transform_edt(mask)
    ridge = mask & (distance >= ndimage.maximum_filter(distance, size=3))
    return float(2.0 * np.mean(distance[ridge]) - 1.0)   # a 1-pixel line: ridge distance 1 -> width 1


def set_stroke_width(ink, width):
    """Thin or thicken the strokes of an ink image toward ``width`` pixels (signed distance
    field: coverage = clip(sdf - shift + 0.5)); the result is soft-edged."""
    current = estimate_stroke_width(ink)
    if current <= 0:
        return ink
    shift = (current - width) / 2.0   # > 0: erode, < 0: dilate
    shift = min(shift, 0.4 * current)   # never erode thin parts away entirely
    mask = ink > 0.5
    sdf = ndimage.distance_transform_edt(mask) - ndimage.distance_transform_edt(~mask)
    sdf = np.where(mask, sdf - 0.5, sdf + 0.5)   # distance to the boundary, in pixel units
    return np.clip(sdf - shift + 0.5, 0.0, 1.0).astype(np.float32)


def prepare_image(gray, out_shape=None, box=None, geometry=None, stages=FULL, polarity="auto"):
    """A bitmap (H, W) of any size and polarity -> (H_out, W_out) float32 image in [0, 1].
    Raises EmptyDrawing when there is no ink."""
    geometry = _resolve(geometry, out_shape, box)
    ink = ink_from_gray(gray, polarity)
    k = SUPERSAMPLE if stages.antialias else 1
    if not stages.crop:   # the whole image mapped onto the box, aspect kept
        ink, factor = _fit(ink, geometry.box * k)
        if stages.thickness:
            ink = _crop_to_ink(ink) if (ink > INK_THRESHOLD).any() else ink
            ink = _pad(set_stroke_width(ink, geometry.stroke_width * k), int(geometry.stroke_width * k) + 2)
    else:
        ink = _crop_to_ink(ink)
        working = (geometry.box - 1.0) * k
        ink, factor = _fit(_pad(ink, 2), working)
        if stages.thickness:
            ink = _pad(ink, int(geometry.stroke_width * k) + 2)
            ink = set_stroke_width(ink, geometry.stroke_width * k)
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
    return _place(field, k, geometry, stages)


def _pad(image, n):
    return np.pad(image, n) if n > 0 else image


# ----- shared: centring and downsampling -----------------------------------------------------

def _resolve(geometry, out_shape, box):
    if geometry is None:
        geometry = geometry_for(out_shape or (28, 28))
    if out_shape is not None and tuple(out_shape) != tuple(geometry.out_shape):
        geometry = geometry_for(out_shape)
    return replace(geometry, box=float(box)) if box else geometry


def _place(field, k, geometry, stages):
    """Crop the out_shape window from a rendered field (margins included, k x resolution) so the
    ink's centre (of mass, or of its bounding box) lands on geometry.target; area-downsample."""
    out_h, out_w = geometry.out_shape
    if not field.any():
        raise EmptyDrawing("the drawing has no visible ink")
    if stages.centre and geometry.centre == "mass":
        centre = np.array(ndimage.center_of_mass(field))
    else:
        rows = np.flatnonzero(field.max(axis=1) > 0)
        cols = np.flatnonzero(field.max(axis=0) > 0)
        centre = np.array([(rows[0] + rows[-1]) / 2.0, (cols[0] + cols[-1]) / 2.0])
    if not stages.crop and not stages.centre:   # leave the drawing where it was on the canvas
        centre = np.array(field.shape) / 2.0 - 0.5 - (np.array(geometry.target) - np.array(geometry.out_shape) / 2.0) * k
    # output index coordinate c <-> supersampled coordinate c * k + (k - 1) / 2
    target = np.array(geometry.target) * k + (k - 1) / 2.0
    top, left = (int(v) for v in np.round(centre - target))
    window = np.zeros((out_h * k, out_w * k), np.float32)
    src_top, src_left = max(top, 0), max(left, 0)
    src_bottom, src_right = min(top + out_h * k, field.shape[0]), min(left + out_w * k, field.shape[1])
    if src_bottom > src_top and src_right > src_left:
        window[src_top - top:src_bottom - top, src_left - left:src_right - left] = field[src_top:src_bottom, src_left:src_right]
    image = window.reshape(out_h, k, out_w, k).mean(axis=(1, 3)) if k > 1 else window
    return np.clip(image, 0.0, 1.0).astype(np.float32)


# ----- baseline and model input -----------------------------------------------------------------

def resize_only(gray, out_shape=(28, 28), polarity="auto"):
    """The naive baseline: the whole image resized to out_shape (area filter), polarity fixed,
    nothing else. What a first attempt usually does."""
    ink = ink_from_gray(gray, polarity)
    return np.clip(_resize(ink, int(out_shape[0]), int(out_shape[1])), 0.0, 1.0).astype(np.float32)


def model_input(image01, normalisation="zero_one"):
    """(H, W) image in [0, 1] -> (1, H * W) float32 row scaled like core.data.normalise.to_float."""
    x = np.asarray(image01, dtype=np.float32).reshape(1, -1)
    if normalisation == "zero_one":
        return x.copy()
    if normalisation == "minus_one_one":
        return x * np.float32(2.0) - np.float32(1.0)
    raise DigitLabError(f"unknown normalisation {normalisation!r} in the model file")


def predict(network, metadata, image01):
    """(probabilities (n_classes,) float, index of the top class) for one prepared image."""
    x = model_input(image01, metadata.get("normalisation", "zero_one"))
    if x.shape[1] != network.n_inputs:
        raise DigitLabError(f"the image has {x.shape[1]} pixels but the model takes {network.n_inputs} inputs")
    probabilities = np.asarray(network.predict_proba(x)[0], dtype=np.float64)
    return probabilities, int(np.argmax(probabilities))
