import itertools

import numpy as np
import pytest

from core.nn.gradcheck import gradient_check
from core.nn.network import Network

ACTIVATIONS = ["sigmoid", "tanh", "relu", "leaky_relu"]
LOSS_OUTPUTS = [("cross_entropy", "softmax"), ("mse", "softmax"), ("mse", "sigmoid"), ("cross_entropy", "sigmoid")]


def batch(n_ex=6, n_in=10, n_classes=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n_ex, n_in)), rng.integers(0, n_classes, n_ex)


@pytest.mark.parametrize("activation,loss_output", itertools.product(ACTIVATIONS, LOSS_OUTPUTS))
def test_backprop_matches_numerical_gradients(activation, loss_output):
    loss, output = loss_output
    x, labels = batch()
    net = Network((10, 7, 5, 4), activation, loss, output, dtype=np.float64, seed=3)
    result = gradient_check(net, x, net.targets(labels), l2=0.5, n_total=20)
    assert result.passed, result
    assert [p.name for p in result.params] == ["W1", "b1", "W2", "b2", "W3", "b3"]


def test_binary_logistic_unit_gradients_and_probabilities():
    x, labels = batch(n_classes=2)
    net = Network((10, 1), "sigmoid", "binary_cross_entropy", "sigmoid", dtype=np.float64, seed=1)
    assert gradient_check(net, x, net.targets(labels), l2=1.0).passed
    proba = net.predict_proba(x)
    assert proba.shape == (6, 2) and net.n_classes == 2
    np.testing.assert_allclose(proba.sum(axis=1), 1.0)
    assert np.array_equal(net.predict(x), (proba[:, 1] >= 0.5).astype(int))


def test_negative_control_a_broken_gradient_fails_the_check():
    x, labels = batch()
    net = Network((10, 5, 4), "tanh", dtype=np.float64, seed=0)
    y = net.targets(labels)

    def broken(network, xs, ys):
        _, grads = network.loss_and_gradients(xs, ys)
        grads = [g.copy() for g in grads]
        grads[1] *= -1.0            # sign error in b1
        return grads

    def slightly_off(network, xs, ys):
        _, grads = network.loss_and_gradients(xs, ys)
        return [g * 1.01 for g in grads]   # a 1% scale error is still caught

    assert gradient_check(net, x, y).passed
    bad = gradient_check(net, x, y, gradient_fn=broken)
    assert not bad.passed and bad.params[1].relative_error > 0.5
    assert bad.params[0].relative_error < 1e-6   # only the broken array is blamed
    assert not gradient_check(net, x, y, gradient_fn=slightly_off).passed


def test_negative_control_a_bad_epsilon_fails_in_float32():
    """With a far too small epsilon the differences drown in rounding error: the check must say so."""
    x, labels = batch()
    net = Network((10, 5, 4), "sigmoid", dtype=np.float64, seed=0)
    assert not gradient_check(net, x, net.targets(labels), epsilon=1e-14).passed


def test_softmax_outputs_are_distributions_and_stable_for_large_inputs():
    net = Network((3, 4, 5), "relu", seed=0)
    x = np.array([[1e4, -1e4, 3e3], [0, 0, 0]], np.float32)
    p = net.predict_proba(x)
    assert np.all(np.isfinite(p))
    np.testing.assert_allclose(p.sum(axis=1), 1.0, rtol=1e-5)


@pytest.mark.parametrize("scheme,check", [
    ("he", lambda W, n_in, n_out: abs(W.std() - np.sqrt(2 / n_in)) < 0.1 * np.sqrt(2 / n_in)),
    ("xavier", lambda W, n_in, n_out: np.abs(W).max() <= np.sqrt(6 / (n_in + n_out))),
    ("normal", lambda W, n_in, n_out: abs(W.std() - 1 / np.sqrt(n_in)) < 0.1 / np.sqrt(n_in)),
    ("small", lambda W, n_in, n_out: abs(W.std() - 0.01) < 0.001),
    ("uniform", lambda W, n_in, n_out: np.abs(W).max() <= 0.12 and np.abs(W).max() > 0.11),
])
def test_initialisation_schemes(scheme, check):
    net = Network((400, 300, 10), "relu", init=scheme, seed=0)
    assert check(net.weights[0].astype(np.float64), 400, 300)


def test_same_seed_same_weights_and_copies_are_independent():
    a, b = Network((8, 4, 3), seed=5), Network((8, 4, 3), seed=5)
    assert all(np.array_equal(p, q) for p, q in zip(a.params, b.params))
    c = a.copy()
    c.params[0][0, 0] += 1
    assert a.params[0][0, 0] != c.params[0][0, 0]
    assert Network((8, 4, 3), seed=6).params[0][0, 0] != a.params[0][0, 0]


def test_float32_training_step_stays_float32():
    x, labels = batch()
    net = Network((10, 6, 4), "relu")
    loss, grads = net.loss_and_gradients(x.astype(np.float32), net.targets(labels))
    assert isinstance(loss, float)
    assert all(g.dtype == np.float32 for g in grads)
    assert net.copy(dtype=np.float64).params[0].dtype == np.float64


def test_l2_adds_penalty_on_weights_only():
    x, labels = batch()
    net = Network((10, 6, 4), "relu", dtype=np.float64)
    y = net.targets(labels)
    plain = net.cost(x, y)
    weights_sq = sum(np.sum(W ** 2) for W in net.weights)
    assert net.cost(x, y, l2=2.0, n_total=50) == pytest.approx(plain + 2.0 / (2 * 50) * weights_sq)


def test_rejects_bad_shapes():
    with pytest.raises(ValueError, match="layer sizes"):
        Network((10,))
    with pytest.raises(ValueError, match="do not match"):
        Network((4, 3), weights=[np.zeros((3, 4)), np.zeros(3)])
