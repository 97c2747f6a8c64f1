"""Training settings, declared once: the TrainConfig dataclass.

Each field is one ``setting(...)`` (core.settings.fields) carrying its label, help text,
choices or range, unit, form group and command-line flag. Everything else is derived from it:
TrainConfig.validate's messages, the `train` command's options (core.cli.train), the app's
settings form (gui.training.settings_form), the model file's metadata (to_dict) and the
settings header of the history CSV (core.files.history_csv).

To add a setting, add ONE field here, e.g.

    dropout: float = setting(0.0, label="Dropout", help="Fraction of hidden units dropped "
                             "while training.", group="network", minimum=0.0, below=1.0)

and use ``config.dropout`` where it has an effect. It then appears in the form (in its group;
"advanced" goes in the collapsible section, "run" is not shown), as ``--dropout`` on the command
line (``cli="--name"`` picks another flag, ``cli=None`` none), is checked by validate() and saved
with every model. Settings that need each other are checked in ``_check_together``. Older files
with fields that no longer exist still load: from_dict maps or ignores them.

Over 300 lines: it is the one declaration of every setting (a line or three each); the parsing
helpers above it belong to their fields.
"""
from dataclasses import dataclass

from core.data.normalise import NORMALISATIONS
from core.errors import ConfigError
from core.nn.activations import ACTIVATIONS
from core.nn.layer_spec import parse_layers
from core.nn.losses import LOSS_NAMES, OUTPUT_NAMES
from core.nn.network import INIT_SCHEMES
from core.data.augment import AugmentSettings
from core.settings.fields import setting, settings_by_name, settings_of

SAMPLING = ("shuffle", "replacement")
# Full-batch optimisers run by core.training.fullbatch (scipy.optimize); make_trainer routes them there.
# The names core/training/optim.py implements (tests/core/training/test_optim.py holds them equal).
MINI_BATCH_OPTIMIZERS = ("sgd", "momentum", "adam")
FULL_BATCH_OPTIMIZERS = ("cg", "lbfgs")
SCHEDULES = ("constant", "step", "cosine")
GRADIENT_MODES = ("backprop", "numerical")
DIGITS = tuple(range(10))


def _layers_problem(text):
    """Why a layer-stack text cannot be read, or None ('' is the MLP of hidden_sizes)."""
    if not isinstance(text, str):
        return f"must be text like conv16x5,pool2,dense10 (got {text!r})"
    try:
        if text.strip():
            parse_layers(text)
    except ConfigError as error:
        return str(error)
    return None


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


def parse_image_size(text):
    """'20x20' or '20,20' -> (20, 20); '', 'native' or '0' -> () (the data's own size)."""
    text = str(text).strip().lower()
    if text in ("", "0", "native", "none"):
        return ()
    try:
        size = tuple(int(part) for part in text.replace("×", "x").replace(",", "x").split("x"))
    except ValueError:
        size = None
    if size is None or len(size) != 2 or min(size) < 1:
        raise ConfigError(f"image size must be two whole numbers like 20x20, or native (got {text!r})")
    return size


def parse_val_split(text):
    """'0.1' -> 0.1 (a fraction); '10000' -> 10000 (a count); '1.0' stays a fraction (refused)."""
    try:
        value = float(str(text).strip())
    except ValueError:
        raise ConfigError(f"validation split must be a number (got {text!r})") from None
    return int(value) if value >= 1 and value.is_integer() and (value > 1 or str(text).strip().isdigit()) else value


def _image_size_problem(size):
    if len(size) not in (0, 2):
        return f"image size must be two numbers (height, width) or empty for the data's own size (got {list(size)})"
    return None


def _val_split_problem(value):
    if isinstance(value, float) and value >= 1 and (value == 1 or not value.is_integer()):   # 1.0: not a count
        return f"validation split must be a fraction below 1 or a whole count (got {value}; 1.0 holds out every image)"
    return None


def _mini_batch(config):
    return config.optimizer not in FULL_BATCH_OPTIMIZERS


FULL_BATCH_NOTE = "Not used by full-batch cg / lbfgs: every iteration looks at the whole training set."
LEARNING_RATE_UNUSED = ("The learning rate does not apply to full-batch CG / L-BFGS training: "
                        "a line search chooses every step's size.")


@dataclass
class TrainConfig:
    """Everything that defines a training run (the data itself excepted). See the module
    docstring for what each field's declaration gives."""
    # ----- network --------------------------------------------------------------------------
    hidden_sizes: tuple = setting(
        (128,), label="Hidden layers", group="network", minimum=1, cli="--hidden", metavar="SIZES",
        example="256,128", parse=parse_hidden_sizes, used_if=lambda config: not config.layers.strip(),
        unused_note="the layer stack replaces the hidden layers",
        help="Units in each hidden layer, input side first, e.g. 128 or 256,128 (empty or 0: no hidden layer).")
    layers: str = setting(
        "", label="Layer stack", group="network", cli="--layers", metavar="STACK",
        example="conv16x5,pool2,conv32x5,pool2,dense128,dense10", check=_layers_problem,
        help="A layer stack instead of the hidden layers, comma-separated: convFxK (F filters of KxK, "
             "'same' padding; convFxKv: 'valid'), poolK (KxK max pooling, stride K), denseN, dropoutR "
             "(e.g. dropout0.25); the last dense layer is the output, e.g. conv16x5,pool2,conv32x5,pool2,dense128,dense10. The activation follows every conv "
             "and hidden dense layer. Empty: the fully connected network of the hidden layers.")
    activation: str = setting("relu", label="Activation", group="network", choices=tuple(ACTIVATIONS),
                              help="Non-linearity of the hidden units.")
    loss: str = setting("cross_entropy", label="Loss", group="network", choices=LOSS_NAMES,
                        help="The cost minimised; binary_cross_entropy needs sigmoid outputs.")
    output: str = setting("softmax", label="Output", group="network", choices=OUTPUT_NAMES,
                          help="Output units: softmax (probabilities summing to 1) or one sigmoid per class.")
    # ----- optimiser ------------------------------------------------------------------------
    optimizer: str = setting(
        "momentum", label="Optimiser", group="optimiser", choices=MINI_BATCH_OPTIMIZERS + FULL_BATCH_OPTIMIZERS,
        help="sgd / momentum / adam: mini-batch training. cg / lbfgs: full-batch conjugate gradient or "
             "L-BFGS (scipy), a line search picks each step.")
    learning_rate: float = setting(
        0.2, label="Learning rate", group="optimiser", above=0.0, below=1e4, cli="--lr", metavar="RATE",
        live=True, used_if=_mini_batch, unused_note=LEARNING_RATE_UNUSED,
        help="Step size of each update. Can be changed while training runs (press Enter).")
    schedule: str = setting("cosine", label="Schedule", group="optimiser", choices=SCHEDULES,
                            used_if=_mini_batch, unused_note=FULL_BATCH_NOTE,
                            help="How the learning rate changes: constant, step (times gamma every few "
                                 "epochs) or cosine (down to 0 by the end).")
    batch_size: int = setting(128, label="Batch size", group="optimiser", minimum=1,
                              unit="images", metavar="N", used_if=_mini_batch, unused_note=FULL_BATCH_NOTE,
                              help="Examples per gradient step.")
    epochs: int = setting(5, label="Epochs", group="optimiser", minimum=0, maximum=100000, metavar="N",
                          used_if=lambda c: c.iterations == 0,
                          unused_note="Not used: Iterations is set, so training runs that many batches.",
                          help="Passes over the training set.")
    iterations: int = setting(
        0, label="Iterations", group="optimiser", minimum=0, maximum=10_000_000, unit="steps", metavar="N",
        names={0: "0 (use epochs)"},
        help="Batches in all (full-batch: optimiser iterations). When > 0 they replace epochs; an epoch "
             "is then n_train / batch size batches.")
    l2: float = setting(0.0, label="L2 strength", group="optimiser", minimum=0.0, metavar="LAMBDA",
                        help="Weight decay λ: cost += λ / (2 n_train) · sum(W²); biases are not regularised.")
    # ----- data -----------------------------------------------------------------------------
    val_split: float = setting(
        0.1, label="Validation split", group="data", minimum=0, metavar="V", parse=parse_val_split,
        check=_val_split_problem,
        help="Held out of the training set: a fraction (0.1) or a number of examples (10000).")
    train_examples: int = setting(
        0, label="Training examples", group="data", minimum=0, maximum=10_000_000, metavar="N",
        names={0: "0 (all)"},
        help="Train on only N of the training images (a seeded random choice; validation is unchanged); "
             "0 = all. A small training set shows overfitting: training accuracy climbs, validation stays behind.")
    normalisation: str = setting("zero_one", label="Normalisation", group="data", choices=tuple(NORMALISATIONS),
                                 help="Pixel scaling: zero_one ([0, 1] inputs) or minus_one_one ([-1, 1]).")
    positive_class: int = setting(
        -1, label="Positive class", group="data", choices=(-1,) + DIGITS, metavar="DIGIT",
        names={-1: "none (all classes)", **{d: f"{d} against the rest" for d in DIGITS}},
        help="Train 'this digit against the rest' with one sigmoid output unit; -1 for all classes.")
    seed: int = setting(0, label="Seed", group="data", minimum=0, below=2 ** 32,
                        help="Seeds the weights, the validation split and the batch order.")
    my_digits_weight: float = setting(
        0.0, label="My digits weight", group="data", minimum=0.0, maximum=0.5,
        help="Mix your own kept digits (Draw tab, My digits) into training: the fraction of the training "
             "set they make up, by repeating them; training from the command line uses the same kept digits. "
             "0 = off. Validation stays MNIST.")
    non_digits: float = setting(
        0.0, label="Not-a-digit class", group="data", minimum=0.0, maximum=0.5,
        help="Teach the network to answer 'not a digit': an 11th class of generated scribbles, dashes, dots, "
             "crosses, shapes and letters makes up this fraction of the training set, and the layers end with "
             "dense11. 0 = off. For the ten digits in 28x28 images; validation stays MNIST.")
    # ----- advanced (the collapsible part of the form) --------------------------------------
    sampling: str = setting(
        "shuffle", label="Sampling", group="advanced", choices=SAMPLING, used_if=_mini_batch,
        unused_note=FULL_BATCH_NOTE,
        help="shuffle: every epoch visits each example once. replacement: every batch is drawn at "
             "random (use with Iterations).")
    momentum: float = setting(0.9, label="Momentum", group="advanced", minimum=0.0, below=1.0, metavar="MU",
                              used_if=lambda c: c.optimizer == "momentum",
                              unused_note="Only used by the 'momentum' optimiser.",
                              help="Momentum coefficient μ of the 'momentum' optimiser.")
    step_epochs: int = setting(1, label="Step every", group="advanced", minimum=1, maximum=10000, unit="epochs",
                               metavar="N", names={1: "1 epoch"}, used_if=lambda c: c.schedule == "step" and _mini_batch(c),
                               unused_note="Only used by the 'step' schedule.",
                               help="The step schedule multiplies the learning rate by gamma every N epochs.")
    step_gamma: float = setting(0.5, label="Step gamma", group="advanced", above=0.0, maximum=1.0,
                                metavar="GAMMA", used_if=lambda c: c.schedule == "step" and _mini_batch(c),
                                unused_note="Only used by the 'step' schedule.",
                                help="Gamma: the step schedule multiplies the learning rate by it every few epochs.")
    init: str = setting("auto", label="Initialisation", group="advanced", choices=INIT_SCHEMES,
                        help="Initial weights. auto: He for ReLU, Xavier otherwise; small: 0.01 N(0, 1); "
                             "uniform: U(-ε, ε) as in Andrew Ng's ex4.")
    init_epsilon: float = setting(0.12, label="Init ε", group="advanced", above=0.0, metavar="EPS",
                                  used_if=lambda c: c.init == "uniform",
                                  unused_note="Only used by the 'uniform' initialisation.",
                                  help="ε of the uniform initialisation U(-ε, ε).")
    image_size: tuple = setting(
        (), label="Image size", group="advanced", minimum=1, unit="pixels", metavar="HxW",
        parse=parse_image_size, check=_image_size_problem,
        names={(): "native (as loaded)", (20, 20): "20×20 (ex4)", (14, 14): "14×14", (8, 8): "8×8"},
        help="Images are area-downscaled to this size before training, e.g. 20x20 as in ex4 "
             "(the Draw tab then prepares drawings the same way); empty or native: as loaded.")
    gradients: str = setting(
        "backprop", label="Gradients", group="advanced", choices=GRADIENT_MODES,
        help="numerical: central differences, two forward passes per parameter (tiny networks only; "
             "a lesson in why backprop matters).")
    track_test: bool = setting(
        False, label="Record test accuracy each epoch", group="advanced",
        help="Evaluate the test set after every epoch: a 'test (epoch)' curve in the accuracy plot "
             "(costs one pass over the test set per epoch).")
    test_time_turns: float = setting(
        0.0, label="Test-time turns", group="advanced", minimum=0.0, maximum=30.0, unit="°",
        help="Test-time augmentation: the saved model reads every image three times, as it is and turned this many "
             "degrees each way, and averages the three answers (the Draw tab, predict and evaluate do). 0 = off.")
    # ----- run (set by the program; not in the form) ----------------------------------------
    snapshot_every: int = setting(20, label="Snapshot every", group="run", minimum=1, unit="batches", cli=None,
                                  help="How often the trainer reports progress.")
    on_divergence: str = setting("stop", label="On divergence", group="run", choices=("stop", "pause"), cli=None,
                                 help="What a diverging run does: stop (the command line) or pause (the app).")

    # Augmentation of training batches (core.data.augment.AugmentSettings, names without the
    # augment_ prefix); 0 = off, the default of every classic preset.
    augment_shift: float = setting(0.0, label="Shift", group="augmentation", minimum=0.0, maximum=14.0,
                                   unit="px", help="Largest random shift of a training image, each axis.")
    augment_rotation: float = setting(0.0, label="Rotation", group="augmentation", minimum=0.0, maximum=180.0,
                                      unit="°", help="Largest random rotation of a training image.")
    augment_scale: float = setting(0.0, label="Scale", group="augmentation", minimum=0.0, maximum=0.9,
                                   help="Largest relative size change (0.1: between 90% and 110%).")
    augment_shear: float = setting(0.0, label="Shear", group="augmentation", minimum=0.0, maximum=60.0,
                                   unit="°", help="Largest horizontal shear angle.")
    augment_elastic_alpha: float = setting(0.0, label="Elastic strength", group="augmentation", minimum=0.0,
                                           maximum=100.0, unit="px", help="Strength of the elastic distortion "
                                           "(Simard, Steinkraus and Platt 2003); 0 turns it off.")
    augment_elastic_sigma: float = setting(4.0, label="Elastic smoothness", group="augmentation", minimum=0.5,
                                           maximum=20.0, unit="px", help="Smoothness of the elastic distortion "
                                           "field (Gaussian sigma).")
    augment_thickness: float = setting(0.0, label="Thickness", group="augmentation", minimum=0.0, maximum=1.0,
                                       help="Largest stroke thickness change (a fraction of one pixel per side, "
                                            "thinner or thicker at random).")
    augment_aspect: float = setting(0.0, label="Width", group="augmentation", minimum=0.0, maximum=0.9,
                                    help="Largest relative width change alone (narrow or wide writing).")
    augment_styles: float = setting(0.0, label="Writing styles", group="augmentation", minimum=0.0, maximum=1.0,
                                    help="Share of 1s, 7s, 0s, 9s and 6s written in styles MNIST has few of: a 1 "
                                         "with a lead-in stroke, a crossed 7 or one with a curled foot, a slashed "
                                         "0, a 9 hooked like a g, a 6 with a larger loop (digit tasks only).")

    def validate(self):
        """Raise ConfigError naming the first setting that is out of range; return self."""
        for info in settings_of(type(self)):
            message = info.problem(getattr(self, info.name))
            if message:
                raise ConfigError(message)
        self._check_together()
        return self

    def _check_together(self):
        """Rules that involve more than one setting."""
        if self.augmentation.enabled and self.optimizer in FULL_BATCH_OPTIMIZERS:
            raise ConfigError(f"augmentation works batch by batch: choose a mini-batch optimizer, not "
                              f"{self.optimizer}, or set the augmentation strengths to 0")
        if self.epochs < 1 and self.iterations < 1:
            raise ConfigError("train for at least one epoch or iteration")
        if self.loss == "binary_cross_entropy" and self.output != "sigmoid":
            raise ConfigError("binary cross-entropy needs a sigmoid output")
        if self.positive_class >= 0 and self.output != "sigmoid":
            raise ConfigError("one digit against the rest needs a sigmoid output unit: use --preset "
                              "logistic-one-digit, or add --output sigmoid --loss binary_cross_entropy")

    @property
    def augmentation(self):
        """The augmentation strengths as core.data.augment.AugmentSettings."""
        return AugmentSettings.from_mapping(self.to_dict())

    @property
    def is_binary(self):
        return self.positive_class >= 0

    def differs_from_default(self, name):
        return getattr(self, name) != settings_by_name(type(self))[name].default

    def to_dict(self):
        """Every setting by name, JSON-ready (tuples as lists): the model file's 'config'."""
        return {info.name: list(value) if isinstance(value, tuple) else value
                for info in settings_of(type(self)) for value in [getattr(self, info.name)]}

    @classmethod
    def from_dict(cls, data):
        """Build from a dict saved by this or an earlier version: unknown keys are ignored, and
        the old untyped ``extra`` dict (image_size, gradients, track_test) maps onto the fields."""
        data = dict(data)
        legacy = data.pop("extra", None) or {}
        if isinstance(legacy, dict):
            for key in ("image_size", "gradients", "track_test"):
                if key in legacy and key not in data:
                    data[key] = legacy[key] if legacy[key] is not None else ()
        known = settings_by_name(cls)
        return cls(**{name: known[name].from_json(value) for name, value in data.items() if name in known})
