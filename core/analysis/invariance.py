"""How accuracy falls when the digits move or turn: the invariance curves.

A dense network sees each pixel as a separate input, so a digit moved a few pixels is, to it, a
new pattern; convolution shares its filters over positions and pooling forgives small moves, so a
CNN's curve stays flat for longer. These functions measure that on validation images.

Images are uint8 (n, H, W), 0 = background. Each transform works on the whole batch at once, in
pixel units, and the pixels that come in from outside the image are background (cval=0); only
then are the images normalised the way the model was trained (so 'minus_one_one' background is
-1, as in training).

  shift     whole pixels with order=0, which is exact (no blur): a shifted digit is the same
            digit, so any drop in accuracy is the network's, not the interpolation's.
  rotation  about the image centre, reshape=False (the image keeps its size), bilinear
            (order=1). Positive angles turn the digit counter-clockwise as seen on screen.

Fast path: with a zero background and order 0 or 1 each transform is linear in the pixels, so
it is a fixed (H*W, H*W) matrix with at most 4 non-zeros per row. ``transform_matrix`` builds it
with ndimage.rotate's own formulas (under a millisecond) and caches it; every batch and every
model then costs one sparse product. ``ndimage.rotate`` on a (n, H, W) batch loops over the n
images in Python (2,000 calls per angle): the 45 transforms of 2,000 images took 6-8 s that way
and 0.1-0.2 s as sparse products (bench/bench_invariance.py, on a busy machine).
``shift_images`` / ``rotate_images`` call ndimage: they are the references the tests compare
the fast path against.

Shifts are measured horizontally (dx, + = right) and vertically (dy, + = down) separately:
MNIST digits are taller than wide, so the two directions need not cost the same, and a diagonal
shift of s pixels would really move the digit s * sqrt(2) pixels.
"""
import functools
from dataclasses import dataclass

import numpy as np
from scipy import ndimage, sparse, special

from core.data.normalise import to_float
from core.data.splits import stratified_split
from core.errors import DigitLabError
from core.evaluation.evaluate import task_labels

DEFAULT_SHIFTS = np.arange(-6, 7)            # pixels, for 28x28 images
DEFAULT_ANGLES = np.arange(-45, 46, 5)       # degrees
SUBSET_SIZE = 2000                           # validation images per curve point: quick, and the
                                             # accuracy's standard error stays below 1 point
SHIFT_DIRECTIONS = ("horizontal", "vertical")


class InvarianceError(DigitLabError):
    """The model cannot be measured on these images (other input size, no images)."""


class Cancelled(Exception):
    """The caller asked to stop (``cancelled()`` returned True between two curve points)."""


@dataclass
class InvarianceCurves:
    """Accuracies in [0, 1] of one model. shifts (n_shifts,) px with horizontal and vertical
    (n_shifts,); angles (n_angles,) degrees with rotation (n_angles,); n_images used."""
    shifts: np.ndarray
    horizontal: np.ndarray
    vertical: np.ndarray
    angles: np.ndarray
    rotation: np.ndarray
    n_images: int


def default_shifts(image_shape):
    """-6..6 px for 28x28 images; for other sizes the same fraction of the image (8x8 -> -2..2)."""
    limit = max(1, int(round(6 * min(image_shape) / 28)))
    return np.arange(-limit, limit + 1)


def fixed_subset(labels, size=SUBSET_SIZE, seed=0):
    """Sorted indices (about ``size``,) of a stratified, seeded subset of ``labels`` (n,):
    the same images every time, each class in its share. All indices when n <= size."""
    labels = np.asarray(labels).astype(np.int64)
    if len(labels) <= size:
        return np.arange(len(labels))
    _, chosen = stratified_split(labels, size / len(labels), seed, n_classes=int(labels.max()) + 1)
    return np.sort(chosen)


def check_fits(network, image_shape, name="this model"):
    """InvarianceError unless the network takes images of image_shape (H, W) as its input."""
    height, width = (int(s) for s in image_shape)
    n_inputs = getattr(network, "n_inputs", None)
    if n_inputs is not None and int(n_inputs) != height * width:
        side = int(round(np.sqrt(n_inputs)))
        took = f"{side}x{side} images" if side * side == n_inputs else f"{n_inputs} inputs"
        raise InvarianceError(f"{name} takes {took} ({n_inputs} pixels), but the validation images are "
                              f"{height}x{width} ({height * width} pixels): load the data it was trained on")


def _check_images(images, labels):
    images = np.asarray(images)
    if images.ndim != 3:
        raise InvarianceError(f"expected images of shape (n, H, W), got {images.shape}")
    if len(images) == 0 or len(images) != len(labels):
        raise InvarianceError(f"need some images and one label each (got {len(images)} images, {len(labels)} labels)")
    return images


def shift_images(images, dx, dy):
    """Reference: images (n, H, W) moved dx px right and dy px down (whole pixels), as float32
    pixels; background fills in."""
    return ndimage.shift(np.asarray(images, np.float32), (0, dy, dx), order=0, mode="constant", cval=0.0)


def rotate_images(images, angle):
    """Reference: images (n, H, W) turned ``angle`` degrees counter-clockwise about their centre,
    float32. 'grid-constant': samples near the edge are interpolated with the background outside
    (ndimage's 'constant' would drop them to 0 instead of blending)."""
    return ndimage.rotate(np.asarray(images, np.float32), angle, axes=(1, 2), reshape=False, order=1,
                          mode="grid-constant", cval=0.0)


@functools.lru_cache(maxsize=256)
def transform_matrix(image_shape, dx=0, dy=0, angle=0.0):
    """CSR matrix M (H*W, H*W), float32, with M @ image.ravel() == the image shifted by (dx, dy)
    whole px and then turned ``angle`` degrees (rotate_images(shift_images(image))).

    Each output pixel p reads the input bilinearly at R p + offset - (dy, dx) (one of the two
    is the identity or zero; both: the product of the two matrices), with ndimage.rotate's
    R = [[cos, sin], [-sin, cos]] and offset = centre - R centre; neighbours outside the image
    are background and are left out (at most 4 non-zeros per row; one for a pure shift).
    """
    if (dx or dy) and angle:   # pixels shifted out of the frame are lost before the turn
        return (transform_matrix(image_shape, 0, 0, angle) @ transform_matrix(image_shape, dx, dy, 0.0)).tocsr()
    height, width = image_shape
    cos, sin = special.cosdg(angle), special.sindg(angle)   # exact at multiples of 90, as ndimage
    rotation = np.array([[cos, sin], [-sin, cos]])
    centre = (np.array([height, width]) - 1) / 2.0
    offset = centre - rotation @ centre - np.array([dy, dx])
    rows, cols = np.mgrid[0:height, 0:width]
    source = rotation @ np.stack([rows.ravel(), cols.ravel()]).astype(np.float64) + offset[:, None]
    source = np.where(np.abs(source - np.round(source)) < 1e-9, np.round(source), source)   # exact grid points
    row0, col0 = np.floor(source).astype(np.int64)
    row_frac, col_frac = source[0] - row0, source[1] - col0
    weights, out_index, in_index = [], [], []
    for d_row, d_col, weight in ((0, 0, (1 - row_frac) * (1 - col_frac)), (0, 1, (1 - row_frac) * col_frac),
                                 (1, 0, row_frac * (1 - col_frac)), (1, 1, row_frac * col_frac)):
        row, col = row0 + d_row, col0 + d_col
        inside = (row >= 0) & (row < height) & (col >= 0) & (col < width) & (weight > 0)
        weights.append(weight[inside])
        out_index.append(np.flatnonzero(inside))
        in_index.append((row * width + col)[inside])
    return sparse.csr_matrix((np.concatenate(weights).astype(np.float32),
                              (np.concatenate(out_index), np.concatenate(in_index))),
                             shape=(height * width, height * width))


def pixel_columns(images):
    """images (n, H, W) -> (H * W, n) float32, the layout the sparse product reads fastest."""
    return np.ascontiguousarray(np.asarray(images).reshape(len(images), -1).T, dtype=np.float32)


def transformed(images, dx=0, dy=0, angle=0.0, columns=None):
    """images (n, H, W) shifted by (dx, dy) whole px and turned ``angle`` degrees: (n, H * W)
    float32 pixels, by one sparse product. ``columns``: pixel_columns(images), when the caller
    transforms the same images many times."""
    images = np.asarray(images)
    n, height, width = images.shape
    matrix = transform_matrix((height, width), int(dx), int(dy), float(angle))
    return (matrix @ (pixel_columns(images) if columns is None else columns)).T   # a view, no copy


def accuracy_of(network, pixels, labels, normalisation="zero_one"):
    """Fraction of images the network labels as ``labels`` (n,); pixels (n, H, W) or (n, H * W),
    uint8 or 0..255 floats, are normalised as the model was trained."""
    inputs = to_float(pixels, normalisation, getattr(network, "dtype", np.float32))
    return float(np.mean(network.predict(inputs) == np.asarray(labels)))


def _curve(network, images, labels, normalisation, values, transform, step):
    """transform(images, value, columns) -> pixels (n, H * W), for each value: accuracies."""
    columns = pixel_columns(images)
    accuracies = np.empty(len(values))
    for i, value in enumerate(values):
        accuracies[i] = accuracy_of(network, transform(images, value, columns), labels, normalisation)
        step()
    return accuracies


def accuracy_vs_shift(network, images, labels, shifts=DEFAULT_SHIFTS, normalisation="zero_one",
                      direction="horizontal", step=lambda: None):
    """Accuracies (len(shifts),) of ``network`` on images (n, H, W) uint8 with task labels (n,)
    shifted by each of ``shifts`` px horizontally (+ = right) or vertically (+ = down).
    ``step()`` is called after each point (progress, cancellation)."""
    images = _check_images(images, labels)
    check_fits(network, images.shape[1:])
    if direction not in SHIFT_DIRECTIONS:
        raise ValueError(f"direction must be one of {', '.join(SHIFT_DIRECTIONS)}, not {direction!r}")
    if direction == "horizontal":
        move = lambda x, s, columns: transformed(x, dx=s, columns=columns)   # noqa: E731
    else:
        move = lambda x, s, columns: transformed(x, dy=s, columns=columns)   # noqa: E731
    return _curve(network, images, labels, normalisation, shifts, move, step)


def accuracy_vs_rotation(network, images, labels, angles=DEFAULT_ANGLES, normalisation="zero_one",
                         step=lambda: None):
    """Accuracies (len(angles),) of ``network`` on images (n, H, W) uint8 with task labels (n,)
    rotated by each of ``angles`` degrees (+ = counter-clockwise)."""
    images = _check_images(images, labels)
    check_fits(network, images.shape[1:])
    turn = lambda x, a, columns: transformed(x, angle=a, columns=columns)   # noqa: E731
    return _curve(network, images, labels, normalisation, angles, turn, step)


def invariance_curves(network, images, labels, normalisation="zero_one", shifts=None, angles=DEFAULT_ANGLES,
                      progress=None, cancelled=None):
    """Every curve of one model: InvarianceCurves. progress(done, total) after each point;
    Cancelled is raised between points once cancelled() is True."""
    images = _check_images(images, labels)
    check_fits(network, images.shape[1:])
    shifts = default_shifts(images.shape[1:]) if shifts is None else np.asarray(shifts)
    angles = np.asarray(angles)
    total, done = 2 * len(shifts) + len(angles), [0]

    def step():
        done[0] += 1
        if progress is not None:
            progress(done[0], total)
        if cancelled is not None and cancelled():
            raise Cancelled()

    horizontal = accuracy_vs_shift(network, images, labels, shifts, normalisation, "horizontal", step)
    vertical = accuracy_vs_shift(network, images, labels, shifts, normalisation, "vertical", step)
    rotation = accuracy_vs_rotation(network, images, labels, angles, normalisation, step)
    return InvarianceCurves(shifts, horizontal, vertical, angles, rotation, len(images))


def curves_for_model(network, metadata, images, digit_labels, name="this model", **options):
    """invariance_curves of a model with its metadata (input_shape, normalisation,
    positive_class) on images (n, H, W) uint8 with the dataset's digit labels (n,)."""
    images = np.asarray(images)
    shape = tuple(int(s) for s in metadata.get("input_shape", images.shape[1:]))
    if len(shape) == 2 and shape != tuple(images.shape[1:]):
        raise InvarianceError(f"{name} was trained on {shape[0]}x{shape[1]} images, but the validation images "
                              f"are {images.shape[1]}x{images.shape[2]}: load the data it was trained on")
    check_fits(network, images.shape[1:], name)
    labels = task_labels(digit_labels, int(metadata.get("positive_class", -1)))
    return invariance_curves(network, images, labels, metadata.get("normalisation", "zero_one"), **options)
