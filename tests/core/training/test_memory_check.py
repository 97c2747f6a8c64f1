"""core.training.memory_check: a config's data copies and network, refused before allocating; the
app's settings form gives the same reason (tests/gui/training/test_config_checks_memory.py)."""
from dataclasses import replace

import pytest

from core.data.datasets import load_digits
from core.errors import ConfigError
from core.settings.config import TrainConfig
from core.training.memory_check import check_training_memory, training_memory
from core.training.trainers import prepare_dataset


def test_a_resize_to_5000x5000_is_refused_before_it_allocates():
    config = replace(TrainConfig(), image_size=(5000, 5000))
    with pytest.raises(ConfigError, match=r"5000x5000 would need about .* GB of memory"):
        prepare_dataset(config, load_digits())


def test_mnist_set_ups_fit_and_are_counted_sensibly():
    small = training_memory(TrainConfig(), (28, 28), 10, 70_000)
    assert 100e6 < small < 2e9                     # the data's float copies dominate: a few hundred MB
    check_training_memory(TrainConfig(), (28, 28), 10, 70_000)
    cnn = replace(TrainConfig(), layers="conv32x5,pool2,conv64x5,pool2,dense1024,dense10", optimizer="adam")
    assert training_memory(cnn, (28, 28), 10, 70_000) > small
