"""A recorded run's report: its checkpoint measured on the test set, in one self-contained HTML page.

    record = open_run("20261206-1346")
    dataset = dataset_for_report(record.settings)            # the run's data (or pass your own)
    write_report("report.html", build_report(record, dataset))

What the page holds and how it is laid out: core.reports.report_html. Here: which checkpoint
(the last kept one, or the epoch asked for), the data it is measured on (the run's own test set,
resized as the run resized it) and the measurements (confusion, per-class precision / recall /
F1, reliability, the most confident mistakes). About a second for an MLP on MNIST's 10,000 test
images; a CNN takes a few.
"""
from dataclasses import dataclass

import numpy as np

from core.data.datasets import VALID_NAMES, load_dataset
from core.data.labels import task_labels
from core.data.normalise import to_float
from core.errors import DatasetError, DigitLabError
from core.evaluation.calibration import as_class_probabilities, reliability_bins
from core.evaluation.metrics import classification_report, confusion_matrix
from core.files.model_io import load_model
from core.reports.reproduce import base_dataset_name, recorded_folder
from core.settings.config import TrainConfig
from core.storage.atomic import atomic_write
from core.training.trainers import prepare_dataset
from core.training.training_run import task_class_names

MISTAKES_SHOWN = 16


class ReportError(DigitLabError):
    """The report cannot be made (no checkpoint, data that does not fit the run)."""


@dataclass
class Measured:
    """A checkpoint measured on a test set. images: (n, H, W) uint8 as the network saw them;
    labels / predictions: (n,) task classes; probabilities: (n, k); confusion (k, k); report:
    core.evaluation.metrics.classification_report; bins: ReliabilityBins; mistakes: indices of the
    most confident wrong answers, surest first."""
    epoch: int
    network: object
    class_names: list
    images: np.ndarray
    labels: np.ndarray
    predictions: np.ndarray
    probabilities: np.ndarray
    confusion: np.ndarray
    report: dict
    bins: object
    loss: float
    mistakes: np.ndarray

    @property
    def n(self):
        return len(self.labels)

    @property
    def accuracy(self):
        return float(np.mean(self.predictions == self.labels)) if self.n else float("nan")


def dataset_for_report(settings, data_dir=None, name=None, images=None):
    """The dataset a record was trained on (settings: its settings.json dict), from data_dir, else
    the usual places, else the folder the record says it came from; DatasetError when it is in
    none of them (no quiet switch to other data). A run on a folder of images (train --images)
    reads ``images``, else the folder its record names, prepared as train prepared it."""
    name = name or base_dataset_name(settings["dataset"]["name"])
    if images is not None or name not in VALID_NAMES:
        return _image_folder(settings, images)
    try:
        dataset, _notice = load_dataset(name, data_dir, allow_fallback=False)
    except DatasetError:
        recorded = recorded_folder(settings["dataset"].get("source"))
        if data_dir is not None or recorded is None:
            raise
        dataset, _notice = load_dataset(name, recorded, allow_fallback=False)
    return dataset


def _image_folder(settings, folder):
    recorded = settings["dataset"]
    folder = folder or recorded_folder(recorded.get("source"))
    if folder is None:
        raise DatasetError(f"the run was trained on a folder of images ({recorded.get('source') or recorded['name']}), "
                           f"which is not there now; pass --images FOLDER")
    from core.drawing.image_input import load_images_for_model
    config = TrainConfig.from_dict(settings["config"])
    return load_images_for_model(folder, tuple(config.image_size) or (28, 28), seed=config.seed)


def report_epoch(record, epoch=None):
    """(epoch, checkpoint path) the report measures: ``epoch`` if kept, else the last kept one."""
    kept = {e: path for e, path in record.checkpoints.items() if e <= max(len(record.rows), 1)}
    if not kept:
        raise ReportError(f"run {record.run_id} has no checkpoint yet (a checkpoint is kept at the end of each "
                          f"epoch), so there is no network to report on")
    if epoch is None:
        epoch = max(kept)
    if epoch not in kept:
        raise ReportError(f"run {record.run_id} kept no checkpoint of epoch {epoch} (kept: "
                          f"{', '.join(str(e) for e in kept)})")
    return epoch, kept[epoch]


def measure(record, dataset, epoch=None):
    """Measured: the record's checkpoint (report_epoch) on ``dataset``'s test set, prepared as the
    run prepared its data. ReportError when the data does not fit the run's network."""
    epoch, path = report_epoch(record, epoch)
    network, _metadata = load_model(path)
    config = TrainConfig.from_dict(record.settings["config"])
    prepared = prepare_dataset(config, dataset)
    recorded = record.settings["dataset"]
    class_names = task_class_names(config, list(prepared.class_names))   # 'not 3', '3' for one digit against the rest
    if class_names != list(recorded["class_names"]) or list(prepared.image_shape) != list(recorded["image_shape"]):
        raise ReportError(f"run {record.run_id} was trained on {recorded['name']} ({len(recorded['class_names'])} "
                          f"classes, {'x'.join(map(str, recorded['image_shape']))} images); the data given is "
                          f"{dataset.name}, which does not fit it")
    images = prepared.test_images
    labels = task_labels(prepared.test_labels, config.positive_class).astype(np.int64)
    inputs = to_float(images.reshape(len(images), -1), config.normalisation, network.dtype)
    probabilities = as_class_probabilities(network.predict_proba(inputs)) if len(labels) else \
        np.zeros((0, len(class_names)))
    predictions = probabilities.argmax(axis=1)
    confusion = confusion_matrix(labels, predictions, len(class_names))
    picked = probabilities[np.arange(len(labels)), labels] if len(labels) else np.zeros(0)
    loss = float(-np.mean(np.log(np.maximum(picked, 1e-12)))) if len(labels) else float("nan")
    wrong = np.flatnonzero(predictions != labels)
    surest = wrong[np.argsort(-probabilities[wrong, predictions[wrong]], kind="stable")][:MISTAKES_SHOWN]
    return Measured(epoch, network, class_names, images, labels, predictions, probabilities, confusion,
                    classification_report(confusion, class_names), reliability_bins(probabilities, labels), loss,
                    surest)


def build_report(record, dataset, epoch=None):
    """The report of ``record`` (a core.records.reader.RunRecord) measured on ``dataset``, as
    one HTML text with every picture embedded."""
    from core.reports.report_html import render_report
    if not len(dataset.test_labels):
        raise DatasetError(f"{dataset.name} has no test set to measure the run on")
    return render_report(record, measure(record, dataset, epoch))


def write_report(path, html_text):
    """Write the page atomically (a report is whole or absent); ReportError if it cannot be written."""
    try:
        with atomic_write(path, clean_stale=True) as handle:
            handle.write(html_text.encode("utf-8"))
    except IsADirectoryError:
        raise ReportError(f"{path} is a folder; give a file name such as report.html") from None
    except OSError as error:
        raise ReportError(f"cannot write the report to {path}: {error.strerror or error}") from None
