"""The explicit training state (core/training/training_state.py): plain data a trainer gives out
at an epoch end and a new trainer (in this process or another) continues from exactly."""
import pickle
from dataclasses import replace

import numpy as np
import pytest

from core.errors import ConfigError
from core.settings.config import TrainConfig
from core.training.data_order import data_order_rng, epoch_order
from core.training.trainers import make_trainer
from core.training.training_run import run_to_end
from core.training.training_state import TrainingState

BASE = TrainConfig(hidden_sizes=(32,), epochs=3, batch_size=50, learning_rate=0.1, schedule="constant",
                   val_split=300, snapshot_every=1000, seed=7)
PLAIN = (type(None), bool, int, float, str, np.ndarray, np.generic)


def plain_leaves(value, path="state"):
    """Every leaf of a value made of dicts, lists and tuples; fails on anything else (a live object)."""
    if isinstance(value, dict):
        for key, item in value.items():
            assert isinstance(key, str), f"{path} has a key {key!r} that is not a string"
            yield from plain_leaves(item, f"{path}.{key}")
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):
            yield from plain_leaves(item, f"{path}[{index}]")
    else:
        assert isinstance(value, PLAIN), f"{path} is a {type(value).__name__}, not plain data"
        yield path, value


def state_after(trainer, epochs):
    """Run ``trainer`` to the end of epoch ``epochs`` (from 1) and take its state there."""
    run = trainer.run()
    for snapshot in run:
        if snapshot.kind == "epoch" and snapshot.epoch + 1 == epochs:
            state = trainer.state()
            run.close()
            return state
    raise AssertionError("the run ended before that epoch")


def assert_same_weights(a, b):
    for p, q in zip(a.params, b.params):
        np.testing.assert_array_equal(p, q)


CASES = {
    "momentum": {},
    "adam, step schedule": {"optimizer": "adam", "schedule": "step", "step_epochs": 1, "learning_rate": 0.002},
    "augmentation": {"augment_rotation": 10.0, "augment_shift": 1.0, "augment_elastic_alpha": 10.0},
    "dropout": {"layers": "dense64,dropout0.3,dense10"},
    "with replacement": {"sampling": "replacement"},
}


@pytest.mark.parametrize("case", CASES)
def test_a_state_taken_after_two_epochs_continues_to_exactly_the_third(mnist_small, case):
    config = replace(BASE, **CASES[case])
    uninterrupted = run_to_end(make_trainer(config, mnist_small))
    state = state_after(make_trainer(config, mnist_small), 2)
    assert state.epochs_done == 2 and state.step == 2 * 24 and len(state.history["epoch"]) == 2
    # through pickle, as it will cross a process boundary
    continued = make_trainer(config, mnist_small, state=pickle.loads(pickle.dumps(state)))
    end = run_to_end(continued)
    assert end.history["train_loss"] == uninterrupted.history["train_loss"]
    assert end.history["val_accuracy"] == uninterrupted.history["val_accuracy"]
    assert_same_weights(end.network, uninterrupted.network)


def test_the_state_is_plain_data_and_copies(mnist_small):
    config = replace(BASE, layers="dense64,dropout0.3,dense10", augment_rotation=10.0)
    trainer = make_trainer(config, mnist_small)
    state = state_after(trainer, 1)
    leaves = dict(plain_leaves(vars(state)))
    assert any(path.startswith("state.weights[") for path in leaves)
    assert any(path.startswith("state.optimizer.arrays.") for path in leaves)
    assert state.order_rng and state.augment_rng and len(state.dropout_rngs) == 1
    before = state.weights[0].copy()
    trainer.network.params[0] += 1.0          # the trainer's arrays move on; the state does not
    np.testing.assert_array_equal(state.weights[0], before)


def test_plain_data_check_refuses_a_live_object():
    with pytest.raises(AssertionError, match="Generator"):
        dict(plain_leaves({"rng": np.random.default_rng(0)}))


def test_weights_come_from_the_state_not_from_the_network_given(mnist_small):
    state = state_after(make_trainer(BASE, mnist_small), 1)
    fresh = make_trainer(replace(BASE, seed=99), mnist_small, state=replace(state, order_rng=None))
    assert_same_weights(fresh.network, type("N", (), {"params": state.weights}))


def test_a_state_that_does_not_fit_is_refused(mnist_small):
    state = state_after(make_trainer(BASE, mnist_small), 1)
    wrong = replace(state, weights=[w[:, :3] if w.ndim == 2 else w for w in state.weights])
    with pytest.raises(ValueError, match="shape"):
        make_trainer(BASE, mnist_small, state=wrong)
    with pytest.raises(ConfigError, match="mini-batch"):
        make_trainer(replace(BASE, optimizer="cg", iterations=2), mnist_small, state=state)


def test_files_keep_every_generator_and_earlier_files_still_load(mnist_small):
    state = state_after(make_trainer(replace(BASE, layers="dense64,dropout0.3,dense10", augment_rotation=5.0),
                                     mnist_small), 1)
    data, arrays = state.to_json()
    assert "augment_rng" in data["extra"] and "dropout_rngs" in data["extra"]   # where earlier versions look
    back = TrainingState.from_json(data, arrays, state.history)
    assert back.augment_rng == state.augment_rng and back.dropout_rngs == state.dropout_rngs and back.extra == {}
    older = dict(data, extra={})   # a file written before the generators were kept
    assert TrainingState.from_json(older, arrays, state.history).augment_rng is None


def test_the_trainer_draws_its_batches_by_the_one_data_order_rule(mnist_small):
    """What the trainer trains on in epoch 1 is epoch_order(data_order_rng(seed)): checked by
    training one batch by hand from those indices and comparing the weights."""
    config = replace(BASE, epochs=1, iterations=1, optimizer="sgd")
    trainer = make_trainer(config, mnist_small)
    network = trainer.network.copy()
    order = epoch_order(data_order_rng(config.seed), len(trainer.train_labels), trainer.batches_per_epoch,
                        config.batch_size, config.sampling)
    batch = order[:config.batch_size]
    x = trainer.train_images[batch].reshape(len(batch), -1).astype(np.float32) / 255.0
    _, grads = network.loss_and_gradients(x, network.targets(trainer.train_labels[batch]))
    expected = [p - config.learning_rate * g for p, g in zip(network.params, grads)]
    end = run_to_end(trainer)
    for p, q in zip(end.network.params, expected):
        np.testing.assert_allclose(p, q, rtol=1e-5, atol=1e-6)
    wrong_order = epoch_order(data_order_rng(config.seed + 1), len(trainer.train_labels), trainer.batches_per_epoch,
                              config.batch_size, config.sampling)
    assert not np.array_equal(wrong_order[:config.batch_size], batch)   # the check can fail


def test_negative_control_without_the_dropout_generators_the_third_epoch_differs(mnist_small):
    config = replace(BASE, **CASES["dropout"])
    uninterrupted = run_to_end(make_trainer(config, mnist_small))
    state = replace(state_after(make_trainer(config, mnist_small), 2), dropout_rngs=None)
    end = run_to_end(make_trainer(config, mnist_small, state=state))
    assert end.history["train_loss"][:2] == uninterrupted.history["train_loss"][:2]
    assert end.history["train_loss"][2] != uninterrupted.history["train_loss"][2]
