"""Fixtures for the experiments tests: a small real MNIST subset and recorded runs."""
import pytest

from core.records.writer import recorded_run
from core.records.resume import start_recording
from core.training.trainers import make_trainer


def record_run(config, dataset, name):
    """Train config on dataset with the core API, recording it (DIGITLAB_HOME is in tmp_path)."""
    trainer = make_trainer(config, dataset)
    recorder = start_recording(trainer, dataset, name=name)
    snapshots = list(recorded_run(trainer, recorder))
    return recorder.run_id, snapshots
