"""Shared pieces of the card and map tests: a small MNIST run trained once per module."""
import numpy as np
import pytest

from core.data.transforms import subsample
from core.settings.config import TrainConfig
from core.training.minibatch import Trainer
from gui.inspect.context import InspectContext
from core.training.snapshots import validation_set

QUICK = TrainConfig(hidden_sizes=(32,), epochs=1, batch_size=64, learning_rate=0.1, val_split=0.2,
                    schedule="constant")


@pytest.fixture(scope="session")
def small_mnist(mnist):
    return subsample(mnist, 4000, 500, seed=1)


@pytest.fixture(scope="session")
def trained_context(small_mnist):
    """An InspectContext of a 784-32-10 network trained one epoch on 3,200 real MNIST images
    (800 validation images)."""
    trainer = Trainer.from_dataset(QUICK, small_mnist)
    for _ in trainer.run():
        pass
    images, digits = validation_set(trainer, small_mnist)
    return InspectContext(trainer.network, images, np.asarray(trainer.val_labels), np.asarray(digits),
                          QUICK.normalisation, "test model", 1, 1)
