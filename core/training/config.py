"""Training settings: one dataclass shared by the command line, the app and the presets."""
from dataclasses import asdict, dataclass, field, fields

from core.nn.activations import ACTIVATIONS
from core.errors import ConfigError
from core.nn.losses import LOSS_NAMES, OUTPUT_NAMES
from core.nn.network import INIT_SCHEMES
from core.data.augment import AugmentSettings
from core.data.normalise import NORMALISATIONS
from core.training.optim import OPTIMIZERS, SCHEDULES

SAMPLING = ("shuffle", "replacement")
# Full-batch optimisers run by core.training.fullbatch (scipy.optimize); make_trainer routes them there.
FULL_BATCH_OPTIMIZERS = ("cg", "lbfgs")


def _augmentation(help_text):
    return {"group": "augmentation", "help": help_text}


@dataclass
class TrainConfig:
    """Everything that defines a training run (the data itself excepted).

    val_split is a fraction of the training set (0.1) or a count of examples (10000).
    iterations, when set, replaces epochs: that many batches in all, and an "epoch" is then
    n_train / batch_size batches (an epoch-equivalent, for sampling with replacement).
    l2 is lambda in cost += lambda / (2 n_train) * sum(W**2).
    positive_class turns the task into "this digit against the rest" with one sigmoid unit.
    """
    hidden_sizes: tuple = (128,)
    activation: str = "relu"
    loss: str = "cross_entropy"
    output: str = "softmax"
    init: str = "auto"
    init_epsilon: float = 0.12
    optimizer: str = "momentum"
    momentum: float = 0.9
    learning_rate: float = 0.2
    schedule: str = "cosine"
    step_epochs: int = 1
    step_gamma: float = 0.5
    batch_size: int = 128
    epochs: int = 5
    iterations: int = 0
    sampling: str = "shuffle"
    l2: float = 0.0
    seed: int = 0
    val_split: float = 0.1
    normalisation: str = "zero_one"
    positive_class: int = -1
    snapshot_every: int = 20
    on_divergence: str = "stop"
    # group 'augmentation' (core.data.augment.AugmentSettings, names without the augment_ prefix):
    # strengths of on-the-fly augmentation of training batches; 0 = off, the default everywhere.
    augment_shift: float = field(default=0.0, metadata=_augmentation("largest shift, pixels"))
    augment_rotation: float = field(default=0.0, metadata=_augmentation("largest rotation, degrees"))
    augment_scale: float = field(default=0.0, metadata=_augmentation("largest relative size change"))
    augment_shear: float = field(default=0.0, metadata=_augmentation("largest shear, degrees"))
    augment_elastic_alpha: float = field(default=0.0, metadata=_augmentation("elastic distortion strength, pixels"))
    augment_elastic_sigma: float = field(default=4.0, metadata=_augmentation("elastic distortion smoothness, pixels"))
    augment_thickness: float = field(default=0.0, metadata=_augmentation("largest stroke thickness change, 0-1"))
    extra: dict = field(default_factory=dict)

    def validate(self):
        """Raise ConfigError naming the first setting that is out of range."""
        def check(ok, message):
            if not ok:
                raise ConfigError(message)

        def choice(value, options, what):
            check(value in options, f"{what} must be one of {', '.join(options)} (got {value!r})")

        check(all(isinstance(h, int) and h >= 1 for h in self.hidden_sizes),
              f"hidden layer sizes must be whole numbers >= 1 (got {self.hidden_sizes})")
        choice(self.activation, tuple(ACTIVATIONS), "activation")
        choice(self.loss, LOSS_NAMES, "loss")
        choice(self.output, OUTPUT_NAMES, "output")
        choice(self.init, INIT_SCHEMES, "initialisation")
        choice(self.optimizer, tuple(OPTIMIZERS) + FULL_BATCH_OPTIMIZERS, "optimizer")
        choice(self.schedule, SCHEDULES, "schedule")
        choice(self.sampling, SAMPLING, "sampling")
        choice(self.normalisation, tuple(NORMALISATIONS), "normalisation")
        choice(self.on_divergence, ("stop", "pause"), "on_divergence")
        check(self.learning_rate > 0 and self.learning_rate < 1e4,
              f"learning rate must be > 0 and < 10000 (got {self.learning_rate})")
        check(0 <= self.momentum < 1, f"momentum must be in [0, 1) (got {self.momentum})")
        check(self.batch_size >= 1, f"batch size must be >= 1 (got {self.batch_size})")
        check(self.epochs >= 1 or self.iterations >= 1, "train for at least one epoch or iteration")
        check(self.iterations >= 0, f"iterations must be >= 0 (got {self.iterations})")
        check(self.l2 >= 0, f"L2 strength must be >= 0 (got {self.l2})")
        check(isinstance(self.seed, int) and 0 <= self.seed < 2 ** 32, f"seed must be a whole number >= 0 (got {self.seed})")
        check(self.positive_class >= -1, f"the positive class must be a digit, or -1 for all classes (got {self.positive_class})")
        check(self.val_split >= 0, f"validation split must be >= 0 (got {self.val_split})")
        check(self.snapshot_every >= 1, "snapshot_every must be >= 1")
        check(self.init_epsilon > 0, "init_epsilon must be > 0")
        check(self.step_epochs >= 1 and 0 < self.step_gamma <= 1, "step schedule needs step_epochs >= 1 and 0 < gamma <= 1")
        augmentation = AugmentSettings.from_mapping(self.to_dict())   # ConfigError naming a strength out of range
        check(not (augmentation.enabled and self.optimizer in FULL_BATCH_OPTIMIZERS),
              f"augmentation works batch by batch: choose a mini-batch optimizer, not {self.optimizer}, "
              "or set the augmentation strengths to 0")
        if self.loss == "binary_cross_entropy":
            check(self.output == "sigmoid", "binary cross-entropy needs a sigmoid output")
        if self.positive_class >= 0:
            check(self.output == "sigmoid", "one digit against the rest needs a sigmoid output unit: use "
                  "--preset logistic-one-digit, or add --output sigmoid --loss binary_cross_entropy")
        return self

    @property
    def augmentation(self):
        """The augmentation strengths as core.data.augment.AugmentSettings."""
        return AugmentSettings.from_mapping(self.to_dict())

    @property
    def is_binary(self):
        return self.positive_class >= 0

    def to_dict(self):
        data = asdict(self)
        data["hidden_sizes"] = list(self.hidden_sizes)
        return data

    @classmethod
    def from_dict(cls, data):
        """Build from a dict, ignoring unknown keys (settings saved by another version)."""
        known = {f.name for f in fields(cls)}
        kwargs = {k: v for k, v in dict(data).items() if k in known}
        if "hidden_sizes" in kwargs:
            kwargs["hidden_sizes"] = tuple(int(h) for h in kwargs["hidden_sizes"])
        return cls(**kwargs)


def parse_hidden_sizes(text):
    """'256,128' -> (256, 128); '' or '0' -> () (no hidden layer). ConfigError if malformed."""
    text = str(text).strip()
    if text in ("", "0", "none"):
        return ()
    try:
        sizes = tuple(int(part) for part in text.replace(" ", "").split(",") if part)
    except ValueError:
        raise ConfigError(f"hidden layer sizes must be whole numbers separated by commas, like 256,128 (got {text!r})") from None
    if any(s < 1 for s in sizes):
        raise ConfigError(f"hidden layer sizes must be >= 1 (got {text!r})")
    return sizes
