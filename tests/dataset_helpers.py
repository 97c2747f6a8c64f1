"""Small generated datasets for the dataset tests."""
import numpy as np


def make_arrays(n_train=40, n_test=20, shape=(6, 5), seed=0):
    """The four MNIST arrays, random uint8 images (n, *shape) and labels cycling 0..9."""
    rng = np.random.default_rng(seed)
    return {
        "train_images": rng.integers(0, 256, size=(n_train, *shape), dtype=np.uint8),
        "train_labels": (np.arange(n_train) % 10).astype(np.uint8),
        "test_images": rng.integers(0, 256, size=(n_test, *shape), dtype=np.uint8),
        "test_labels": (np.arange(n_test)[::-1] % 10).astype(np.uint8),
    }
