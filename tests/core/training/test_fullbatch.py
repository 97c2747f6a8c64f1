"""Full-batch CG / L-BFGS trainer: exact full-batch gradient, falling cost, pause/stop, snapshots."""
import dataclasses
import threading

import numpy as np
import pytest

from core.training import fullbatch
from core.settings.config import TrainConfig
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


def test_pause_holds_the_optimiser_until_resume(small_digits):
    """The consumer pauses at step 2; a second thread resumes only once the optimiser is really
    held (the run control's waiting flag): no step may arrive in between."""
    trainer = make_trainer(ex4_config(iterations=6), small_digits)
    events = []

    def resume_once_held():
        assert trainer.control.wait_until_held(timeout=10)
        events.append(("held", trainer.step))
        trainer.resume()

    helper = None
    for snapshot in trainer.run():
        if snapshot.kind != "batch":
            continue
        events.append(("step", snapshot.step))
        if snapshot.step == 2:
            trainer.pause()
            assert trainer.is_paused
            helper = threading.Thread(target=resume_once_held)
            helper.start()
    helper.join()
    assert events.index(("held", 2)) == events.index(("step", 2)) + 1   # nothing ran while paused
    assert [value for kind, value in events if kind == "step"] == [1, 2, 3, 4, 5, 6]


def test_stop_while_paused_ends_the_run(small_digits):
    trainer = make_trainer(ex4_config(iterations=50), small_digits)
    kinds = []
    for snapshot in trainer.run():
        kinds.append(snapshot.kind)
        if snapshot.kind == "batch" and snapshot.step == 2:
            trainer.pause()
            threading.Thread(target=lambda: trainer.control.wait_until_held(10) and trainer.stop()).start()
    assert kinds[-1] == "end" and snapshot.reason == "stopped" and snapshot.step == 2


def test_stop_inside_a_line_search_abandons_it(small_digits):
    """A stop asked for during a cost evaluation ends the run before the next evaluation."""
    trainer = make_trainer(ex4_config(iterations=50), small_digits)
    cost = trainer.cost_and_gradient
    calls = []

    def cost_that_stops_at_the_fifth_call(theta):
        calls.append(1)
        if len(calls) == 5:
            trainer.stop()
        return cost(theta)

    trainer.cost_and_gradient = cost_that_stops_at_the_fifth_call
    snapshots = list(trainer.run())
    assert snapshots[-1].reason == "stopped" and len(calls) == 5


def test_runs_in_the_callers_thread(small_digits):
    trainer = make_trainer(ex4_config(iterations=3), small_digits)
    threads_before = threading.active_count()
    counts = [threading.active_count() for _ in trainer.run()]
    assert set(counts) == {threads_before}


def test_cg_reaches_ex4s_cost_on_20x20_mnist(mnist):
    """ex4's preset (400-25-10 sigmoid, lambda 1, CG) on a 5,000-image sample: 50 iterations
    bring J from ~3.3 to 0.51 (as scipy's own CG did) and about 91% validation accuracy."""
    from core.settings.presets import get_preset
    from core.data.transforms import subsample
    config = dataclasses.replace(get_preset("ng-ex4-400-25-10-cg").config, iterations=50, val_split=1000)
    trainer = make_trainer(config, subsample(mnist, 5000, 100, seed=0))
    snapshots = list(trainer.run())
    end = snapshots[-1]
    assert end.reason == "finished" and end.step == 50
    assert end.history["train_loss"][0] > 1.0 and end.history["train_loss"][-1] < 0.55
    assert end.history["val_accuracy"][-1] > 0.88


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


def test_cg_takes_the_same_steps_as_scipys_cg(small_digits):
    """The generator is scipy.optimize.minimize(method='CG') step for step: same iterates, same cost."""
    import scipy.optimize
    from core.training.fullbatch_optimizers import conjugate_gradient
    trainer = make_trainer(ex4_config(iterations=12), small_digits)
    net = trainer.network
    theta0 = flatten(net.params)
    ours = [(x.copy(), f) for x, f in conjugate_gradient(trainer.cost_and_gradient, theta0, 12)]
    theirs = []

    def callback(intermediate_result):   # scipy passes the OptimizeResult to a parameter of this name
        theirs.append((intermediate_result.x.copy(), intermediate_result.fun))

    scipy.optimize.minimize(trainer.cost_and_gradient, theta0, jac=True, method="CG", options={"maxiter": 12},
                            callback=callback)
    assert len(ours) == len(theirs) == 12
    for (x, f), (x_scipy, f_scipy) in zip(ours, theirs):
        assert f == pytest.approx(f_scipy, rel=1e-10)
        np.testing.assert_allclose(x, x_scipy, rtol=1e-8, atol=1e-12)


def test_lbfgs_reaches_the_cost_of_scipys_lbfgs(small_digits):
    """Not scipy's L-BFGS-B code, but the same method: after 30 iterations the cost is within a
    few per cent of scipy's."""
    import scipy.optimize
    trainer = make_trainer(ex4_config(optimizer="lbfgs", iterations=30), small_digits)
    end = list(trainer.run())[-1]
    reference = make_trainer(ex4_config(iterations=30), small_digits)
    net = reference.network
    result = scipy.optimize.minimize(reference.cost_and_gradient, flatten(net.params), jac=True, method="L-BFGS-B",
                                     options={"maxiter": 30})
    assert end.reason == "finished" and end.step == 30
    assert end.history["train_loss"][-1] == pytest.approx(result.fun, rel=0.05)
