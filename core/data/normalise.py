"""uint8 images -> float network inputs. Images stay uint8 in memory; only batches become floats."""
import numpy as np

NORMALISATIONS = {
    # name: (scale, offset) so that x = pixel * scale + offset
    "zero_one": (1.0 / 255.0, 0.0),        # [0, 1], as in most tutorials
    "minus_one_one": (2.0 / 255.0, -1.0),  # [-1, 1], zero-centred inputs
}


def to_float(images, normalisation="zero_one", dtype=np.float32, out=None):
    """uint8 images (n_ex, ...) -> (n_ex, n_inputs) floats in the normalisation's range.

    ``out`` (n_ex, n_inputs) of ``dtype`` is filled in place when given (no allocation).
    """
    try:
        scale, offset = NORMALISATIONS[normalisation]
    except KeyError:
        raise ValueError(f"unknown normalisation {normalisation!r}; choose one of {', '.join(NORMALISATIONS)}") from None
    images = np.asarray(images)
    flat = images.reshape(len(images), int(np.prod(images.shape[1:], dtype=np.int64)))
    dtype = np.dtype(dtype) if out is None else out.dtype
    out = np.multiply(flat, dtype.type(scale), out=out, dtype=dtype)
    if offset:
        out += dtype.type(offset)
    return out
