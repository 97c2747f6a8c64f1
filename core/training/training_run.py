"""What every training loop shares: the data it trains on, the network, the history, and the
run control (core.training.run_control: pause, resume, stop, learning rate) that the loop checks
between steps.

core.training.minibatch.Trainer (mini-batch) and core.training.fullbatch.FullBatchTrainer (scipy CG / L-BFGS) both
build on this, so the CLI and the app drive either one the same way.
"""
import numpy as np

from core.data.labels import task_labels
from core.errors import ConfigError
from core.data.mixing import mix_in
from core.drawing.non_digits import NOT_A_DIGIT, check_non_digits_apply, with_non_digits
from core.data.splits import limit_training, train_val_split
from core.training.run_control import RunControl
from core.training.snapshots import StartSnapshot

HISTORY_KEYS = ("epoch", "step", "train_loss", "train_accuracy", "val_loss", "val_accuracy",
                "learning_rate", "elapsed")


def task_class_names(config, class_names):
    """Class names as the network sees them ('not 3', '3' for one digit against the rest)."""
    if config.is_binary:
        name = class_names[config.positive_class]
        return [f"not {name}", name]
    return list(class_names)


def build_network(config, n_inputs, n_classes, seed=None, image_shape=None):
    """The Network a config describes for n_inputs inputs and n_classes classes.

    config.layers (a layer stack such as 'conv16x5,pool2,dense10') needs image_shape (H, W) of
    one image; ConfigError if the stack does not fit the images or its output layer does not
    have one unit per class (one unit for one digit against the rest).
    """
    from core.nn.layer_spec import describe_stack, parse_layers
    from core.nn.network import Network
    n_outputs = 1 if config.is_binary else n_classes
    seed = config.seed if seed is None else seed
    if not config.layers:
        sizes = (n_inputs, *config.hidden_sizes, n_outputs)
        return Network(sizes, config.activation, config.loss, config.output, config.init,
                       seed=seed, init_epsilon=config.init_epsilon)
    specs = parse_layers(config.layers)
    if image_shape is None or int(np.prod(image_shape)) != n_inputs:
        side = int(round(np.sqrt(n_inputs)))
        image_shape = (side, side) if side * side == n_inputs else (n_inputs,)   # square images assumed
    describe_stack(specs, image_shape)
    if specs[-1].size != n_outputs:
        raise ConfigError(f"the output layer {specs[-1].text()} has {specs[-1].size} units but this task has "
                          f"{n_outputs} output{'s' if n_outputs > 1 else ''}; end the layers with dense{n_outputs}")
    return Network.from_layers(specs, tuple(image_shape), config.activation, config.loss, config.output,
                               config.init, seed=seed, init_epsilon=config.init_epsilon)


class TrainingRun:
    """Data, network, history and controls of one training run.

    train_images: (n_train, H, W) or (n_train, n_inputs) uint8; train_labels: (n_train,) digits.
    val_images / val_labels likewise (may be empty). A binary config (one digit against the
    rest) maps the labels to 0/1 here.
    """
    resumable = False   # True where state() / restore() give and take a TrainingState (mini-batch)


    def __init__(self, config, train_images, train_labels, val_images=None, val_labels=None,
                 class_names=None, network=None, image_shape=None):
        self.config = config.validate()
        self.image_shape = tuple(image_shape or train_images.shape[1:])
        n_inputs = int(np.prod(self.image_shape))
        self.train_images = np.ascontiguousarray(train_images).reshape(len(train_images), n_inputs)
        if len(self.train_images) == 0:
            raise ConfigError("there are no training examples left after the validation split")
        digit_names = list(class_names or [str(i) for i in range(int(np.max(train_labels)) + 1)])
        if config.is_binary and config.positive_class >= len(digit_names):
            raise ConfigError(f"positive class {config.positive_class} is not a class of this dataset")
        self.class_names = task_class_names(config, digit_names)
        self.train_labels = self._task_labels(train_labels)
        if val_images is None or len(val_images) == 0:
            val_images, val_labels = np.empty((0, n_inputs), np.uint8), np.empty(0, np.int64)
        self.val_images = np.ascontiguousarray(val_images).reshape(len(val_images), n_inputs)
        self.val_labels = self._task_labels(val_labels)
        self.network = network or build_network(config, n_inputs, len(digit_names),
                                                image_shape=self.image_shape)
        if self.network.n_inputs != n_inputs:
            raise ConfigError(f"the network takes {self.network.n_inputs} inputs but the images have {n_inputs} pixels")
        self.history = {key: [] for key in HISTORY_KEYS}
        self.step = 0
        self.control = RunControl()

    @classmethod
    def from_dataset(cls, config, dataset, network=None, my_digits=None):
        """Split the dataset's training set into train/validation (config.val_split, seed).
        my_digits: optional (images (m, 28, 28) uint8, labels (m,)) of the user's kept digits,
        mixed into the training part only with config.my_digits_weight (core.data.mixing)."""
        train_idx, val_idx = train_val_split(len(dataset.train_labels), config.val_split, config.seed)
        train_idx = limit_training(train_idx, config.train_examples, config.seed)
        train_images, train_labels = dataset.train_images[train_idx], dataset.train_labels[train_idx]
        if my_digits is not None:
            train_images, train_labels = mix_in(train_images, train_labels, *my_digits, config.my_digits_weight)
        class_names = list(dataset.class_names)
        if config.non_digits > 0:
            check_non_digits_apply(config, dataset)
            train_images, train_labels = with_non_digits(train_images, train_labels, config.non_digits,
                                                         label=len(class_names), seed=config.seed)
            class_names.append(NOT_A_DIGIT)
        return cls(config, train_images, train_labels,
                   dataset.train_images[val_idx], dataset.train_labels[val_idx],
                   class_names=class_names, network=network, image_shape=dataset.image_shape)

    def _task_labels(self, labels):
        return task_labels(labels, self.config.positive_class)

    def history_copy(self):
        return {key: list(values) for key, values in self.history.items()}

    def start_snapshot(self):
        """What a consumer in another thread needs before the first step (copies, never the
        live arrays): the task, the data shapes and the validation set the evaluations use."""
        return StartSnapshot(
            config=self.config, class_names=tuple(self.class_names), image_shape=self.image_shape,
            val_images=self.val_images.reshape(-1, *self.image_shape).copy(), val_labels=self.val_labels.copy(),
            total_steps=self.total_steps, batches_per_epoch=self.batches_per_epoch,
            uses_learning_rate=self.uses_learning_rate, network_description=self.network.describe())

    # ----- control: the run's RunControl, safe from any thread ------------------------------
    def use_control(self, control):
        """Take commands from ``control`` (made by the caller before this trainer existed, so a
        stop or a learning rate given meanwhile is not lost). Call before run()."""
        self.control = control
        return self

    def pause(self):
        self.control.pause()

    def resume(self):
        self.control.resume()

    def stop(self):
        self.control.stop()

    @property
    def is_paused(self):
        return self.control.is_paused

    @property
    def stop_requested(self):
        return self.control.stop_requested

    @property
    def base_learning_rate(self):
        """The learning rate the run control asks for, else the config's (before any schedule)."""
        rate = self.control.learning_rate
        return self.config.learning_rate if rate is None else rate

    def _wait_while_paused(self):
        """Block while paused; returns the seconds spent waiting (excluded from timings)."""
        return self.control.wait_while_paused()


def run_to_end(trainer, on_snapshot=None):
    """Drive a trainer to completion; returns the EndSnapshot. on_snapshot sees every snapshot."""
    end = None
    for snapshot in trainer.run():
        if on_snapshot is not None:
            on_snapshot(snapshot)
        end = snapshot
    return end
