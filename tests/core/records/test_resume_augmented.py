"""Continuing an augmented run after N epochs matches an uninterrupted run: the augmentation
generator's state is part of the TrainingState (augment_rng), exact at an epoch end
also when the batches are prepared ahead in a background thread (core.training.prefetch)."""
from dataclasses import replace

import numpy as np

from core.settings.config import TrainConfig
from core.training.training_run import run_to_end
from core.records.writer import recorded_run
from core.records.resume import plan_resume, start_recording
from core.training.trainers import make_trainer

AUGMENTED = TrainConfig(hidden_sizes=(32,), epochs=3, batch_size=50, learning_rate=0.1, schedule="constant",
                        val_split=300, snapshot_every=1000, seed=7, augment_rotation=10.0, augment_shift=1.0,
                        augment_elastic_alpha=10.0, augment_thickness=0.3)


def recorded(config, dataset, plan=None):
    trainer = make_trainer(config, dataset, network=plan.network.copy() if plan else None)
    recorder = start_recording(trainer, dataset, plan)
    return recorder, list(recorded_run(trainer, recorder))[-1]


def test_two_plus_one_augmented_epochs_equal_three(mnist_small):
    uninterrupted = run_to_end(make_trainer(AUGMENTED, mnist_small))
    first, _ = recorded(replace(AUGMENTED, epochs=2), mnist_small)
    plan = plan_resume(first.run_id, more_epochs=1)
    assert plan.state.augment_rng is not None
    _, end = recorded(plan.config, mnist_small, plan)
    assert end.history["train_loss"] == uninterrupted.history["train_loss"]
    for p, q in zip(end.network.params, uninterrupted.network.params):
        np.testing.assert_array_equal(p, q)


def test_without_the_saved_generator_the_third_epoch_differs(mnist_small):
    """The negative control: a state without it (an older record) starts the draws afresh."""
    uninterrupted = run_to_end(make_trainer(AUGMENTED, mnist_small))
    first, _ = recorded(replace(AUGMENTED, epochs=2), mnist_small)
    plan = plan_resume(first.run_id, more_epochs=1)
    plan.state = replace(plan.state, augment_rng=None)
    _, end = recorded(plan.config, mnist_small, plan)
    assert end.history["train_loss"][:2] == uninterrupted.history["train_loss"][:2]
    assert end.history["train_loss"][2] != uninterrupted.history["train_loss"][2]
