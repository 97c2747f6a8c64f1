import numpy as np
import pytest

from core.data.normalise import NORMALISATIONS, to_float


def plain_to_float(images, normalisation, dtype):
    """The formula as written before the fast path: one mixed-type multiply, then the offset."""
    scale, offset = NORMALISATIONS[normalisation]
    dtype = np.dtype(dtype)
    out = np.multiply(images.reshape(len(images), -1), dtype.type(scale), dtype=dtype)
    return out + dtype.type(offset) if offset else out


@pytest.mark.parametrize("normalisation", sorted(NORMALISATIONS))
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_fast_conversion_gives_the_same_values_as_the_formula(mnist, normalisation, dtype):
    images = mnist.train_images[:700]      # more rows than one conversion block
    fast = to_float(images, normalisation, dtype)
    assert fast.dtype == dtype and fast.shape == (700, 784)
    np.testing.assert_array_equal(fast, plain_to_float(images, normalisation, dtype))
    low, high = (0, 1) if normalisation == "zero_one" else (-1, 1)
    assert fast.min() == low and fast.max() == high


def test_out_is_filled_in_place_and_other_dtypes_follow_it(mnist):
    images = mnist.train_images[:128]
    out = np.full((128, 784), np.nan, np.float64)
    result = to_float(images, "zero_one", np.float32, out=out)
    assert result is out
    np.testing.assert_array_equal(out, plain_to_float(images, "zero_one", np.float64))
    assert to_float(images[:0]).shape == (0, 784)


def test_float_images_are_converted_not_modified():
    images = np.random.default_rng(0).random((4, 3, 3)) * 255
    kept = images.copy()
    np.testing.assert_array_equal(to_float(images), plain_to_float(images, "zero_one", np.float32))
    np.testing.assert_array_equal(images, kept)


def test_unknown_normalisation_names_the_choices():
    with pytest.raises(ValueError, match="zero_one"):
        to_float(np.zeros((1, 4), np.uint8), "unit_norm")
