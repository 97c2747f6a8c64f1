"""The L2 term, written once (core.nn.regularisation) and used by every cost that has one."""
import numpy as np
import pytest

from core.nn.network import Network
from core.nn.regularisation import add_l2_gradient, l2_penalty
from core.evaluation.evaluate import evaluate_inputs


def weights_and_data(seed=0):
    network = Network((6, 5, 3), "tanh", dtype=np.float64, seed=seed)
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(8, 6))
    labels = rng.integers(0, 3, size=8)
    return network, x, labels


def test_penalty_by_hand_and_zero_without_l2():
    weights = [np.array([[1.0, -2.0]]), np.array([[3.0], [0.5]])]
    assert l2_penalty(weights, 2.0, 4) == pytest.approx(0.5 * 2.0 / 4 * (1 + 4 + 9 + 0.25))
    assert l2_penalty(weights, 0.0, 4) == 0.0


def test_gradient_is_the_derivative_of_the_penalty():
    rng = np.random.default_rng(1)
    weights = [rng.normal(size=(4, 3)), rng.normal(size=(3, 2))]
    grads = add_l2_gradient([np.zeros_like(W) for W in weights], weights, 1.5, 10)
    eps = 1e-6
    for W, gW in zip(weights, grads):
        for index in np.ndindex(W.shape):
            saved = W[index]
            W[index] = saved + eps
            up = l2_penalty(weights, 1.5, 10)
            W[index] = saved - eps
            down = l2_penalty(weights, 1.5, 10)
            W[index] = saved
            assert gW[index] == pytest.approx((up - down) / (2 * eps), rel=1e-6)
    untouched = [np.ones((2, 2))]
    assert add_l2_gradient(untouched, [np.full((2, 2), 7.0)], 0.0, 3)[0].tolist() == [[1, 1], [1, 1]]


def test_training_cost_plain_cost_and_evaluation_add_the_same_term():
    network, x, labels = weights_and_data()
    y = network.targets(labels)
    l2, n_train = 3.0, 50
    penalty = l2_penalty(network.weights, l2, n_train)
    assert penalty > 0
    plain = network.cost(x, y)
    assert network.cost(x, y, l2, n_train) == pytest.approx(plain + penalty, rel=1e-12)
    loss, _ = network.loss_and_gradients(x, y, l2, n_train)
    assert loss == pytest.approx(plain + penalty, rel=1e-12)
    evaluated = evaluate_inputs(network, x, labels, 3, l2, n_train)[0]
    assert evaluated == pytest.approx(plain + penalty, rel=1e-12)


def test_backprop_gradient_with_l2_differs_by_the_decay_on_weights_only():
    network, x, labels = weights_and_data(2)
    y = network.targets(labels)
    plain = [g.copy() for g in network.loss_and_gradients(x, y)[1]]
    decayed = network.loss_and_gradients(x, y, 2.0, 40)[1]
    for index, (a, b) in enumerate(zip(plain, decayed)):
        if index % 2 == 0:      # W1, W2
            np.testing.assert_allclose(b - a, 2.0 / 40 * network.params[index], rtol=1e-10, atol=1e-14)
        else:                   # biases are not regularised
            np.testing.assert_array_equal(a, b)
