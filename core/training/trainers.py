"""One entry point that turns (config, dataset) into something with ``run()`` yielding snapshots.

Callers (CLI, app) use make_trainer so that set-ups needing another loop (full-batch scipy
optimisers, numerical gradients) or prepared data (downscaled images) work everywhere alike.

Settings that change the data or the loop:
  image_size (h, w)           the images are area-downscaled to h x w first (ex4's 20x20)
  gradients 'numerical'       gradients by central differences (tiny networks only; teaching)
  optimizer 'cg' / 'lbfgs'    the full-batch trainer (core.training.fullbatch)

Every trainer returned has the same surface: run(), pause(), resume(), stop(),
set_learning_rate(), is_paused, history, network, val_images, val_labels, class_names,
image_shape, config, total_steps. Pass test_images/test_labels to have every epoch's history
entry include test_loss and test_accuracy (as in tutorials that print train and test accuracy
once per epoch).
"""
import numpy as np

from core.data.transforms import downscale, resize_to
from core.errors import ConfigError
from core.evaluation.evaluate import evaluate_inputs
from core.training.fullbatch import FullBatchTrainer, is_full_batch
from core.training.memory_check import check_dataset_memory
from core.data.normalise import to_float
from core.nn.numerical_training import NumericalGradientNetwork
from core.training.minibatch import Trainer
from core.training.training_run import build_network



def image_size(config):
    """The (h, w) a config wants its images resized to, or None for the data's own size."""
    return tuple(config.image_size) or None


def prepare_dataset(config, dataset):
    """The dataset as this config needs it (downscaled to config.image_size); the same object
    if nothing changes, so calling it twice is harmless. ConfigError, before anything is
    allocated, when the resized data and the network cannot fit in memory (core.training.memory_check)."""
    check_dataset_memory(config, dataset)
    return downscale(dataset, config.image_size)


class EvaluatingTrainer(Trainer):
    """A Trainer that also evaluates a test set after every epoch (history: test_loss, test_accuracy).

    Binary configs map the test labels to 0/1 like the training labels, so the test
    confusion is 2x2.
    """

    def attach_test_set(self, test_images, test_labels):
        self.test_images = np.ascontiguousarray(test_images).reshape(len(test_images), -1)
        self.test_labels = self._task_labels(test_labels)
        self.history.setdefault("test_loss", [])
        self.history.setdefault("test_accuracy", [])
        self._test_inputs = None

    def extra_epoch_metrics(self):
        if self._test_inputs is None:
            self._test_inputs = to_float(self.test_images, self.config.normalisation, self.network.dtype)
        loss, accuracy, _, _ = evaluate_inputs(self.network, self._test_inputs, self.test_labels,
                                               len(self.class_names), self.config.l2, len(self.train_labels))
        return {"test_loss": loss, "test_accuracy": accuracy}


def make_trainer(config, dataset, network=None, test_images=None, test_labels=None, my_digits=None, state=None):
    """A trainer for the config on the dataset's training set (split by config.val_split).

    Routes optimizer 'cg' / 'lbfgs' to core.training.fullbatch.FullBatchTrainer and
    gradients 'numerical' to a Trainer whose network differentiates numerically
    (ConfigError for networks over core.nn.numerical_training.MAX_NUMERICAL_PARAMS parameters).
    test_images (n_test, H, W) uint8 / test_labels (n_test,) digits: optional; when given they
    are prepared like the dataset (e.g. downscaled) and evaluated after every epoch.
    my_digits (images (m, 28, 28) uint8, labels (m,)): optional; mixed into the training part with
    config.my_digits_weight (core.data.mixing), resized like the dataset.
    state (a TrainingState): the trainer continues from it (Trainer.restore; ConfigError for a
    full-batch trainer, which keeps no state between runs).
    """
    trainer = _make_trainer(config, dataset, network, test_images, test_labels, my_digits)
    if state is not None:
        if not trainer.resumable:
            raise ConfigError("only mini-batch training (sgd, momentum, adam) can be continued")
        trainer.restore(state)
    return trainer


def _make_trainer(config, dataset, network, test_images, test_labels, my_digits):
    config.validate()
    dataset = prepare_dataset(config, dataset)
    if config.gradients == "numerical":
        if is_full_batch(config):
            raise ConfigError("numerical gradients are for the mini-batch trainer; choose sgd, momentum or adam")
        if network is None:
            n_classes = len(dataset.class_names)
            network = build_network(config, dataset.n_inputs, n_classes, image_shape=dataset.image_shape)
        network = NumericalGradientNetwork.from_network(network)   # refuses big networks
    if is_full_batch(config):
        trainer = FullBatchTrainer.from_dataset(config, dataset, network=network, my_digits=my_digits)
    elif test_images is not None:
        trainer = EvaluatingTrainer.from_dataset(config, dataset, network=network, my_digits=my_digits)
    else:
        return Trainer.from_dataset(config, dataset, network=network, my_digits=my_digits)
    if test_images is not None:
        trainer.attach_test_set(resize_to(test_images, config.image_size), test_labels)
    return trainer
