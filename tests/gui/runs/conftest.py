"""Fixtures for the experiments tests: a small real MNIST subset and recorded runs."""
import pytest

from core.data.dataset import Dataset
from core.records.writer import recorded_run
from core.records.resume import start_recording
from core.training.trainers import make_trainer


@pytest.fixture(scope="session")
def mnist_small(mnist):
    """The first 1,500 training and 500 test images of the real MNIST, named 'mnist'."""
    return Dataset(name="mnist", train_images=mnist.train_images[:1500], train_labels=mnist.train_labels[:1500],
                   test_images=mnist.test_images[:500], test_labels=mnist.test_labels[:500],
                   class_names=list(mnist.class_names), source=mnist.source + " (first 1,500 / 500)")


def record_run(config, dataset, name):
    """Train config on dataset with the core API, recording it (DIGITLAB_HOME is in tmp_path)."""
    trainer = make_trainer(config, dataset)
    recorder = start_recording(trainer, dataset, name=name)
    snapshots = list(recorded_run(trainer, recorder))
    return recorder.run_id, snapshots
