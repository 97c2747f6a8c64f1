"""Numerical-gradient training: equal to backprop, refused for big networks, trains tiny ones."""
from dataclasses import replace

import numpy as np
import pytest

from core.settings.config import TrainConfig
from core.errors import ConfigError
from core.nn.network import Network
from core.data.normalise import to_float
from core.nn.numerical_training import (MAX_NUMERICAL_PARAMS, NumericalGradientNetwork, full_numerical_gradient,
                          measure_gradient_speed)
from core.training.training_run import run_to_end
from core.training.trainers import make_trainer


def tiny_batch(n=6, n_inputs=5, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    return rng.random((n, n_inputs)), rng.integers(0, n_classes, n)


def test_full_numerical_gradient_equals_backprop():
    x, labels = tiny_batch()
    net = Network((5, 4, 3), "sigmoid", "cross_entropy", "softmax", seed=1, dtype=np.float64)
    y = net.targets(labels)
    _, grads = net.loss_and_gradients(x, y, l2=0.5, n_total=20)
    numeric = full_numerical_gradient(net, x, y, l2=0.5, n_total=20)
    for g, n in zip(grads, numeric):
        assert g.shape == n.shape
        assert np.allclose(g, n, rtol=1e-6, atol=1e-9)
    wrong = full_numerical_gradient(net, x, y, l2=0.0, n_total=20)   # a negative control: L2 matters
    assert not np.allclose(grads[0], wrong[0], rtol=1e-6, atol=1e-9)


def test_big_networks_are_refused_with_the_reason():
    with pytest.raises(ConfigError, match="backpropagation") as info:
        NumericalGradientNetwork((784, 30, 10))
    assert "23,860" in str(info.value)
    with pytest.raises(ConfigError):
        NumericalGradientNetwork((49, 90, 10))   # 5,410 parameters, just over the limit
    assert NumericalGradientNetwork((49, 80, 10)).layer_sizes == (49, 80, 10)   # 4,810: accepted


def test_big_networks_are_refused_through_make_trainer(digits):
    config = TrainConfig(hidden_sizes=(128,), gradients="numerical")
    with pytest.raises(ConfigError, match="parameters"):
        make_trainer(config, digits)
    with pytest.raises(ConfigError, match="gradients"):
        make_trainer(replace(config, gradients="finite"), digits)


def test_a_tiny_network_trains_on_numerical_gradients(digits):
    config = TrainConfig(hidden_sizes=(8,), activation="sigmoid", optimizer="sgd", learning_rate=2.0,
                         schedule="constant", batch_size=32, iterations=60, sampling="replacement",
                         val_split=100, init="xavier", gradients="numerical", image_size=(4, 4))
    trainer = make_trainer(config, digits)
    network = trainer.network
    assert isinstance(network, NumericalGradientNetwork) and network.layer_sizes == (16, 8, 10)
    x = to_float(trainer.train_images, "zero_one", np.float64)
    y = network.targets(trainer.train_labels)
    before = network.cost(x, y)
    # a twin trained by backprop from the same float64 weights on the same batches
    twin_config = replace(config, gradients="backprop")
    twin = make_trainer(twin_config, digits, network=Network.copy(network))
    assert type(twin.network) is Network
    end = run_to_end(trainer)
    assert run_to_end(twin).reason == "finished"
    assert end.reason == "finished" and end.step == 60
    assert network.cost(x, y) < 0.85 * before
    for numeric, backprop in zip(network.params, twin.network.params):
        assert np.allclose(numeric, backprop, atol=1e-6)   # same path: the gradients agree
    assert type(end.network) is Network   # snapshot copies are plain networks


def test_measure_gradient_speed_reports_a_speedup():
    x, labels = tiny_batch(n=16, n_inputs=20, n_classes=10)
    net = Network((20, 12, 10), "sigmoid", "cross_entropy", "softmax", seed=0)
    result = measure_gradient_speed(net, x, net.targets(labels), max_numerical_params=50)
    assert result["n_params"] == 20 * 12 + 12 + 12 * 10 + 10
    assert result["numerical_estimated"] and 40 <= result["numerical_params_timed"] <= 60
    assert result["backprop_seconds"] > 0 and result["numerical_seconds"] > result["backprop_seconds"]
    assert result["speedup"] == pytest.approx(result["numerical_seconds"] / result["backprop_seconds"])
    exact = measure_gradient_speed(net, x, net.targets(labels), max_numerical_params=10_000)
    assert not exact["numerical_estimated"] and exact["numerical_params_timed"] == exact["n_params"]
    assert MAX_NUMERICAL_PARAMS == 5000
