"""What the training loop reports: immutable records holding copies, never live arrays.

The GUI receives these across threads by reference, so nothing here may alias an array the
trainer goes on mutating.
"""
from dataclasses import dataclass, field
from typing import Optional

import numpy as np

from core.data.splits import train_val_split


@dataclass(frozen=True)
class LayerStats:
    """Per weight matrix: root-mean-square of weights and of the last gradient, and the
    ratio |update| / |weights| of the last optimiser step (about 1e-3 is healthy)."""
    name: str
    weight_rms: float
    grad_rms: float
    update_ratio: float


@dataclass(frozen=True)
class BatchSnapshot:
    kind = "batch"
    step: int                 # optimisation steps done so far (1-based)
    epoch: int                # 0-based epoch the batch belongs to
    batch: int                # 1-based batch index within the epoch
    batches_per_epoch: int
    total_steps: int
    batch_loss: float         # mean cost of the last batch (L2 term included)
    batch_accuracy: float     # accuracy on the last batch, before the step
    mean_loss: float          # mean over the batches since the previous snapshot
    mean_accuracy: float
    learning_rate: float
    samples_per_second: float # since the previous snapshot, pauses excluded
    elapsed: float            # training seconds, pauses excluded
    layer_stats: tuple = ()
    network: Optional[object] = None   # a Network copy, now and then, for the drawing canvas


@dataclass(frozen=True)
class EpochSnapshot:
    kind = "epoch"
    epoch: int                # 0-based epoch just finished
    step: int
    train_loss: float         # mean over the epoch's batches (weights moved during the epoch)
    train_accuracy: float
    val_loss: float           # on the whole validation set after the epoch (nan if none)
    val_accuracy: float
    val_confusion: np.ndarray # (n_classes, n_classes) int64; rows true, columns predicted
    val_predictions: np.ndarray  # (n_val,) predicted class per validation example
    first_layer_weights: np.ndarray  # (n_units, H, W) float32 copy; conv first layer: (C_out*C_in, k, k)
    learning_rate: float
    samples_per_second: float # over the epoch
    elapsed: float
    network: object = None    # Network copy after the epoch
    history: dict = field(default_factory=dict)
    val_probabilities: np.ndarray = None   # (n_val, n_classes) the validation probabilities behind
                                           # the predictions (the record's calibration reads them)


@dataclass(frozen=True)
class EndSnapshot:
    """The last thing a run yields. reason: 'finished', 'stopped' or 'diverged'."""
    kind = "end"
    reason: str
    message: str
    step: int
    epoch: int
    elapsed: float
    samples_per_second: float
    network: object = None
    history: dict = field(default_factory=dict)


@dataclass(frozen=True)
class DivergedSnapshot:
    """The loss became NaN/inf; the weights were restored to the last good checkpoint and the
    run is paused (on_divergence='pause'), waiting for a lower learning rate and resume()."""
    kind = "diverged"
    message: str
    step: int
    epoch: int
    learning_rate: float
    suggested_learning_rate: float


@dataclass(frozen=True)
class StartSnapshot:
    """The first thing a consumer in another thread receives (TrainingRun.start_snapshot): what
    it needs to label and lay out the views, as copies. No live trainer crosses threads."""
    kind = "start"
    config: object                   # the run's TrainConfig
    class_names: tuple               # the task's names ('not 3', '3' for one digit against the rest)
    image_shape: tuple               # (H, W) of the images the network sees
    val_images: np.ndarray           # (n_val, H, W) uint8 copy of the validation images
    val_labels: np.ndarray           # (n_val,) int64 task labels
    total_steps: int
    batches_per_epoch: int
    uses_learning_rate: bool         # False for full-batch CG / L-BFGS (a line search picks steps)
    network_description: str = ""


def validation_set(trainer, dataset):
    """(images (n, H, W) uint8, digit labels (n,)) a trainer validates on. A one-digit-against-
    the-rest trainer keeps only 0/1 labels, so its digits are taken from the dataset's split."""
    images = trainer.val_images.reshape(-1, *trainer.image_shape)
    if not trainer.config.is_binary or dataset is None:
        return images, trainer.val_labels
    _, val_idx = train_val_split(len(dataset.train_labels), trainer.config.val_split, trainer.config.seed)
    return images, dataset.train_labels[val_idx]
