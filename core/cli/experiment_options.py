"""`train`'s experiment options: --from FILE (repeat a shared experiment) and --save-experiment
FILE (write one for the run about to start). The file: core.files.experiment_io.

train.py calls add_experiment_arguments(parser) in register() and, in run():
    experiment = open_experiment(args)                     # None without --from
    config = experiment.config if experiment else config_from_args(args)
    ...
    say_data_difference(experiment, dataset)               # on the data as loaded
    ...
    save_experiment_for(args.save_experiment, config, dataset, trainer, my_digits)
"""
import sys
from dataclasses import fields

from core.errors import ConfigError
from core.settings.config import TrainConfig
from core.files.experiment_io import data_difference, load_experiment, make_experiment, save_experiment


def add_experiment_arguments(parser):
    group = parser.add_argument_group("shareable experiments (one file: settings, seed, initial weights, data checksum)")
    group.add_argument("--from", dest="from_experiment", metavar="FILE",
                       help="train the experiment in FILE: its settings, seed and initial weights (the run repeats "
                            "bit for bit on the same data; a note says when the data differs)")
    group.add_argument("--save-experiment", metavar="FILE",
                       help="write this run's experiment file (settings, seed, initial weights, data checksum) "
                            "before training starts")


def open_experiment(args):
    """The Experiment --from names (None without it); --dataset follows the experiment unless the
    user named data. ConfigError for options that would change the run."""
    if args.from_experiment is None:
        return None
    if not args.from_experiment.strip():
        raise ConfigError("--from needs an experiment file (saved with --save-experiment or File > Save experiment…)")
    if args.resume is not None or args.fork is not None:
        raise ConfigError("--from starts the experiment from its own initial weights; it does not go with "
                          "--resume or --fork")
    typed = sorted(f.name for f in fields(TrainConfig) if getattr(args, f.name, None) is not None)
    if typed or args.preset != "default":
        changed = ", ".join(typed) or "--preset"
        raise ConfigError(f"--from trains the experiment's own settings; to change {changed}, train without --from "
                          f"(or save a new experiment with --save-experiment)")
    experiment = load_experiment(args.from_experiment)
    from core.data.datasets import VALID_NAMES
    name = experiment.dataset["name"]
    if name not in VALID_NAMES and not getattr(args, "images", None):
        raise ConfigError(f"the experiment was made on a folder of images ({name}); pass --images FOLDER")
    if args.dataset == "mnist" and not args.data and name in VALID_NAMES:   # the option's default: the experiment's
        args.dataset = name
    print(f"note: experiment {args.from_experiment}: {experiment.describe()}", file=sys.stderr)
    return experiment


def say_data_difference(experiment, dataset):
    """A note on stderr when ``dataset`` (as loaded, before any resize) is not the experiment's
    data; returns the sentence (None when the data is the same)."""
    if experiment is None:
        return None
    shape = tuple(experiment.dataset["image_shape"])
    if shape != tuple(dataset.image_shape):
        raise ConfigError(f"the experiment was made on {experiment.dataset['name']} ({shape[0]}x{shape[-1]} images); "
                          f"{dataset.name} has {dataset.image_shape[0]}x{dataset.image_shape[-1]} images, so its "
                          f"network cannot read them (pass --dataset {experiment.dataset['name']})")
    difference = data_difference(experiment, dataset)
    if difference:
        print(f"note: {difference}; the run will not repeat the experiment bit for bit", file=sys.stderr)
    else:
        print("note: same data as the experiment (checksum matches): the run repeats it bit for bit", file=sys.stderr)
    return difference


def save_experiment_for(path, config, dataset, trainer, my_digits=None):
    """Write the experiment of ``trainer`` (made, not yet run) to ``path`` (nothing without one)."""
    if not path:
        return
    save_experiment(path, make_experiment(config, dataset, trainer.network, trainer.image_shape,
                                          trainer.class_names, my_digits))
    print(f"note: experiment saved to {path} (python main.py train --from {path} repeats this run)", file=sys.stderr)
