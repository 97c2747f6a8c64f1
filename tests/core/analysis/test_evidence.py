"""Evidence maps: the completeness (sum) rule of integrated gradients, exact agreement of the three
methods on a linear network, occlusion agreement on a trained CNN, and the input gradient
itself against finite differences (dense and conv, several channels)."""
import numpy as np
import pytest

from core.analysis.evidence import (explain, gradient_times_input, integrated_gradients, occlusion,
                                    explained_score)
from core.analysis.probe import score_gradient
from core.data.normalise import to_float
from core.nn.network import Network


def tiny_sigmoid(seed=0):
    return Network((16, 6, 3), activation="sigmoid", seed=seed, dtype=np.float64, init="normal")


def test_integrated_gradients_add_up_to_the_score_change():
    network = tiny_sigmoid()
    x = np.random.default_rng(1).uniform(0, 1, 16)
    for versus in (None, 2):
        coarse = integrated_gradients(network, x, 0, versus, steps=8)
        fine = integrated_gradients(network, x, 0, versus, steps=256)
        change = explained_score(network, x[None], 0, versus)[0] - explained_score(network, np.zeros((1, 16)), 0, versus)[0]
        assert fine.score - fine.baseline_score == pytest.approx(change)
        assert abs(fine.gap) < 1e-4 * max(1.0, abs(change))
        assert abs(fine.gap) < abs(coarse.gap)          # the rule is approached as steps grow
        assert fine.values.shape == (4, 4)


def test_methods_agree_exactly_on_a_linear_network():
    network = Network((16, 3), seed=3, dtype=np.float64, init="normal")    # logits are linear in x
    x = np.random.default_rng(4).uniform(0, 1, 16)
    ig = integrated_gradients(network, x, 1, versus=0, steps=4)
    gxi = gradient_times_input(network, x, 1, versus=0)
    occ = occlusion(network, x, 1, versus=0, patch=1, stride=1)
    W = network.params[0]
    expected = (x * (W[:, 1] - W[:, 0])).reshape(4, 4)
    for m in (ig, gxi, occ):
        assert np.allclose(m.values, expected, atol=1e-12), m.method.key
        assert m.gap == pytest.approx(0, abs=1e-12)


def test_occlusion_agrees_with_integrated_gradients_on_a_trained_cnn(small_cnn, mnist):
    x = to_float(mnist.test_images[:6], dtype=np.float64)
    correlations = []
    for row in x:
        maps, probabilities = explain(small_cnn, row)
        assert set(maps) == {"integrated_gradients", "gradient_x_input", "occlusion"}
        ig, occ = maps["integrated_gradients"].values, maps["occlusion"].values
        pooled = [m.reshape(7, 4, 7, 4).sum(axis=(1, 3)).ravel() for m in (ig, occ)]   # compare 4x4 blocks
        correlations.append(np.corrcoef(*pooled)[0, 1])
    assert np.median(correlations) > 0.5, correlations


def test_occlusion_values_are_score_drops(small_cnn, mnist):
    x = to_float(mnist.test_images[:1], dtype=np.float64)[0]
    occ = occlusion(small_cnn, x, 7, patch=1, stride=1)
    score = explained_score(small_cnn, x[None], 7)[0]
    for (i, j) in [(10, 14), (20, 12), (5, 5)]:
        covered = x.reshape(28, 28).copy()
        covered[i, j] = 0
        assert occ.values[i, j] == pytest.approx(score - explained_score(small_cnn, covered.reshape(1, -1), 7)[0],
                                                  abs=1e-4)


@pytest.mark.parametrize("layers, shape", [("dense5", (3, 3, 2)), ("conv3x3,pool2,dense4", (6, 6, 2)),
                                           ("conv2x3v,dense3", (5, 5, 1))])
def test_input_gradient_matches_finite_differences(layers, shape):
    network = Network.from_layers(layers, shape, activation="tanh", seed=5, dtype=np.float64)
    n = int(np.prod(shape))
    rng = np.random.default_rng(6)
    x = rng.uniform(0, 1, (2, n))
    weights = rng.normal(size=(2, network.n_classes))
    _, grad = score_gradient(network, x, weights)
    h = 1e-6
    for k in range(2):
        for i in rng.choice(n, 6, replace=False):
            up, down = x[k:k + 1].copy(), x[k:k + 1].copy()
            up[0, i] += h
            down[0, i] -= h
            f = lambda rows: float(score_gradient(network, rows, weights[k:k + 1])[0][0] @ weights[k])
            assert grad[k, i] == pytest.approx((f(up) - f(down)) / (2 * h), abs=1e-7)
