"""One entry point that turns (config, dataset) into something with ``run()`` yielding snapshots.

Callers (CLI, app) use make_trainer so that set-ups needing another loop (full-batch scipy
optimisers, numerical gradients) or prepared data (downscaled images) work everywhere alike.
"""
from core.train import Trainer


def prepare_dataset(config, dataset):
    """The dataset as this config needs it (e.g. downscaled); the same object if unchanged."""
    return dataset


def make_trainer(config, dataset, network=None):
    """A trainer for the config on the dataset's training set (split by config.val_split)."""
    dataset = prepare_dataset(config, dataset)
    return Trainer.from_dataset(config, dataset, network=network)
