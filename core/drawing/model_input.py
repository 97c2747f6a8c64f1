"""A prepared image -> the input row a Network takes (with the model's normalisation), and the
one-call helpers the canvas and `predict` use."""
import numpy as np

from core.drawing.bitmap import prepare_image
from core.drawing.geometry import FULL, geometry_for
from core.drawing.strokes import prepare_strokes
from core.errors import DigitLabError


def model_input(image01, normalisation="zero_one"):
    """(H, W) image in [0, 1] -> (1, H * W) float32 row scaled like core.data.normalise.to_float."""
    x = np.asarray(image01, dtype=np.float32).reshape(1, -1)
    if normalisation == "zero_one":
        return x.copy()
    if normalisation == "minus_one_one":
        return x * np.float32(2.0) - np.float32(1.0)
    raise DigitLabError(f"unknown normalisation {normalisation!r} in the model file")


def prepare_for_model(strokes=None, gray=None, metadata=None, stages=FULL, **options):
    """Strokes or a bitmap -> (image (H, W) in [0, 1], x (1, n_inputs)) for a model's metadata."""
    metadata = metadata or {}
    geometry = geometry_for(metadata.get("input_shape", (28, 28)))
    if strokes is not None:
        image = prepare_strokes(strokes, geometry=geometry, stages=stages, **options)
    else:
        image = prepare_image(gray, geometry=geometry, stages=stages, **options)
    return image, model_input(image, metadata.get("normalisation", "zero_one"))


def predict(network, metadata, image01):
    """(probabilities (n_classes,) float, index of the top class) for one prepared image."""
    x = model_input(image01, metadata.get("normalisation", "zero_one"))
    if x.shape[1] != network.n_inputs:
        raise DigitLabError(f"the image has {x.shape[1]} pixels but the model takes {network.n_inputs} inputs")
    probabilities = np.asarray(network.predict_proba(x)[0], dtype=np.float64)
    return probabilities, int(np.argmax(probabilities))
