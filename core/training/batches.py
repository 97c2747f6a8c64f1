"""The per-batch data path of mini-batch training: from row indices to network inputs, targets
and labels, in buffers reused from batch to batch.

Measured with bench/bench_batch_path.py on our busy 2-core machine (784 inputs, batch 128,
full MNIST in random order): gathering the uint8 rows with ``np.take(..., mode="clip",
out=...)`` and converting them in place took 39-57 us per batch, 1.15-1.35x faster than the
earlier ``images[indices]`` (a new array per batch) with numpy's mixed-type multiply, and
faster too than gathering rows of the whole training set converted to float32 once (four times
the bytes to fetch from random rows, and 188 MB more memory). So images stay uint8 until they
are a batch. ``mode="clip"`` matters: with the default mode="raise" numpy gathers into a
temporary and copies it into ``out``; the indices come from a permutation or from
``rng.integers(0, n)``, so they are always in range.

``reference_batch`` is the same thing written plainly; tests compare the two.
"""
import numpy as np

from core.data.normalise import convert_into, normalisation_constants, to_float
from core.training.prefetch import BatchPrefetcher


class TrainingBatches:
    """Gathers training batches into buffers that live as long as the run.

    images: (n_train, n_inputs) uint8; labels: (n_train,) int64 class indices;
    targets: (n_train, n_outputs) floats, the loss's target rows (one-hot, or 0/1 for one
    sigmoid unit) made once per run. ``gather`` returns views of the buffers, valid until the
    next call. ``augment`` (optional): (uint8 images (n, H, W), labels (n,)) -> augmented uint8
    images of the same shape (core.data.augment), applied to each batch before it becomes float;
    image_shape (H, W).

    prefetch=True (with ``augment``): the augmented batches are prepared ahead in a background
    thread (core.training.prefetch), the same batches with the same random draws as inline. The
    loop then announces each epoch's batches with ``plan_epoch`` before gathering them, and calls
    ``close()`` when the run ends (both do nothing without prefetching).
    """

    def __init__(self, images, labels, targets, normalisation, dtype, batch_size, augment=None, image_shape=None,
                 prefetch=False):
        self.images, self.labels, self.targets = images, labels, targets
        self.augment, self.image_shape = augment, image_shape
        self.batch_size = batch_size
        self._prefetcher = BatchPrefetcher(self._augmented_pixels) if prefetch and augment is not None else None
        self.normalisation = normalisation
        scale, offset = normalisation_constants(normalisation)
        self._scale, self._offset = np.dtype(dtype).type(scale), np.dtype(dtype).type(offset)
        n_inputs = images.shape[1]
        self._pixels = np.empty((batch_size, n_inputs), images.dtype)
        self._inputs = np.empty((batch_size, n_inputs), dtype)
        self._targets = np.empty((batch_size, targets.shape[1]), targets.dtype)
        self._labels = np.empty(batch_size, labels.dtype)
        self._predicted = np.empty(batch_size, np.intp)
        self._hits = np.empty(batch_size, bool)

    def gather(self, indices):
        """(inputs (n, n_inputs) floats, targets (n, n_outputs), labels (n,)) for the rows
        ``indices`` (n,) with n <= batch_size."""
        n = len(indices)
        labels = np.take(self.labels, indices, out=self._labels[:n], mode="clip")
        if self._prefetcher is not None:
            pixels = self._prefetcher.take(indices)
        else:
            pixels = np.take(self.images, indices, axis=0, out=self._pixels[:n], mode="clip")
            if self.augment is not None:
                pixels = self.augment(pixels.reshape(n, *self.image_shape), labels).reshape(n, -1)
        inputs = self.to_inputs(pixels, self._inputs[:n])
        targets = np.take(self.targets, indices, axis=0, out=self._targets[:n], mode="clip")
        return inputs, targets, labels

    def plan_epoch(self, order, batches):
        """The loop will gather order[b * batch_size:(b + 1) * batch_size] for b < batches, in that
        order: the prefetcher starts preparing them."""
        if self._prefetcher is not None:
            size = self.batch_size
            self._prefetcher.plan(order[b * size:(b + 1) * size] for b in range(batches))

    def close(self):
        """End the prefetching thread, if any (the run is over or abandoned)."""
        if self._prefetcher is not None:
            self._prefetcher.close()

    def _augmented_pixels(self, indices):
        """(n, n_inputs) augmented uint8 rows ``indices``, in new arrays (the producer thread's)."""
        n = len(indices)
        pixels = np.take(self.images, indices, axis=0, mode="clip")
        labels = np.take(self.labels, indices, mode="clip")
        return self.augment(pixels.reshape(n, *self.image_shape), labels).reshape(n, -1)

    def to_inputs(self, pixels, out):
        """The one place where a uint8 batch (n, n_inputs) becomes the network's float input
        ``out`` (n, n_inputs). Augmentation (shifts, rotations of the uint8 images) belongs just
        before this call, on ``pixels``. (to_float's arithmetic, without its per-call checks.)"""
        return convert_into(pixels, out, self._scale, self._offset)

    def count_correct(self, output, labels):
        """How many rows of the network output (n, n_outputs) predict ``labels`` (n,), without
        allocating: argmax (or the 0.5 threshold of one sigmoid unit) into reused buffers."""
        n = len(labels)
        hits = self._hits[:n]
        if output.shape[1] == 1:
            np.greater_equal(output[:, 0], 0.5, out=hits)
            np.equal(hits, labels, out=hits)
        else:
            # the method, not np.argmax: the function's dispatch costs ~3 us a call here
            predicted = output.argmax(axis=1, out=self._predicted[:n])
            np.equal(predicted, labels, out=hits)
        return int(np.count_nonzero(hits))


class ReferenceBatches:
    """TrainingBatches written plainly (new arrays every batch); Trainer.reference_path uses it."""

    def __init__(self, images, labels, targets, normalisation, dtype, batch_size, augment=None, image_shape=None):
        self.images, self.labels, self.targets = images, labels, targets
        self.normalisation, self.dtype = normalisation, dtype
        self.augment, self.image_shape = augment, image_shape

    def gather(self, indices):
        if self.augment is None:
            return reference_batch(self.images, self.labels, self.targets, indices, self.normalisation, self.dtype)
        pixels = self.augment(self.images[indices].reshape(len(indices), *self.image_shape), self.labels[indices])
        return (to_float(pixels.reshape(len(indices), -1), self.normalisation, self.dtype),
                self.targets[indices], self.labels[indices])

    def plan_epoch(self, order, batches):
        """Nothing to do: the plain path augments inline."""

    def close(self):
        """Nothing to close."""

    def count_correct(self, output, labels):
        return reference_count_correct(output, labels)


def reference_batch(images, labels, targets, indices, normalisation, dtype):
    """The plain version of TrainingBatches.gather: (inputs, targets, labels) as new arrays."""
    return to_float(images[indices], normalisation, dtype), targets[indices], labels[indices]


def reference_count_correct(output, labels):
    """The plain version of TrainingBatches.count_correct."""
    if output.shape[1] == 1:
        predicted = (output[:, 0] >= 0.5).astype(np.int64)
    else:
        predicted = np.argmax(output, axis=1)
    return int(np.sum(predicted == labels))
