"""Hold out part of the training set for validation, reproducibly."""

from __future__ import annotations

import numpy as np

from core.errors import ConfigError


def validation_count(n: int, val: float | int) -> int:
    """How many of ``n`` samples go to validation: ``val`` is a fraction (float in [0, 1))
    or an absolute count (int in [0, n), or a whole float above 1 such as 10000.0).
    At least one sample always stays for training.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ConfigError(f"cannot split {n!r} samples: need a whole number of at least 1")
    if isinstance(val, bool):
        raise ConfigError(f"validation size must be a fraction or a count, got {val!r}")
    if isinstance(val, (int, np.integer)):
        if not 0 <= val < n:
            raise ConfigError(
                f"validation count {val} must be between 0 and {n - 1} (the training set has {n} samples)"
            )
        return int(val)
    if isinstance(val, (float, np.floating)):
        if val > 1.0 and float(val).is_integer():
            # Settings typed as float (TrainConfig.val_split, argparse type=float) turn 10000 into 10000.0.
            return validation_count(n, int(val))
        if not 0.0 <= val < 1.0:  # also rejects NaN
            raise ConfigError(
                f"validation fraction {val} must be in [0, 1); pass a whole number (e.g. 10000) for a count"
            )
        n_val = int(round(float(val) * n))
        if n_val >= n:
            raise ConfigError(f"validation fraction {val} of {n} samples leaves nothing to train on")
        return n_val
    raise ConfigError(f"validation size must be a fraction or a count, got {val!r}")


def train_val_split(n: int, val: float | int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Split indices 0..n-1 into (train_idx, val_idx) by a seeded random permutation.

    Returns two sorted int64 index arrays, shapes (n - n_val,) and (n_val,), disjoint and
    together covering 0..n-1. Sorted because indexing in order is faster and the trainer
    shuffles each epoch anyway. The same (n, val, seed) always gives the same split.
    """
    n_val = validation_count(n, val)
    permutation = np.random.default_rng(seed).permutation(int(n))
    val_idx = np.sort(permutation[:n_val])
    train_idx = np.sort(permutation[n_val:])
    return train_idx, val_idx


def limit_training(train_idx, n_examples: int, seed: int):
    """The training indices to use when only ``n_examples`` are wanted (0: all of them).

    train_idx: (n_train,) sorted indices. Returns (min(n_examples, n_train),) sorted indices, a
    seeded random choice (seed + 2: the validation split uses ``seed`` and the batch order
    ``seed + 1``), so a continued or forked run trains on the same images.
    """
    if not n_examples or n_examples >= len(train_idx):
        return train_idx
    return np.sort(np.random.default_rng(seed + 2).choice(train_idx, int(n_examples), replace=False))


def stratified_split(labels, test_fraction, seed, n_classes=10):
    """(train_idx, test_idx) int64 arrays holding out round(test_fraction * count) of each class.

    Seeded, so the same on every machine; both index arrays are shuffled across classes so any
    prefix of the training set has all classes.
    """
    labels = np.asarray(labels)
    rng = np.random.default_rng(seed)
    train_parts, test_parts = [], []
    for label in range(n_classes):
        members = rng.permutation(np.flatnonzero(labels == label))
        n_test = int(round(len(members) * test_fraction))
        test_parts.append(members[:n_test])
        train_parts.append(members[n_test:])
    train_idx = rng.permutation(np.concatenate(train_parts)).astype(np.int64)
    test_idx = rng.permutation(np.concatenate(test_parts)).astype(np.int64)
    return train_idx, test_idx
