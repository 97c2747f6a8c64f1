"""A prepared image -> the input row a Network takes (with the model's normalisation), and the
`predict` helper the canvas and the CLI use."""
import numpy as np

from core.drawing.test_time import read_proba
from core.errors import DigitLabError


def model_input(image01, normalisation="zero_one"):
    """(H, W) image in [0, 1] -> (1, H * W) float32 row scaled like core.data.normalise.to_float."""
    x = np.asarray(image01, dtype=np.float32).reshape(1, -1)
    if normalisation == "zero_one":
        return x.copy()
    if normalisation == "minus_one_one":
        return x * np.float32(2.0) - np.float32(1.0)
    raise DigitLabError(f"unknown normalisation {normalisation!r} in the model file")


def predict(network, metadata, image01):
    """(probabilities (n_classes,) float, index of the top class) for one prepared image, read as
    the model asks (core.drawing.test_time: averaged over turned views when it has test-time turns)."""
    x = model_input(image01, metadata.get("normalisation", "zero_one"))
    if x.shape[1] != network.n_inputs:
        raise DigitLabError(f"the image has {x.shape[1]} pixels but the model takes {network.n_inputs} inputs")
    probabilities = np.asarray(read_proba(network, metadata, x, np.shape(image01))[0], dtype=np.float64)
    return probabilities, int(np.argmax(probabilities))
