"""The Dataset value every loader returns, and the class names of the known sets.

Kept apart from datasets.py (the loaders) so that a loader of another format (matfiles.py, the
user's own digits) can build a Dataset without importing the loaders that import it back.
"""
from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

DIGIT_CLASS_NAMES = [str(d) for d in range(10)]
FASHION_CLASS_NAMES = [
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
]
KMNIST_CLASS_NAMES = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"]


@dataclass(eq=False)
class Dataset:
    """A train/test pair of labelled images, all uint8.

    train_images: (n_train, H, W) uint8, 0 = background, 255 = ink.
    train_labels: (n_train,) uint8 class indices into class_names.
    test_images / test_labels: the same for the held-out test set.
    """

    name: str
    train_images: np.ndarray = field(repr=False)
    train_labels: np.ndarray = field(repr=False)
    test_images: np.ndarray = field(repr=False)
    test_labels: np.ndarray = field(repr=False)
    class_names: list[str]
    source: str

    @property
    def image_shape(self) -> tuple[int, int]:
        """(H, W) of one image."""
        return tuple(self.train_images.shape[1:])

    @property
    def n_classes(self) -> int:
        return len(self.class_names)

    @property
    def n_inputs(self) -> int:
        """H * W: the length of one flattened image, the network's input size."""
        height, width = self.image_shape
        return height * width

    def __repr__(self) -> str:
        return (
            f"Dataset(name={self.name!r}, train={len(self.train_labels)}, test={len(self.test_labels)}, "
            f"image_shape={self.image_shape}, n_classes={self.n_classes}, source={self.source!r})"
        )
