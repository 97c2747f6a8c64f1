"""Optimiser state out and back in: a restored optimiser takes exactly the steps the original would."""
import numpy as np
import pytest

from core.training.optim import make_optimizer


def gradients(params, rng):
    return [rng.standard_normal(p.shape) for p in params]


@pytest.mark.parametrize("name", ["sgd", "momentum", "adam"])
def test_restored_optimiser_continues_exactly(name):
    rng = np.random.default_rng(0)
    params = [rng.standard_normal((3, 4)), rng.standard_normal(4)]
    optimizer = make_optimizer(name, params)
    grads = [gradients(params, rng) for _ in range(6)]
    for g in grads[:3]:
        optimizer.step(g, 0.1)
    state = optimizer.state_dict()
    saved = {key: value.copy() for key, value in state["arrays"].items()}
    copies = [p.copy() for p in params]
    restored = make_optimizer(name, copies)
    restored.load_state(state)
    for g in grads[3:]:
        optimizer.step(g, 0.1)
        restored.step(g, 0.1)
    for a, b in zip(params, copies):
        np.testing.assert_array_equal(a, b)
    for key, value in state["arrays"].items():   # a copy: stepping on did not change what was saved
        np.testing.assert_array_equal(value, saved[key])


def test_fresh_optimiser_differs_from_restored_one():
    """The state matters: without it, momentum continues differently (so the test above can fail)."""
    rng = np.random.default_rng(1)
    params = [rng.standard_normal(5)]
    optimizer = make_optimizer("momentum", params)
    for _ in range(3):
        optimizer.step(gradients(params, rng), 0.1)
    fresh_params = [params[0].copy()]
    fresh = make_optimizer("momentum", fresh_params)
    g = gradients(params, rng)
    optimizer.step(g, 0.1)
    fresh.step(g, 0.1)
    assert not np.allclose(params[0], fresh_params[0])


def test_adam_state_keeps_its_step_count():
    params = [np.zeros(2)]
    adam = make_optimizer("adam", params)
    for _ in range(4):
        adam.step([np.ones(2)], 0.01)
    state = adam.state_dict()
    assert state["scalars"] == {"t": 4} and set(state["arrays"]) == {"m.0", "v.0"}
    other = make_optimizer("adam", [np.zeros(2)])
    other.load_state(state)
    assert other.t == 4


def test_state_for_another_optimiser_or_shape_is_refused():
    momentum = make_optimizer("momentum", [np.zeros(3)])
    with pytest.raises(ValueError, match="'adam'"):
        momentum.load_state(make_optimizer("adam", [np.zeros(3)]).state_dict())
    with pytest.raises(ValueError, match="shape"):
        momentum.load_state(make_optimizer("momentum", [np.zeros(4)]).state_dict())
