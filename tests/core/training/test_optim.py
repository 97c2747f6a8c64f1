import math

import numpy as np
import pytest

from core.training.optim import Adam, Momentum, SGD, make_optimizer, schedule_factor


def quadratic_grads(params, target):
    return [p - t for p, t in zip(params, target)]   # gradient of 1/2 ||p - t||^2


@pytest.mark.parametrize("name,lr,steps", [("sgd", 0.1, 200), ("momentum", 0.05, 200), ("adam", 0.05, 600)])
def test_each_optimiser_minimises_a_quadratic(name, lr, steps):
    params = [np.array([5.0, -3.0]), np.array([[2.0]])]
    target = [np.array([1.0, 2.0]), np.array([[-1.0]])]
    opt = make_optimizer(name, params)
    for _ in range(steps):
        opt.step(quadratic_grads(params, target), lr)
    for p, t in zip(params, target):
        np.testing.assert_allclose(p, t, atol=1e-2)


def test_sgd_step_is_exact():
    p = [np.array([1.0, 2.0])]
    SGD(p).step([np.array([0.5, -1.0])], 0.1)
    np.testing.assert_allclose(p[0], [0.95, 2.1])


def test_momentum_accumulates_velocity_and_reset_clears_it():
    p = [np.zeros(1)]
    opt = Momentum(p, momentum=0.9)
    opt.step([np.ones(1)], 1.0)
    opt.step([np.ones(1)], 1.0)
    np.testing.assert_allclose(p[0], [-(1 + 1.9)])
    opt.reset()
    opt.step([np.ones(1)], 1.0)
    np.testing.assert_allclose(p[0], [-(1 + 1.9) - 1])


def test_adam_first_step_moves_each_weight_by_the_learning_rate():
    p = [np.array([0.0, 0.0])]
    Adam(p).step([np.array([1e-3, -50.0])], 0.01)
    np.testing.assert_allclose(p[0], [-0.01, 0.01], rtol=1e-3)


def test_schedules():
    assert schedule_factor("constant", 500, 1000, 100) == 1.0
    assert schedule_factor("step", 0, 1000, 100, step_epochs=2, gamma=0.5) == 1.0
    assert schedule_factor("step", 250, 1000, 100, step_epochs=2, gamma=0.5) == 0.5
    assert schedule_factor("step", 450, 1000, 100, step_epochs=2, gamma=0.5) == 0.25
    assert schedule_factor("cosine", 0, 1000, 100) == pytest.approx(1.0)
    assert schedule_factor("cosine", 500, 1000, 100) == pytest.approx(0.5 * 0.99 + 0.01)
    assert 0 < schedule_factor("cosine", 1000, 1000, 100) < 0.02
    values = [schedule_factor("cosine", s, 100, 10) for s in range(101)]
    assert all(a >= b for a, b in zip(values, values[1:]))
    with pytest.raises(ValueError, match="schedule"):
        schedule_factor("warp", 0, 1, 1)
    assert not math.isnan(schedule_factor("cosine", 5, 0, 0))


def subnormal_count(arrays):
    tiny = np.finfo(np.float32).tiny
    return sum(int(np.count_nonzero((a != 0) & (np.abs(a) < tiny))) for a in arrays)


@pytest.mark.parametrize("name", ["momentum", "adam"])
def test_state_of_weights_without_gradient_is_flushed_before_it_turns_subnormal(name):
    """A weight whose gradient stays 0 (an MNIST border pixel) must not leave subnormal floats
    in the optimiser state: multiplying them is ~60x slower on x86. Without the flush the same
    run does leave them (the negative control)."""
    from core.training import optim
    def state_after(steps, flush):
        params = [np.ones(4, np.float32)]
        opt = make_optimizer(name, params, 0.9)
        if not flush:
            opt._flush_period = 10 ** 9
        opt.step([np.array([1.0, 0.0, 1e-3, 0.0], np.float32)], 0.01)   # one gradient, then none
        for _ in range(steps):
            opt.step([np.array([0.0, 0.0, 0.0, 1.0], np.float32)], 0.01)
        return (opt.velocity if name == "momentum" else opt.m + opt.v), params[0]
    steps = 2000 if name == "momentum" else 1200
    flushed, weights = state_after(steps, True)
    unflushed, weights_unflushed = state_after(steps, False)
    assert subnormal_count(unflushed) > 0
    assert subnormal_count(flushed) == 0
    np.testing.assert_array_equal(weights, weights_unflushed)   # too small to move any weight
    assert optim.flush_period(0.9) == 173 and optim.flush_period(0.0) is None and optim.flush_period(1.0) is None


def test_flush_tiny_zeroes_only_what_is_below_the_threshold():
    from core.training.optim import FLUSH_BELOW, flush_tiny
    a = np.array([FLUSH_BELOW * 0.5, -FLUSH_BELOW * 0.5, FLUSH_BELOW * 2, -1e-20, 0.3], np.float32)
    flush_tiny([a])
    np.testing.assert_array_equal(a, np.array([0, 0, FLUSH_BELOW * 2, -1e-20, 0.3], np.float32))


def test_the_declared_optimiser_and_schedule_names_are_the_ones_implemented():
    """core/settings declares the names (below the loop); core/training/optim implements them."""
    from core.settings.config import MINI_BATCH_OPTIMIZERS, SCHEDULES
    from core.training import optim
    assert set(optim.OPTIMIZERS) == set(MINI_BATCH_OPTIMIZERS)
    for schedule in SCHEDULES:
        assert 0.0 < optim.schedule_factor(schedule, 10, 100, 10) <= 1.0
    with pytest.raises(ValueError):
        optim.schedule_factor("nonsense", 10, 100, 10)
