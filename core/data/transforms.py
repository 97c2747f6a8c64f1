"""Dataset transforms: smaller copies for quick runs, and area-averaged resizing (20x20 for the
ex4 preset). Images stay uint8 (n, H, W).

``resize_to`` is the one way training images change size: the training set (``downscale``), the
test set tracked during training and the gradient-speed batch all go through it, so they are
resized identically.
"""
from __future__ import annotations

from dataclasses import replace

import numpy as np

from core.data.dataset import Dataset
from core.errors import ConfigError

_RESIZE_CHUNK = 5000  # images per block in area_resize


def subsample(dataset: Dataset, n_train: int | None = None, n_test: int | None = None, seed: int = 0) -> Dataset:
    """A smaller copy for quick runs and tests: n_train / n_test images chosen by a seeded permutation.

    None keeps the whole split; a count larger than the split keeps all of it (so a quick-run
    preset still works on the small built-in digits). A random choice keeps the class balance
    roughly; the chosen images stay in their original order.
    """
    rng = np.random.default_rng(seed)

    def pick(count: int | None, n_available: int, what: str) -> np.ndarray:
        if count is None or count >= n_available:
            return np.arange(n_available)
        if isinstance(count, bool) or not isinstance(count, (int, np.integer)) or count < 1:
            raise ConfigError(f"{what} must be a whole number of at least 1, got {count!r}")
        return np.sort(rng.permutation(n_available)[:count])

    train_idx = pick(n_train, len(dataset.train_labels), "n_train")
    test_idx = pick(n_test, len(dataset.test_labels), "n_test")
    return replace(
        dataset,
        train_images=dataset.train_images[train_idx],
        train_labels=dataset.train_labels[train_idx],
        test_images=dataset.test_images[test_idx],
        test_labels=dataset.test_labels[test_idx],
        class_names=list(dataset.class_names),
    )


def area_resize(images: np.ndarray, size: tuple[int, int]) -> np.ndarray:
    """Resize (n, H, W) or (H, W) uint8 images to ``size`` = (h, w) by exact area averaging.

    Each output pixel is the mean of the input area it covers (fractional pixels weighted by
    overlap), so thin strokes keep their ink when shrinking 28 -> 20, which a bilinear zoom
    would partly skip. Returns uint8 of shape (n, h, w) or (h, w). Use the same function for
    the drawing canvas so training and drawing see identical resizing.
    """
    images = np.asarray(images)
    out_h, out_w = size
    if out_h < 1 or out_w < 1:
        raise ConfigError(f"image size must be at least 1x1, got {size}")
    rows = _area_weights(images.shape[-2], out_h)  # (h, H)
    cols = _area_weights(images.shape[-1], out_w)  # (w, W)
    if images.ndim == 2:
        return _to_uint8(rows @ images.astype(np.float32) @ cols.T)
    resized = np.empty((len(images), out_h, out_w), dtype=np.uint8)
    # In chunks: a float32 copy of all 60,000 MNIST images at once would take ~190 MB.
    for start in range(0, len(images), _RESIZE_CHUNK):
        chunk = images[start:start + _RESIZE_CHUNK].astype(np.float32)
        resized[start:start + _RESIZE_CHUNK] = _to_uint8(rows @ chunk @ cols.T)
    return resized


def resize_to(images: np.ndarray, size) -> np.ndarray:
    """images (n, H, W) or (H, W) uint8 at ``size`` (h, w): area_resize when the size differs,
    the same array when it already matches or when size is empty / None (keep the data's own)."""
    images = np.asarray(images)
    if not size or tuple(images.shape[-2:]) == tuple(size):
        return images
    return area_resize(images, tuple(size))


def _to_uint8(values: np.ndarray) -> np.ndarray:
    return np.rint(values).clip(0, 255).astype(np.uint8)


def _area_weights(n_in: int, n_out: int) -> np.ndarray:
    """(n_out, n_in) matrix: row i holds the overlap of output cell i with each input pixel, rows sum to 1."""
    edges = np.linspace(0.0, n_in, n_out + 1)  # output cell boundaries in input-pixel units
    pixel_starts = np.arange(n_in)
    overlap = np.minimum(edges[1:, None], pixel_starts + 1) - np.maximum(edges[:-1, None], pixel_starts)
    weights = np.clip(overlap, 0.0, None)
    return (weights / weights.sum(axis=1, keepdims=True)).astype(np.float32)


def downscale(dataset: Dataset, size: tuple[int, int] = (20, 20)) -> Dataset:
    """A copy of ``dataset`` with every image area-resized to ``size`` (for the 20x20 tutorial preset);
    the same object when size is empty or already the dataset's, so calling it twice is harmless."""
    if not size or tuple(dataset.image_shape) == tuple(size):
        return dataset
    return replace(
        dataset,
        name=f"{dataset.name}-{size[0]}x{size[1]}",
        train_images=resize_to(dataset.train_images, size),
        test_images=resize_to(dataset.test_images, size),
        class_names=list(dataset.class_names),
        source=f"{dataset.source}, resized to {size[0]}x{size[1]}",
    )
