"""Test-time augmentation: read an image as it is and turned a few degrees each way, and average.

A network trained with rotated digits still answers a little differently for the same digit at
slightly different angles; averaging the probabilities of three views (as drawn, turned -t and
+t degrees) smooths that out. For the shipped model (t = 8, within the 12 degrees it trained
with) this moved MNIST test accuracy from 99.27% to 99.40% and the styled drawn digits from 96.2%
to 96.5% (issue 22; bench/bench_drawn_digits.py measures both). The turns are a setting of the
run (``test_time_turns``) and so recorded in the model file's config: a model is always read the
way it was meant to be, by the canvas, `predict` and `evaluate` alike.

    p = read_proba(network, metadata, x)        # x (n, H*W) float inputs -> (n, n_classes)

``views`` is written with scipy.ndimage.rotate (bilinear, the image's centre, zeros outside).
"""
import numpy as np
from scipy import ndimage


def turns_of(metadata):
    """The test-time turn in degrees a model file asks for (0 = read once)."""
    return float((metadata.get("config") or {}).get("test_time_turns", 0.0) or 0.0)


def views(images, turns):
    """(n, H, W) float images -> (3, n, H, W): as they are, turned -turns and +turns degrees."""
    images = np.asarray(images, dtype=np.float32)
    return np.stack([images] + [ndimage.rotate(images, angle, axes=(1, 2), reshape=False, order=1)
                                for angle in (-turns, turns)])


def read_proba(network, metadata, x, image_shape=None):
    """(n, n_inputs) inputs -> (n, n_classes) probabilities, averaged over the test-time views
    when the model asks for them (turns_of), else network.predict_proba(x). image_shape: (H, W)
    of one image (default: the model's input_shape). Inputs in [-1, 1] are turned around their
    background, -1, so the corners the turn uncovers stay background."""
    turns = turns_of(metadata)
    if turns <= 0:
        return network.predict_proba(x)
    shape = tuple(image_shape or metadata["input_shape"])
    x = np.asarray(x, dtype=np.float32)
    background = float(x.min()) if x.size and x.min() < 0 else 0.0
    turned = views(x.reshape((len(x),) + shape) - background, turns) + background
    return np.mean([network.predict_proba(v.reshape(len(x), -1)) for v in turned], axis=0)
