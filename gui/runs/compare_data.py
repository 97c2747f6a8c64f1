"""What the compare window shows, computed without Qt (run in a worker thread).

    curves(record, x_axis, n_train)   x values of a record's epochs: epoch, samples seen, seconds
    settings_table(records)           {setting: [value per run]} for the settings that differ
    evaluate_runs(records, dataset)   RunsEvaluation: every run's final network on run 1's split

Every run is evaluated on the SAME validation images, run 1's split (as core's compare_records
does with run A), so confusion matrices subtract cell by cell and disagreements are counted on
identical images.
"""
from dataclasses import dataclass

import numpy as np

from core.data.splits import train_val_split
from core.errors import ConfigError
from core.files.model_io import load_model
from core.settings.config import TrainConfig
from core.training.fullbatch import is_full_batch
from core.records.compare import validation_probabilities

X_AXES = {"epoch": "epoch", "samples": "samples seen", "time": "training time (s)"}
CURVES = (("train_loss", "loss", "train"), ("val_loss", "loss", "validation"),
          ("train_accuracy", "accuracy", "train"), ("val_accuracy", "accuracy", "validation"))


def n_train_examples(config, n_examples):
    """Training examples left after the validation split (a count or a fraction)."""
    n_val = config.val_split if config.val_split > 1 else round(config.val_split * n_examples)
    return max(0, n_examples - int(n_val))


def x_values(record, x_axis, n_examples):
    """(n_epochs,) x positions of a record's history rows. Samples seen: step x batch size for
    mini-batch runs (a full-batch CG/L-BFGS 'epoch' is one pass over the training set)."""
    rows = record.rows
    if x_axis == "epoch":
        return np.array([row["epoch"] for row in rows], float)
    if x_axis == "time":
        return np.array([row.get("elapsed") or np.nan for row in rows], float)
    config = TrainConfig.from_dict(record.settings["config"])
    if is_full_batch(config):
        return np.array([row["epoch"] for row in rows], float) * n_train_examples(config, n_examples)
    return np.array([row.get("step") or np.nan for row in rows], float) * config.batch_size


def metric(record, key):
    """(n_epochs,) values of one history metric (NaN where a row lacks it)."""
    return np.array([np.nan if row.get(key) is None else row[key] for row in record.rows], float)


def comparable_settings(record):
    return dict(record.settings["config"], dataset=record.settings["dataset"].get("name"),
                network=record.settings["network"].get("description"))


def settings_table(records):
    """{setting: [value in run 1, run 2, ...]} for the settings not all equal (core's
    settings_diff generalised to more than two runs)."""
    settings = [comparable_settings(r) for r in records]
    keys = sorted(set().union(*settings))
    table = {key: [s.get(key) for s in settings] for key in keys}
    return {key: values for key, values in table.items() if any(v != values[0] for v in values[1:])}


@dataclass
class RunsEvaluation:
    """images: (n_val, H, W) uint8 validation images (run 1's split); labels: (n_val,) task
    labels; predictions: [(n_val,) int per run]; probabilities: [(n_val, n_classes)];
    confusions: [(n_classes, n_classes) int counts, rows = true class]; epochs: the checkpoint
    epoch each run was evaluated at; class_names: the task's names."""
    images: np.ndarray
    labels: np.ndarray
    predictions: list
    probabilities: list
    confusions: list
    epochs: list
    class_names: list
    split_note: str = ""

    def confusion_difference(self, a, b):
        """(n_classes, n_classes) signed counts: run b's confusion minus run a's."""
        return self.confusions[b] - self.confusions[a]

    def disagreements(self, a, b):
        """Indices (k,) of the validation images on which runs a and b answer differently."""
        return np.flatnonzero(self.predictions[a] != self.predictions[b])


def final_network(record):
    """(network, epoch) of the last checkpoint that belongs to the record's history."""
    usable = [e for e in record.checkpoints if e <= len(record.rows)]
    if not usable:
        raise ConfigError(f"run {record.name} has no checkpoint to compare")
    network, _ = load_model(record.checkpoints[max(usable)])
    return network, max(usable)


def confusion_matrix(labels, predictions, n_classes):
    return np.bincount(labels * n_classes + predictions, minlength=n_classes * n_classes).reshape(n_classes, n_classes)


def evaluate_runs(records, dataset, cancelled=lambda: False):
    """RunsEvaluation of each record's final checkpoint on run 1's validation split of dataset."""
    configs = [TrainConfig.from_dict(r.settings["config"]) for r in records]
    if len({c.positive_class for c in configs}) > 1:
        raise ConfigError("these runs learn different tasks (one digit against the rest vs. another); "
                          "their answers cannot be compared")
    names = {r.settings["dataset"].get("name") for r in records}
    if names != {dataset.name}:
        raise ConfigError(f"the runs were trained on {', '.join(sorted(map(str, names)))}, but the loaded data is "
                          f"{dataset.name}; load the runs' data first")
    first = configs[0]
    _, val_idx = train_val_split(len(dataset.train_labels), first.val_split, first.seed)
    if len(val_idx) == 0:
        raise ConfigError(f"run {records[0].name} has no validation split to compare on")
    predictions, probabilities, epochs, labels = [], [], [], None
    for record, config in zip(records, configs):
        if cancelled():
            return None
        network, epoch = final_network(record)
        probs, labels = validation_probabilities(network, config, dataset, val_idx)
        probabilities.append(probs)
        predictions.append(probs.argmax(axis=1))
        epochs.append(epoch)
    n_classes = probabilities[0].shape[1]
    class_names = list(dataset.class_names)
    if first.is_binary:
        name = class_names[first.positive_class]
        class_names = [f"not {name}", name]
    note = ""
    if any((c.seed, c.val_split) != (first.seed, first.val_split) for c in configs[1:]):
        note = (f"Evaluated on {records[0].name}'s validation split; other runs split differently, so some of "
                f"these images were in their training sets.")
    return RunsEvaluation(dataset.train_images[val_idx].reshape(len(val_idx), *dataset.image_shape),
                          labels, predictions, probabilities,
                          [confusion_matrix(labels, p, n_classes) for p in predictions], epochs, class_names, note)
