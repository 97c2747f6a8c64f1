"""Each fast layer against its readable loop reference (core.nn.layers.reference), both ways."""
import numpy as np
import pytest

from core.nn.layers import Conv2D, Dense, Dropout, Flatten, MaxPool2D
from core.nn.layers import reference


def built(layer, in_shape, params=None, dtype=np.float64):
    layer.build(in_shape, dtype)
    if params is not None:
        layer.set_params([np.asarray(p, dtype) for p in params])
    return layer


@pytest.mark.parametrize("padding,kernel,c_in,c_out,height,width", [
    ("same", 3, 1, 4, 7, 6), ("same", 5, 3, 2, 6, 9), ("valid", 3, 2, 5, 7, 6), ("valid", 4, 2, 3, 8, 5),
    ("same", 1, 3, 2, 4, 4)])
def test_conv2d_matches_the_loop_reference_forward_and_backward(padding, kernel, c_in, c_out, height, width):
    rng = np.random.default_rng(kernel * 10 + c_in)
    W, b = rng.standard_normal((c_out, c_in, kernel, kernel)), rng.standard_normal(c_out)
    conv = built(Conv2D(c_out, kernel, padding), (c_in, height, width), [W, b])
    x = rng.standard_normal((c_in, height, width, 5))
    y = conv.forward(x)
    np.testing.assert_allclose(y, reference.conv2d_forward(x, W, b, padding), atol=1e-12)
    assert y.shape == (c_out, *conv.out_shape[1:], 5)
    grad = rng.standard_normal(y.shape)
    dx = conv.backward(grad)
    dx_ref, dW_ref, db_ref = reference.conv2d_backward(x, W, grad, padding)
    np.testing.assert_allclose(dx, dx_ref, atol=1e-12)
    np.testing.assert_allclose(conv.grads[0], dW_ref, atol=1e-12)
    np.testing.assert_allclose(conv.grads[1], db_ref, atol=1e-12)


def test_conv2d_reuses_its_buffers_and_accepts_transposed_inputs():
    rng = np.random.default_rng(0)
    conv = built(Conv2D(3, 3), (1, 5, 5), [rng.standard_normal((3, 1, 3, 3)), np.zeros(3)], np.float32)
    rows = rng.random((4, 25), dtype=np.float32)
    images = rows.reshape(4, 5, 5, 1).transpose(3, 1, 2, 0)          # a view, not contiguous
    first = conv.forward(images)
    second = conv.forward(images[..., ::-1])
    assert np.shares_memory(first, second)                              # same buffer, reused
    np.testing.assert_allclose(second, reference.conv2d_forward(np.ascontiguousarray(images[..., ::-1]),
                                                                conv.params[0], conv.params[1]), atol=1e-5)


@pytest.mark.parametrize("size,shape", [(2, (3, 6, 6)), (2, (2, 7, 5)), (3, (2, 9, 7))])
def test_maxpool_matches_the_reference_including_ties(size, shape):
    rng = np.random.default_rng(size)
    # small integers: many tied maxima in each window, the case where a careless backward
    # would hand the gradient to every tied position
    x = rng.integers(0, 3, (*shape, 4)).astype(np.float64)
    pool = built(MaxPool2D(size), shape)
    y = pool.forward(x)
    np.testing.assert_array_equal(y, reference.maxpool_forward(x, size))
    grad = rng.standard_normal(y.shape)
    dx = pool.backward(grad)
    np.testing.assert_array_equal(dx, reference.maxpool_backward(x, grad, size))
    assert np.isclose(dx.sum(), grad.sum())          # each window passes its gradient on once


def test_dense_matches_the_reference():
    rng = np.random.default_rng(1)
    W, b = rng.standard_normal((6, 4)), rng.standard_normal(4)
    dense = built(Dense(4), (6,), [W, b])
    x = rng.standard_normal((5, 6))
    np.testing.assert_allclose(dense.forward(x), reference.dense_forward(x, W, b), atol=1e-12)
    grad = rng.standard_normal((5, 4))
    dx = dense.backward(grad)
    dx_ref, dW_ref, db_ref = reference.dense_backward(x, W, grad)
    np.testing.assert_allclose(dx, dx_ref, atol=1e-12)
    np.testing.assert_allclose(dense.grads[0], dW_ref, atol=1e-12)
    np.testing.assert_allclose(dense.grads[1], db_ref, atol=1e-12)


def test_flatten_orders_channel_row_column_and_inverts():
    x = np.arange(2 * 3 * 4 * 5, dtype=np.float64).reshape(2, 3, 4, 5)
    flatten = built(Flatten(), (2, 3, 4))
    rows = flatten.forward(x)
    np.testing.assert_array_equal(rows, reference.flatten_forward(x))
    np.testing.assert_array_equal(flatten.backward(rows), x)


def test_dropout_is_inverted_seeded_and_off_in_evaluation():
    x = np.ones((2000, 10))
    drop = built(Dropout(0.25, seed=3), (10,))
    y = drop.forward(x, training=True)
    kept = y != 0
    assert abs(kept.mean() - 0.75) < 0.01
    np.testing.assert_allclose(y, reference.dropout_forward(x, kept, 0.25))
    np.testing.assert_allclose(drop.backward(np.ones_like(x)), y)       # gradient takes the same mask
    assert drop.forward(x, training=False) is x
    again = built(Dropout(0.25, seed=3), (10,)).forward(x, training=True)
    np.testing.assert_array_equal(again, y)                            # same seed, same mask


def test_conv2d_on_one_channel_multiplies_in_column_chunks_and_still_matches():
    """A first layer (1 channel, so 10 rows in cols) with more than CHUNK_COLUMNS positions takes
    the chunked matrix products: forward and weight gradient must not change."""
    from core.nn.layers.conv2d import CHUNK_COLUMNS, column_chunks
    rng = np.random.default_rng(7)
    W, b = rng.standard_normal((3, 1, 3, 3)), rng.standard_normal(3)
    conv = built(Conv2D(3, 3), (1, 12, 12), [W, b])
    x = rng.standard_normal((1, 12, 12, 40))
    assert 12 * 12 * 40 > CHUNK_COLUMNS and len(column_chunks(10, 12 * 12 * 40)) == 2
    y = conv.forward(x)
    np.testing.assert_allclose(y, reference.conv2d_forward(x, W, b), atol=1e-12)
    grad = rng.standard_normal(y.shape)
    assert conv.backward(grad, need_input_grad=False) is None
    _, dW_ref, db_ref = reference.conv2d_backward(x, W, grad)
    np.testing.assert_allclose(conv.grads[0], dW_ref, atol=1e-10)
    np.testing.assert_allclose(conv.grads[1], db_ref, atol=1e-10)
