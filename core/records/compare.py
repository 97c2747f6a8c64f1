"""Two run records side by side: settings diff, final metrics, where they disagree on the
validation images, and how well calibrated each one is.

Both networks are evaluated on the SAME images: the validation split of run A (its seed and
val_split). If run B was split differently, some of those images were in B's training set;
``split_note`` says so.
"""
from dataclasses import dataclass

import numpy as np

from core.data.normalise import to_float
from core.data.splits import train_val_split
from core.errors import ConfigError
from core.files.model_io import load_model
from core.evaluation.calibration import as_class_probabilities, expected_calibration_error
from core.settings.config import TrainConfig
from core.records.thinning import best_epoch
from core.training.trainers import prepare_dataset
from core.data.labels import task_labels

METRICS = ("epoch", "train_loss", "train_accuracy", "val_loss", "val_accuracy", "val_ece", "elapsed")


def settings_diff(record_a, record_b):
    """{setting: [value in A, value in B]} for the config fields, dataset and network that differ."""
    a = dict(record_a.settings["config"], dataset=record_a.settings["dataset"].get("name"),
             network=record_a.settings["network"].get("description"))
    b = dict(record_b.settings["config"], dataset=record_b.settings["dataset"].get("name"),
             network=record_b.settings["network"].get("description"))
    return {key: [a.get(key), b.get(key)] for key in sorted(set(a) | set(b)) if a.get(key) != b.get(key)}


def final_metrics(record):
    """The last history row's metrics plus the best validation accuracy and its epoch."""
    last = record.rows[-1] if record.rows else {}
    metrics = {key: last.get(key) for key in METRICS}
    best = best_epoch(record.rows)
    metrics["best_epoch"] = best
    metrics["best_val_accuracy"] = next((r["val_accuracy"] for r in record.rows if r["epoch"] == best), None)
    return metrics


@dataclass
class Comparison:
    settings_diff: dict
    metrics: dict           # {'a': {...}, 'b': {...}}
    n_validation: int
    disagreements: int      # validation images on which the two predictions differ
    only_a_right: int
    only_b_right: int
    ece: dict               # {'a': float, 'b': float}, 10 bins, on the same images
    checkpoints: dict       # {'a': epoch, 'b': epoch} whose weights were compared
    split_note: str = ""

    def to_json(self):
        return dict(self.__dict__)


def _final_network(record):
    usable = [e for e in record.checkpoints if e <= len(record.rows)]
    if not usable:
        raise ConfigError(f"run {record.run_id} has no checkpoint to compare")
    network, _ = load_model(record.checkpoints[max(usable)])
    return network, max(usable)


def validation_probabilities(network, config, dataset, val_idx):
    """(probabilities (n_val, n_classes), labels (n_val,)) of a network on dataset's training
    images at val_idx, prepared as the run's config prepares them."""
    prepared = prepare_dataset(config, dataset)
    if prepared.n_inputs != network.n_inputs:
        raise ConfigError(f"the network takes {network.n_inputs} inputs but {dataset.name}'s images give "
                          f"{prepared.n_inputs}")
    images = prepared.train_images[val_idx].reshape(len(val_idx), -1)
    labels = prepared.train_labels[val_idx].astype(np.int64)
    labels = task_labels(labels, config.positive_class)
    probabilities = as_class_probabilities(network.predict_proba(to_float(images, config.normalisation, network.dtype)))
    return probabilities, labels


def compare_records(record_a, record_b, dataset):
    """Comparison of two RunRecords on ``dataset`` (the Dataset both were trained on)."""
    config_a = TrainConfig.from_dict(record_a.settings["config"])
    config_b = TrainConfig.from_dict(record_b.settings["config"])
    if config_a.positive_class != config_b.positive_class:
        raise ConfigError("the two runs learn different tasks (one digit against the rest vs. another); "
                          "their answers cannot be compared")
    _, val_idx = train_val_split(len(dataset.train_labels), config_a.val_split, config_a.seed)
    if len(val_idx) == 0:
        raise ConfigError(f"run {record_a.run_id} has no validation split to compare on")
    network_a, epoch_a = _final_network(record_a)
    network_b, epoch_b = _final_network(record_b)
    probs_a, labels = validation_probabilities(network_a, config_a, dataset, val_idx)
    probs_b, _ = validation_probabilities(network_b, config_b, dataset, val_idx)
    pred_a, pred_b = probs_a.argmax(axis=1), probs_b.argmax(axis=1)
    right_a, right_b = pred_a == labels, pred_b == labels
    note = ""
    if (config_b.seed, config_b.val_split) != (config_a.seed, config_a.val_split):
        note = ("run B used another validation split (seed or val_split differ), so some of these images of "
                "run A's validation set were in run B's training set")
    return Comparison(
        settings_diff=settings_diff(record_a, record_b),
        metrics={"a": final_metrics(record_a), "b": final_metrics(record_b)},
        n_validation=int(len(labels)), disagreements=int(np.count_nonzero(pred_a != pred_b)),
        only_a_right=int(np.count_nonzero(right_a & ~right_b)), only_b_right=int(np.count_nonzero(right_b & ~right_a)),
        ece={"a": expected_calibration_error(probs_a, labels), "b": expected_calibration_error(probs_b, labels)},
        checkpoints={"a": epoch_a, "b": epoch_b}, split_note=note)
