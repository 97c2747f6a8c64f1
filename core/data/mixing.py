"""Mixing the user's own digits (core.data.my_digits) into a training set with a weight.

A few dozen kept digits next to 54,000 MNIST images would be a drop in the ocean: each epoch
would show the network every one of them once, among a thousand times as many others. The weight
says what fraction of the training set they should make up; the kept digits are repeated that
many times (``copies_for_weight``), so one epoch sees each of them ``copies`` times. Only the
training part is mixed (after the validation split): validation stays pure MNIST, so the
validation curve still says how the network does on MNIST.

    images, labels = mix_in(train_images, train_labels, my_images, my_labels, weight=0.1)
"""
import numpy as np

from core.data.transforms import resize_to
from core.errors import ConfigError


def copies_for_weight(n_train, n_mine, weight):
    """How many times to repeat n_mine kept digits among n_train others so that they make up about
    ``weight`` of the mixed set: k with k * n_mine / (n_train + k * n_mine) closest to weight (at least
    1 when weight > 0 and there is anything to mix; 0 when weight is 0)."""
    if not 0.0 <= weight < 1.0:
        raise ConfigError(f"the My digits weight must be at least 0 and below 1 (got {weight})")
    if weight == 0.0 or n_mine == 0:
        return 0
    exact = weight * n_train / ((1.0 - weight) * n_mine)
    return max(1, int(round(exact)))


def mix_in(train_images, train_labels, my_images, my_labels, weight):
    """The training set with the kept digits appended ``copies_for_weight`` times.

    train_images (n, H, W) or (n, H*W) uint8, train_labels (n,); my_images (m, h, w) uint8 (resized
    to H x W by area averaging when the training images are smaller, e.g. ex4's 20x20), my_labels
    (m,). Returns (images, labels) with n + k*m rows in the training images' layout; the trainer
    shuffles every epoch, so appending at the end is enough."""
    my_images, my_labels = np.asarray(my_images, np.uint8), np.asarray(my_labels)
    copies = copies_for_weight(len(train_labels), len(my_labels), weight)
    if copies == 0:
        return train_images, train_labels
    if train_images.ndim == 3:
        mine = resize_to(my_images, train_images.shape[1:])
    else:   # flat rows: the caller's image shape is square (MNIST-like) or already 28x28
        side = int(round(np.sqrt(train_images.shape[1])))
        mine = resize_to(my_images, (side, side)).reshape(len(my_labels), -1)
    images = np.concatenate([train_images, np.tile(mine, (copies,) + (1,) * (mine.ndim - 1))])
    labels = np.concatenate([train_labels, np.tile(my_labels.astype(train_labels.dtype), copies)])
    return images, labels
