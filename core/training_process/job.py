"""What a training process is asked to do, as plain picklable data, and how it builds its trainer.

    job = RunJob(config, dataset_ref, network=None, with_test=False, my_digits=None, plan=None,
                 record_cap_bytes=None, race=None)
    trainer = build_trainer(job, dataset)         # in the child, on the attached dataset

The same function builds the trainer of a run in the app (in its own process) and of the
command line (in its own process, no child needed): one code path, so the same seed gives the
same weights everywhere.
"""
import dataclasses
from dataclasses import dataclass
from typing import Optional

from core.training.trainers import make_trainer, prepare_dataset
from core.training.training_run import build_network


@dataclass
class RunJob:
    config: object                       # TrainConfig
    dataset: object                      # core.training.shared_data.DatasetRef (or a Dataset in-process)
    network: object = None               # start from this Network (fine-tuning), else a new one
    with_test: bool = False              # evaluate the test set every epoch (config.track_test)
    my_digits: Optional[tuple] = None    # (images (m, 28, 28) uint8, labels (m,)) mixed into training
    plan: object = None                  # core.records.resume.ContinuePlan: continue or fork a run
    record_cap_bytes: Optional[int] = None   # record the run with this checkpoint cap; None: no record
    race: Optional[tuple] = None         # (data_seed, val_split): a racer sharing the race's batches
    held_at_start: bool = False          # wait (paused) before the first batch until resumed: the
                                         # racers of a race start together, each at its own core


def build_trainer(job, dataset):
    """The trainer ``job`` describes, on ``dataset`` (a Dataset)."""
    if job.race is not None:
        return race_trainer(job.config, dataset, *job.race, network=job.network)
    extras = {}
    if job.with_test and len(dataset.test_labels):
        extras.update(test_images=dataset.test_images, test_labels=dataset.test_labels)
    if job.my_digits is not None:
        extras["my_digits"] = job.my_digits
    network = job.network.copy() if job.network is not None else None
    return make_trainer(job.config, dataset, network=network, **extras)


def race_trainer(config, dataset, data_seed, val_split, network=None):
    """A racer's trainer: its data split and order come from data_seed (shared by both racers,
    so both see the same examples in the same batches) and its initial weights from config.seed
    (its own), or from ``network`` when given (a copy: e.g. transfer from a model's conv layers)."""
    prepared = prepare_dataset(config, dataset)
    network = network.copy() if network is not None else build_network(
        config, prepared.n_inputs, len(prepared.class_names), image_shape=prepared.image_shape)
    shared = dataclasses.replace(config, seed=data_seed, val_split=val_split)
    return make_trainer(shared, dataset, network=network)
