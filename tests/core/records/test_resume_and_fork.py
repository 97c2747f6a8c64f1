"""Continuing a run after N epochs matches an uninterrupted run; a fork starts at its parent's
checkpoint and names it. Real MNIST slice, one BLAS thread (the trainer's default)."""
from dataclasses import replace

import numpy as np
import pytest

from core.errors import ConfigError
from core.files.model_io import model_metadata
from core.files.model_state_io import load_model_with_state, save_model_with_state
from core.settings.config import TrainConfig
from core.training.training_run import run_to_end
from core.training.optim import schedule_factor
from core.records.writer import recorded_run
from core.records.resume import plan_fork, plan_resume, start_recording
from core.records.reader import load_run
from core.training.trainers import make_trainer

BASE = TrainConfig(hidden_sizes=(32,), epochs=3, batch_size=50, learning_rate=0.1, schedule="constant",
                   val_split=300, snapshot_every=1000, seed=7)


def recorded(config, dataset, plan=None):
    trainer = make_trainer(config, dataset, network=plan.network.copy() if plan else None)
    recorder = start_recording(trainer, dataset, plan)
    snapshots = list(recorded_run(trainer, recorder))
    return recorder, snapshots[-1]


def assert_same_run(a, b):
    assert a.history == b.history or _same_except_elapsed(a.history, b.history)
    for p, q in zip(a.network.params, b.network.params):
        np.testing.assert_array_equal(p, q)


def _same_except_elapsed(h1, h2):
    """Training seconds differ between runs; every other figure must match exactly."""
    assert set(h1) == set(h2)
    for key in h1:
        if key != "elapsed":
            assert h1[key] == h2[key], key
    return True


@pytest.mark.parametrize("optimizer,schedule", [("momentum", "constant"), ("adam", "constant"), ("sgd", "step")])
def test_two_plus_one_epochs_equal_three(mnist_small, optimizer, schedule):
    config = replace(BASE, optimizer=optimizer, schedule=schedule, step_epochs=1, step_gamma=0.5)
    uninterrupted = run_to_end(make_trainer(config, mnist_small))
    first, _ = recorded(replace(config, epochs=2), mnist_small)
    plan = plan_resume(first.run_id, more_epochs=1)
    assert plan.config.epochs == 3 and plan.state.epochs_done == 2 and plan.state.step == 2 * 24
    assert ("constant" in plan.note) if schedule == "constant" else ("extends" in plan.note)
    _, end = recorded(plan.config, mnist_small, plan)
    assert_same_run(end, uninterrupted)
    run = load_run(first.record_dir)   # the same record goes on
    assert [r["epoch"] for r in run.rows] == [1, 2, 3] and run.status == "finished"
    assert [r["val_accuracy"] for r in run.rows] == uninterrupted.history["val_accuracy"]
    assert run.settings["continued"][0]["after_epoch"] == 2


def test_without_the_optimiser_state_the_continuation_differs(mnist_small):
    """What the test above relies on: dropping the momentum state changes the result."""
    uninterrupted = run_to_end(make_trainer(BASE, mnist_small))
    first, _ = recorded(replace(BASE, epochs=2), mnist_small)
    plan = plan_resume(first.run_id, more_epochs=1)
    plan.state = replace(plan.state, optimizer=None)
    _, end = recorded(plan.config, mnist_small, plan)
    assert end.history["train_loss"][:2] == uninterrupted.history["train_loss"][:2]
    assert end.history["train_loss"][2] != uninterrupted.history["train_loss"][2]


def test_a_stopped_cosine_run_continued_to_its_planned_end_matches(mnist_small):
    config = replace(BASE, schedule="cosine")
    uninterrupted = run_to_end(make_trainer(config, mnist_small))
    trainer = make_trainer(config, mnist_small)
    recorder = start_recording(trainer, mnist_small)
    for snapshot in recorded_run(trainer, recorder):
        if snapshot.kind == "epoch" and snapshot.epoch == 1:
            trainer.stop()
    assert load_run(recorder.record_dir).status == "stopped"
    plan = plan_resume(recorder.run_id, more_epochs=1)
    assert "planned end" in plan.note
    _, end = recorded(plan.config, mnist_small, plan)
    assert_same_run(end, uninterrupted)


def test_continuing_a_finished_cosine_run_stretches_the_schedule(mnist_small):
    config = replace(BASE, schedule="cosine", epochs=2, snapshot_every=1)
    first, _ = recorded(config, mnist_small)
    plan = plan_resume(first.run_id, more_epochs=1)
    assert "stretched" in plan.note
    trainer = make_trainer(plan.config, mnist_small, network=plan.network)
    batches = [s for s in recorded_run(trainer, start_recording(trainer, mnist_small, plan)) if s.kind == "batch"]
    per_epoch = trainer.batches_per_epoch
    # the first resumed batch uses the 3-epoch cosine at step 2 * per_epoch: not a restart (factor 1)
    expected = 0.1 * schedule_factor("cosine", 2 * per_epoch, 3 * per_epoch, per_epoch)
    assert batches[0].step == 2 * per_epoch + 1
    assert batches[0].learning_rate == pytest.approx(expected) and expected < 0.1 * 0.5


def test_a_model_file_carries_what_continuing_needs(mnist_small, tmp_path):
    uninterrupted = run_to_end(make_trainer(BASE, mnist_small))
    trainer = make_trainer(replace(BASE, epochs=2), mnist_small)
    end = run_to_end(trainer)
    path = tmp_path / "two.npz"
    metadata = model_metadata(end.network, trainer.image_shape, trainer.class_names, "zero_one", "mnist",
                              trainer.config.to_dict(), end.history, source=mnist_small.source)
    save_model_with_state(path, end.network, metadata, trainer.state())
    _, _, state = load_model_with_state(path)
    assert state.epochs_done == 2 and state.optimizer["name"] == "momentum"
    plan = plan_resume(str(path), more_epochs=1)
    recorder, resumed = recorded(plan.config, mnist_small, plan)
    assert_same_run(resumed, uninterrupted)
    run = load_run(recorder.record_dir)   # a new record that says where it came from
    assert run.settings["parent"] == {"model": str(path.resolve())}
    assert [r["epoch"] for r in run.rows] == [1, 2, 3]


def test_a_fork_starts_at_its_parent_checkpoint_and_names_it(mnist_small):
    parent, parent_end = recorded(BASE, mnist_small)
    same = plan_fork(parent.run_id, epoch=1, changes={})
    assert same.config.epochs == 3   # by default as far as the parent went
    _, same_end = recorded(same.config, mnist_small, same)
    assert_same_run(same_end, parent_end)   # nothing changed: the fork retraces its parent
    plan = plan_fork(parent.run_id, epoch=2, changes={"learning_rate": 0.02, "l2": 1.0}, more_epochs=2)
    fork, end = recorded(plan.config, mnist_small, plan)
    run, parent_run = load_run(fork.record_dir), load_run(parent.record_dir)
    assert run.settings["parent"]["run"] == parent.run_id and run.settings["parent"]["epoch"] == 2
    assert run.settings["config"]["learning_rate"] == 0.02 and run.settings["config"]["epochs"] == 4
    assert run.rows[:2] == parent_run.rows[:2] and [r["epoch"] for r in run.rows] == [1, 2, 3, 4]
    assert run.rows[2]["val_loss"] != parent_run.rows[2]["val_loss"]
    assert run.rows[2]["learning_rate"] == 0.02
    assert 2 in run.checkpoints and "fork at 2" in run.name
    assert end.history["epoch"] == [1, 2, 3, 4]


def test_fork_refuses_what_it_cannot_do(mnist_small):
    parent, _ = recorded(replace(BASE, epochs=2), mnist_small)
    with pytest.raises(ConfigError, match="no checkpoint of epoch 5 \\(kept: 1, 2\\)"):
        plan_fork(parent.run_id, epoch=5, changes={})
    with pytest.raises(ConfigError, match="cannot change hidden_sizes"):
        plan_fork(parent.run_id, epoch=1, changes={"hidden_sizes": (64,)})
    with pytest.raises(ConfigError, match="learning rate"):
        plan_fork(parent.run_id, epoch=1, changes={"learning_rate": -1.0})
    with pytest.raises(ConfigError, match="more epochs"):
        plan_resume(parent.run_id, more_epochs=None)
