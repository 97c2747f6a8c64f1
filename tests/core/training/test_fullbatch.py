"""Full-batch CG / L-BFGS trainer: exact full-batch gradient, falling cost, pause/stop, snapshots."""
import threading
import time

import numpy as np
import pytest

from core.training import fullbatch
from core.training.config import TrainConfig
from core.errors import ConfigError
from core.training.fullbatch import FullBatchTrainer, flatten
from core.data.normalise import to_float
from core.training.snapshots import BatchSnapshot, EndSnapshot, EpochSnapshot
from core.training.trainers import make_trainer


def ex4_config(**changes):
    settings = dict(hidden_sizes=(12,), activation="sigmoid", loss="cross_entropy", output="sigmoid",
                    init="uniform", init_epsilon=0.12, optimizer="cg", l2=1.0, iterations=15, val_split=200)
    settings.update(changes)
    return TrainConfig(**settings)


@pytest.fixture(scope="module")
def small_digits(digits):
    from core.data.transforms import subsample
    return subsample(digits, 600, 150, seed=0)


def test_cost_and_gradient_is_the_exact_full_batch_gradient(small_digits, monkeypatch):
    monkeypatch.setattr(fullbatch, "CHUNK", 97)   # several uneven chunks must add up exactly
    trainer = make_trainer(ex4_config(l2=2.0), small_digits)
    net = trainer.network
    trainer._targets = net.targets(trainer.train_labels)
    trainer._x_buffer = np.empty((97, net.n_inputs))
    trainer._evaluations = {}
    theta = flatten(net.params)
    cost, gradient = trainer.cost_and_gradient(theta)
    reference = net.copy()
    x = to_float(trainer.train_images, "zero_one", np.float64)
    expected_cost, expected_grads = reference.loss_and_gradients(x, net.targets(trainer.train_labels), 2.0)
    assert cost == pytest.approx(expected_cost, rel=1e-12)
    assert np.allclose(gradient, flatten(expected_grads), rtol=1e-10, atol=1e-14)


@pytest.mark.parametrize("optimizer", ["cg", "lbfgs"])
def test_training_lowers_the_cost_every_iteration(small_digits, optimizer):
    trainer = make_trainer(ex4_config(optimizer=optimizer), small_digits)
    assert isinstance(trainer, FullBatchTrainer)
    snapshots = list(trainer.run())
    batches = [s for s in snapshots if isinstance(s, BatchSnapshot)]
    epochs = [s for s in snapshots if isinstance(s, EpochSnapshot)]
    end = snapshots[-1]
    assert isinstance(end, EndSnapshot) and end.reason == "finished"
    assert len(batches) == len(epochs) == end.step == 15
    losses = [s.batch_loss for s in batches]
    assert all(b <= a + 1e-12 for a, b in zip(losses, losses[1:]))   # line searches never go uphill
    assert losses[-1] < 0.6 * losses[0]
    assert end.history["train_loss"] == pytest.approx(losses)
    assert epochs[-1].val_accuracy > 0.6 and epochs[-1].val_confusion.shape == (10, 10)
    assert epochs[-1].first_layer_weights.shape == (12, 8, 8)
    # the trainer's network ends at the last iteration's weights
    for a, b in zip(trainer.network.params, epochs[-1].network.params):
        assert np.array_equal(a, b)


def test_stop_ends_the_run_early(small_digits):
    trainer = make_trainer(ex4_config(iterations=200), small_digits)
    seen = []
    for snapshot in trainer.run():
        seen.append(snapshot)
        if snapshot.kind == "batch" and snapshot.step == 3:
            trainer.stop()
    end = seen[-1]
    assert end.kind == "end" and end.reason == "stopped"
    assert 3 <= end.step < 10


def test_pause_holds_the_optimiser_and_is_not_counted_as_training_time(small_digits):
    trainer = make_trainer(ex4_config(iterations=6), small_digits)
    steps = []
    for snapshot in trainer.run():
        if snapshot.kind != "batch":
            continue
        steps.append((snapshot.step, time.perf_counter(), snapshot.elapsed))
        if snapshot.step == 2:
            trainer.pause()
            assert trainer.is_paused
            threading.Timer(0.4, trainer.resume).start()
    (_, wall_2, elapsed_2), (_, wall_4, elapsed_4) = steps[1], steps[3]
    assert len(steps) == 6
    assert wall_4 - wall_2 >= 0.35            # the optimiser really waited
    assert elapsed_4 - elapsed_2 < 0.3        # ...and the wait is not training time


def test_closing_the_generator_early_ends_the_worker(small_digits):
    trainer = make_trainer(ex4_config(iterations=500), small_digits)
    run = trainer.run()
    next(run)
    run.close()
    assert trainer.stop_requested
    assert not any(t.name == "digitlab-fullbatch" and t.is_alive() for t in threading.enumerate())


def test_learning_rate_is_a_documented_no_op(small_digits):
    trainer = make_trainer(ex4_config(iterations=2), small_digits)
    assert "line search" in trainer.set_learning_rate(0.5)
    assert trainer.uses_learning_rate is False


def test_binary_full_batch_gives_a_2x2_confusion_and_test_history(small_digits):
    config = ex4_config(positive_class=4, hidden_sizes=(), iterations=8, l2=0.0)
    trainer = make_trainer(config, small_digits, test_images=small_digits.test_images,
                           test_labels=small_digits.test_labels)
    snapshots = list(trainer.run())
    epoch = [s for s in snapshots if s.kind == "epoch"][-1]
    assert epoch.val_confusion.shape == (2, 2) and epoch.val_confusion.sum() == 200
    assert len(snapshots[-1].history["test_accuracy"]) == 8
    assert snapshots[-1].history["test_accuracy"][-1] > 0.9


def test_full_batch_refuses_other_optimisers(small_digits):
    with pytest.raises(ConfigError):
        FullBatchTrainer.from_dataset(ex4_config(optimizer="sgd"), small_digits)
