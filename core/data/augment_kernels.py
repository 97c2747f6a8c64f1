"""The array work of core.data.augment, vectorised over the batch: elastic fields, source
coordinates, bilinear resampling and stroke thickness. core.data.augment_reference has the
readable scipy.ndimage versions; the tests hold these to them.

Every kernel takes an optional ``scratch`` (a Scratch) for its work arrays. Why: a batch of 64
float32 28x28 images is 200 KB, above glibc's mmap threshold, so each temporary of that size is a
fresh mmap, page faults on first touch and a munmap when freed. With about 30 such temporaries
per batch that was 40% of the augmentation's time (measured: 2.7 -> 1.6 ms per batch of 64 with
the allocator told to keep the memory, MALLOC_MMAP_THRESHOLD_), and page faults from two threads
of one process also queue on the kernel's memory-map lock, which hurts the background
prefetching (core.training.prefetch) most. A Scratch keeps the buffers from batch to batch.
Measured on our busy 2-core machine, the `canvas` preset's augmentation of a batch of 64, CPU
time, best of 9 runs: 2.7 ms with new arrays everywhere, 1.8 ms with a Scratch, 1.35 ms with the
flat thickness passes and the float32 flat index below (bench/bench_augment.py part 2 measures
the same thing in images/s).
Without one (the default) every kernel returns new arrays, as plain NumPy code would; the
arithmetic is the same either way, so the results are bit for bit equal.
"""
import functools
import math

import numpy as np
from scipy import ndimage


class Scratch:
    """Work buffers by name, reused from call to call (grown when a larger batch comes).

    Not thread-safe: one per Augmenter, which one thread uses at a time. An array from
    ``empty`` is valid until the next ``empty`` of the same name.
    """

    def __init__(self):
        self._buffers = {}

    def empty(self, name, shape, dtype=np.float32):
        size = math.prod(shape)
        buffer = self._buffers.get(name)
        if buffer is None or buffer.size < size or buffer.dtype != dtype:
            buffer = self._buffers[name] = np.empty(size, dtype)
        return buffer[:size].reshape(shape)


class NoScratch:
    """New arrays every time (the default: callers that keep the results)."""

    @staticmethod
    def empty(name, shape, dtype=np.float32):
        return np.empty(shape, dtype)


NO_SCRATCH = NoScratch()


@functools.lru_cache(maxsize=16)
def gaussian_matrix(size, sigma):
    """(size, size) float32 matrix G with G @ v = ndimage.gaussian_filter1d(v, sigma, mode='constant')
    (cached, read-only)."""
    matrix = ndimage.gaussian_filter1d(np.eye(size, dtype=np.float64), sigma, axis=0, mode="constant")
    matrix = matrix.astype(np.float32)
    matrix.setflags(write=False)
    return matrix


def smooth_fields(fields, sigma, scale=1.0):
    """(..., H, W) fields -> Gaussian-smoothed fields (zero outside), the same as
    ndimage.gaussian_filter(fields, sigma=(0, ..., sigma, sigma), mode='constant') but as two
    small matrix products over the whole batch: about 20 times faster for 28x28 fields, where
    a sigma-4 kernel (33 taps) is wider than the image. ``scale`` multiplies the result (free:
    it goes into the small matrix)."""
    h, w = fields.shape[-2:]
    rows, cols = gaussian_matrix(h, float(sigma)), gaussian_matrix(w, float(sigma)) * np.float32(scale)
    across = (fields.reshape(-1, w) @ cols.T).reshape(-1, h, w)     # one GEMM smooths every row
    down = np.tensordot(rows, across, axes=(1, 1))                  # (H, N, W): one GEMM for the columns
    return down.transpose(1, 0, 2).reshape(fields.shape)


@functools.lru_cache(maxsize=16)
def smoothed_ones(h, w, sigma, alpha):
    """(H, W) float32 alpha * the smoothed field of ones (what the -1 of 2u - 1 becomes); cached, read-only."""
    field = smooth_fields(np.ones((1, 1, h, w), np.float32), sigma, scale=alpha)[0, 0]
    field.setflags(write=False)
    return field


def elastic_fields(rng, n, image_shape, sigma, alpha, scratch=NO_SCRATCH):
    """(n, 2, H, W) float32 displacement fields: alpha * Gaussian-smoothed (sigma, zero outside)
    fields of uniform noise in [-1, 1], as in Simard et al. (2003).

    Fast path of ``alpha * smooth_fields(2 * u - 1, sigma)``: the noise is iid, so it is drawn
    directly in the (H, n * 2, W) layout where both smoothing passes are single GEMMs without a
    transpose copy, and the affine map u -> alpha (2u - 1) is folded into the small matrices.
    The result is a strided view in (n, 2, H, W) order.
    """
    h, w = image_shape
    rows = gaussian_matrix(h, float(sigma))
    cols = gaussian_matrix(w, float(sigma)) * np.float32(2.0 * alpha)
    uniform = rng.random((h, n * 2 * w), dtype=np.float32, out=scratch.empty("uniform", (h, n * 2 * w)))
    down = np.matmul(rows, uniform, out=scratch.empty("down", (h, n * 2 * w)))         # columns smoothed
    both = np.matmul(down.reshape(h * n * 2, w), cols.T, out=scratch.empty("both", (h * n * 2, w)))
    both = both.reshape(h, n, 2, w)                                           # rows smoothed, scaled by 2 alpha
    both -= smoothed_ones(h, w, float(sigma), float(alpha))[:, None, None, :]
    return both.transpose(1, 2, 0, 3)


def source_coordinates(params, image_shape, scratch=NO_SCRATCH):
    """(rows, cols), each (n, H, W) float32: where each output pixel reads its input, i.e. the
    inverse affine map of its position about the image centre plus the elastic displacement.
    params: an AugmentParams (core.data.augment)."""
    h, w = image_shape
    n = len(params.matrix)
    centre_r, centre_c = (h - 1) / 2.0, (w - 1) / 2.0
    inverse = np.linalg.inv(params.matrix).astype(np.float32)                       # (n, 2, 2)
    grid_r = (np.arange(h, dtype=np.float32) - np.float32(centre_r))[None, :, None]  # (1, H, 1)
    grid_c = (np.arange(w, dtype=np.float32) - np.float32(centre_c))[None, None, :]  # (1, 1, W)
    shift = params.shift.astype(np.float32)
    rel_r = grid_r - shift[:, 0, None, None]                                          # (n, H, 1)
    rel_c = grid_c - shift[:, 1, None, None]                                          # (n, 1, W)
    rows = np.add(inverse[:, 0, 0, None, None] * rel_r, inverse[:, 0, 1, None, None] * rel_c,
                  out=scratch.empty("rows", (n, h, w)))
    rows += np.float32(centre_r)
    cols = np.add(inverse[:, 1, 0, None, None] * rel_r, inverse[:, 1, 1, None, None] * rel_c,
                  out=scratch.empty("cols", (n, h, w)))
    cols += np.float32(centre_c)
    if params.displacement is not None:
        rows += params.displacement[:, 0]
        cols += params.displacement[:, 1]
    return rows, cols


def bilinear_sample(images, rows, cols, scratch=NO_SCRATCH):
    """(n, H, W) float32 images read at (n, H, W) source coordinates, bilinear, zero outside:
    the same as one ndimage.map_coordinates(images, [index, rows, cols], order=1,
    mode='grid-constant') over the batch (``resample_reference``), about five times faster
    because it is four flat gathers instead of a general spline evaluation per point."""
    n, h, w = images.shape
    stride = w + 3
    # one zero row/column before and two after each image: every clipped corner is inside
    padded = scratch.empty("padded", (n, h + 3, stride))
    padded.fill(0.0)
    padded[:, 1:h + 1, 1:w + 1] = images
    shape = rows.shape
    r = np.add(rows, np.float32(1.0), out=scratch.empty("r", shape))   # padded coordinates, clipped
    np.clip(r, 0.0, h + 1.0, out=r)                                    # into the zero border
    c = np.add(cols, np.float32(1.0), out=scratch.empty("c", shape))
    np.clip(c, 0.0, w + 1.0, out=c)
    top, left = np.floor(r, out=scratch.empty("top", shape)), np.floor(c, out=scratch.empty("left", shape))
    r -= top                                   # now the fractions (weights of the lower/right pixels)
    c -= left
    # the flat index: top * stride + left within an image in float32 (exact: whole numbers below
    # 2**24), one cast to intp (the index type take() uses without converting a copy), then each
    # image's offset (in intp: a batch of thousands of images passes 2**24)
    top *= np.float32(stride)
    top += left
    index = scratch.empty("index", shape, np.intp)
    np.copyto(index, top, casting="unsafe")
    index += (np.arange(n, dtype=np.intp) * ((h + 3) * stride))[:, None, None]
    flat = padded.reshape(-1)
    # the four neighbours: the same index into views shifted by 1, a row, and a row + 1 (all in
    # range, so mode="clip" changes nothing; it lets take() write into ``out`` without a copy)
    upper = flat.take(index, out=scratch.empty("upper", shape), mode="clip")
    upper_right = flat[1:].take(index, out=scratch.empty("upper_right", shape), mode="clip")
    lower = flat[stride:].take(index, out=scratch.empty("lower", shape), mode="clip")
    lower_right = flat[stride + 1:].take(index, out=scratch.empty("lower_right", shape), mode="clip")
    upper_right -= upper                       # in place: upper += c * (upper_right - upper)
    upper_right *= c
    upper += upper_right
    lower_right -= lower
    lower_right *= c
    lower += lower_right
    lower -= upper                             # upper += r * (lower - upper)
    lower *= r
    upper += lower
    return upper


def cross_extremes(images, scratch=NO_SCRATCH):
    """(dilated, eroded): max and min over each pixel's 3x3 cross, edges repeated, of (n, H, W)
    images (any dtype); the same as ndimage.grey_dilation / grey_erosion with a cross footprint
    (``change_thickness_reference``). Strided (n, H, W) views of scratch buffers.

    Why flat: on the images padded by one repeated pixel, every pixel's cross is the same five
    offsets (0, +-1, +-row) into the flat buffer, so each max/min is one contiguous 1-D pass over
    the whole batch instead of a loop over 64 x 28 short rows; border results are computed and
    never read."""
    n, h, w = images.shape
    padded = scratch.empty("edge_padded", (n, h + 2, w + 2), images.dtype)
    padded[:, 1:-1, 1:-1] = images
    padded[:, 0, 1:-1] = images[:, 0]
    padded[:, -1, 1:-1] = images[:, -1]
    padded[:, :, 0] = padded[:, :, 1]
    padded[:, :, -1] = padded[:, :, -2]
    flat, row = padded.reshape(-1), w + 2
    start, stop = row, flat.size - row            # every interior pixel lies in here
    results = []
    for name, reduce in (("dilated", np.maximum), ("eroded", np.minimum)):
        out = scratch.empty(name, padded.shape, images.dtype)
        part = out.reshape(-1)[start:stop]
        reduce(flat[start - 1:stop - 1], flat[start + 1:stop + 1], out=part)
        reduce(part, flat[start:stop], out=part)
        reduce(part, flat[start - row:stop - row], out=part)
        reduce(part, flat[start + row:stop + row], out=part)
        results.append(out[:, 1:-1, 1:-1])
    return tuple(results)


def change_thickness(images, amounts, scratch=NO_SCRATCH):
    """(n, H, W) uint8 or float32 images, (n,) amounts in [-1, 1] -> float32 images with thicker
    (> 0) or thinner (< 0) strokes: a blend toward one grey dilation / erosion with a 3x3 cross
    (one pixel per side)."""
    # max/min commute with the conversion to float: on uint8 input they move a quarter of the bytes
    dilated, eroded = cross_extremes(images, scratch)
    weight = np.abs(amounts).astype(np.float32)[:, None, None]
    base = scratch.empty("base", images.shape)
    np.copyto(base, images)
    step = scratch.empty("step", images.shape)     # the target: dilated where thicker, else eroded
    np.copyto(step, dilated)
    np.copyto(step, eroded, where=(amounts <= 0)[:, None, None])
    step -= base                                   # base + weight * (target - base)
    step *= weight
    base += step
    return base
