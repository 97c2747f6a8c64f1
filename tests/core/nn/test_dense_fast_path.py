"""The dense training step's fast parts against their plain versions: weight gradients folded
into the optimiser's GEMM (core.nn.product_gradient), the transposed softmax, the buffered
cross-entropy and delta, the ReLU mask buffer."""
import numpy as np
import pytest

from core.nn.activations import ReLU
from core.nn.gradcheck import gradient_check
from core.nn.losses import SoftmaxCrossEntropy, fast_softmax, softmax, _Scratch
from core.nn.network import Network
from core.nn.product_gradient import ProductGradient, as_array, reference_fold
from core.training.optim import SGD, Adam, Momentum


def factors(rng, n=7, n_in=5, n_out=3, dtype=np.float32):
    return rng.standard_normal((n, n_in)).astype(dtype), rng.standard_normal((n, n_out)).astype(dtype)


@pytest.mark.parametrize("dtype,rtol", [(np.float32, 1e-5), (np.float64, 1e-12)])
@pytest.mark.parametrize("alpha,beta", [(-0.1, 0.9), (-0.5, 1.0), (2.0, 0.0)])
def test_fold_into_is_the_plain_update_in_place(dtype, rtol, alpha, beta):
    rng = np.random.default_rng(0)
    x, dy = factors(rng, dtype=dtype)
    target = rng.standard_normal((5, 3)).astype(dtype)
    expected = reference_fold(target.copy(), x.T @ dy, alpha, beta)
    product = ProductGradient(np.empty((5, 3), dtype)).set(x, dy)
    same_array = target
    assert product.fold_into(target, alpha, beta) is same_array
    np.testing.assert_allclose(target, expected, rtol=rtol, atol=rtol)
    np.testing.assert_allclose(product.materialise(), x.T @ dy, rtol=rtol)
    assert product.shape == (5, 3)


def test_fold_into_falls_back_for_arrays_blas_cannot_take_as_they_are():
    """A transposed (F-ordered) input still gives the plain update, through the fallback."""
    rng = np.random.default_rng(1)
    x_t = rng.standard_normal((5, 7)).T          # (7, 5), F-ordered
    dy = rng.standard_normal((7, 3))
    target = rng.standard_normal((5, 3))
    expected = reference_fold(target.copy(), x_t.T @ dy, -0.3, 0.9)
    ProductGradient(np.empty((5, 3))).set(x_t, dy).fold_into(target, -0.3, 0.9)
    np.testing.assert_allclose(target, expected, rtol=1e-12)
    assert as_array(target) is target


def folded_and_plain_networks(sizes=(12, 8, 6, 4), dtype=np.float32):
    rng = np.random.default_rng(2)
    x = rng.random((9, sizes[0])).astype(dtype)
    labels = rng.integers(0, sizes[-1], 9)
    return Network(sizes, "relu", seed=3, dtype=dtype), Network(sizes, "relu", seed=3, dtype=dtype), x, labels


def test_folded_gradients_multiply_out_to_the_plain_ones():
    folded, plain, x, labels = folded_and_plain_networks()
    loss_f, grads_f = folded.loss_and_gradients(x, folded.targets(labels), fold_weight_grads=True)
    loss_p, grads_p = plain.loss_and_gradients(x, plain.targets(labels))
    assert loss_f == loss_p
    assert [type(g).__name__ for g in grads_f] == ["ProductGradient", "ndarray"] * 3
    for g_f, g_p in zip(grads_f, grads_p):
        np.testing.assert_allclose(as_array(g_f), g_p, rtol=1e-6, atol=1e-7)
    # folding is for one call: the next call without it gives plain arrays again
    _, again = folded.loss_and_gradients(x, folded.targets(labels))
    assert all(isinstance(g, np.ndarray) for g in again)
    assert not any(layer.fold_weight_grad for layer in folded._dense_layers)


def test_folding_is_off_with_l2_whose_gradient_needs_the_arrays():
    folded, plain, x, labels = folded_and_plain_networks()
    _, grads = folded.loss_and_gradients(x, folded.targets(labels), l2=0.5, n_total=100, fold_weight_grads=True)
    _, grads_p = plain.loss_and_gradients(x, plain.targets(labels), l2=0.5, n_total=100)
    assert all(isinstance(g, np.ndarray) for g in grads)
    for g, g_p in zip(grads, grads_p):
        np.testing.assert_array_equal(g, g_p)


@pytest.mark.parametrize("optimizer", [Momentum, SGD, Adam])
def test_optimisers_take_folded_gradients_to_the_same_weights(optimizer):
    """Ten steps with folded gradients and ten with plain ones reach the same weights (float
    rounding apart); a wrong sign or a missing momentum would be off by far more."""
    folded, plain, x, labels = folded_and_plain_networks(dtype=np.float64)
    opt_f, opt_p = optimizer(folded.params), optimizer(plain.params)
    for _ in range(10):
        opt_f.step(folded.loss_and_gradients(x, folded.targets(labels), fold_weight_grads=True)[1], 0.05)
        opt_p.step(plain.loss_and_gradients(x, plain.targets(labels))[1], 0.05)
    moved = max(np.abs(p - q).max() for p, q in zip(plain.params, Network((12, 8, 6, 4), "relu", seed=3).params))
    assert moved > 1e-3
    for p, q in zip(folded.params, plain.params):
        np.testing.assert_allclose(p, q, rtol=1e-10, atol=1e-12)


def test_momentum_without_folding_keeps_its_exact_arithmetic():
    """The scratch buffer changes nothing: v = mu v - lr g, p += v, bit for bit in float32."""
    rng = np.random.default_rng(4)
    p = rng.standard_normal(50).astype(np.float32)
    expected_p, v = p.copy(), np.zeros_like(p)
    opt = Momentum([p], 0.9)
    for _ in range(5):
        g = rng.standard_normal(50).astype(np.float32)
        v *= 0.9
        v -= 0.1 * g
        expected_p += v
        opt.step([g], 0.1)
    np.testing.assert_array_equal(p, expected_p)


def test_float64_gradient_check_passes_on_the_fast_path():
    net = Network((10, 7, 4), "relu", dtype=np.float64, seed=0)
    rng = np.random.default_rng(5)
    x = rng.random((6, 10)) + 0.1
    assert gradient_check(net, x, net.targets(rng.integers(0, 4, 6))).passed


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("shape", [(128, 10), (3, 10), (5, 1), (7, 2)])
def test_fast_softmax_matches_the_reference(dtype, shape):
    z = np.random.default_rng(6).standard_normal(shape).astype(dtype) * 20
    z[0] = 1e4                                        # stable for large logits too
    expected = softmax(z.copy())
    scratch = _Scratch()
    got = z.copy()
    assert fast_softmax(got, scratch) is not None
    np.testing.assert_allclose(got, expected, rtol=4 * np.finfo(dtype).eps, atol=np.finfo(dtype).tiny)
    again = z.copy()                                   # the scratch buffers are reused
    np.testing.assert_array_equal(fast_softmax(again, scratch), got)


@pytest.mark.parametrize("n", [128, 17])
def test_cross_entropy_and_delta_in_buffers_equal_the_formulas(n):
    rng = np.random.default_rng(7)
    p = softmax(rng.standard_normal((n, 10)).astype(np.float32))
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, n)]
    loss = SoftmaxCrossEntropy()
    assert loss.fn(p, y) == pytest.approx(float(-np.sum(y * np.log(p + 1e-12)) / n), rel=1e-6)
    np.testing.assert_array_equal(loss.delta(p, y), (p - y) / n)
    # float64 targets for float32 outputs: numpy's promotion, as before
    assert loss.fn(p, y.astype(np.float64)) == pytest.approx(loss.fn(p, y), rel=1e-6)
    assert loss.delta(p, y.astype(np.float64)).dtype == np.float64


def test_relu_backward_with_its_mask_buffer_equals_the_plain_product():
    rng = np.random.default_rng(8)
    relu = ReLU()
    for shape in [(6, 5), (6, 5), (3, 4, 4, 2)]:       # reused, then a new shape
        a = relu.forward(rng.standard_normal(shape).astype(np.float32))
        grad = rng.standard_normal(shape).astype(np.float32)
        expected = grad * (a > 0)
        np.testing.assert_array_equal(relu.backward(grad.copy(), None, a), expected)
