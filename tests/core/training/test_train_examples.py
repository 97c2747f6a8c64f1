"""Training examples (train_examples): a seeded random subset of the training part; validation unchanged."""
import dataclasses

import numpy as np

from core.data.splits import limit_training, train_val_split
from core.settings.config import TrainConfig
from core.training.trainers import make_trainer
from tests.gui_helpers import digits


def test_limit_training_is_a_seeded_subset_of_the_training_part():
    train_idx, val_idx = train_val_split(1000, 0.1, seed=3)
    chosen = limit_training(train_idx, 100, seed=3)
    assert len(chosen) == 100 and set(chosen) <= set(train_idx)
    assert np.all(np.diff(chosen) > 0)                      # sorted, no repeats
    assert np.array_equal(chosen, limit_training(train_idx, 100, seed=3))
    assert not np.array_equal(chosen, limit_training(train_idx, 100, seed=4))
    assert limit_training(train_idx, 0, seed=3) is train_idx   # 0 = all
    assert limit_training(train_idx, 5000, seed=3) is train_idx


def test_a_trainer_uses_only_the_chosen_examples_and_keeps_the_validation_set():
    dataset = digits()
    config = dataclasses.replace(TrainConfig(), hidden_sizes=(8,), epochs=1, batch_size=10)
    full = make_trainer(config, dataset)
    small = make_trainer(dataclasses.replace(config, train_examples=50), dataset)
    assert len(small.train_labels) == 50 < len(full.train_labels)
    assert np.array_equal(small.val_labels, full.val_labels)
    assert TrainConfig.from_dict(small.config.to_dict()).train_examples == 50   # saved with the model


def test_the_end_message_counts_epochs_in_words():
    from core.training.training_run import run_to_end
    dataset = digits()
    for epochs, words in ((1, "(1 epoch)."), (2, "(2 epochs).")):
        config = dataclasses.replace(TrainConfig(), hidden_sizes=(8,), epochs=epochs, batch_size=64)
        assert run_to_end(make_trainer(config, dataset)).message.endswith(words)
