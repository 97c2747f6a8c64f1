"""What the card and the map look at: the model the views show and its validation images.

While training that is MainWindow.state.network (a consistent copy taken between batches,
replaced, never mutated) and the run's StartSnapshot; for a loaded model the same two fields,
set by file_actions.open_model. The context is read on the GUI thread and handed to workers,
which run their own copies of the network (core.analysis.probe mutates layer buffers).
"""
from dataclasses import dataclass

import numpy as np

from core.errors import DigitLabError
from core.training.snapshots import validation_set


@dataclass
class InspectContext:
    """network: the Network (do not run it: copy it); images (n, H, W) uint8; task_labels (n,)
    the network's classes; digits (n,) the dataset's digit labels; normalisation: how the model
    reads pixels; source: a short name for titles ("model being trained, epoch 3"); class_names:
    the name of each label in ``digits`` (the digits, or a drawings project's classes)."""
    network: object
    images: np.ndarray
    task_labels: np.ndarray
    digits: np.ndarray
    normalisation: str
    source: str
    epoch: int = 0
    data_key: int = 0      # the same for the same validation set (a new one needs a new lab)
    class_names: tuple = tuple(str(d) for d in range(10))

    @property
    def names_digits(self):
        """True when the labels are the ten digits (the views then say 'digit', else 'class')."""
        return list(self.class_names) == [str(d) for d in range(10)]


def context_from_shown(shown, dataset):
    """The InspectContext of ``shown`` (gui.ground.window_services.ShownModel) on the loaded
    ``dataset``; DigitLabError saying what is missing."""
    network, info = shown.network, shown.info
    if network is None:
        raise DigitLabError("No model yet: start training or open a model file (with MNIST loaded).")
    if info is None:
        raise DigitLabError("This model has no validation images to look at: load the data it was "
                            "trained on, then open the model again.")
    images, digits = validation_set(info, dataset)
    source = shown.name if shown.name else f"model being trained, epoch {shown.epoch}"
    return InspectContext(network, images, np.asarray(info.val_labels), np.asarray(digits),
                          info.config.normalisation, source, shown.epoch, id(info.val_images),
                          label_names(info, dataset, digits))


def label_names(info, dataset, digits):
    """The names of the labels ``digits`` holds: the loaded data's classes (a one-digit-vs-rest run
    still labels its images with the ten digits), else the model's own, else the digits."""
    top = int(np.max(digits)) + 1 if len(digits) else 0
    for names in (getattr(dataset, "class_names", None), getattr(info, "class_names", None)):
        if names is not None and len(names) >= max(top, 2):
            return tuple(str(name) for name in names)
    return tuple(str(d) for d in range(max(10, top)))
