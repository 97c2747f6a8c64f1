"""`python main.py train`: train a network, report test metrics, optionally save the model."""
import argparse
import os
import sys
import tempfile
from dataclasses import replace

from core.storage.atomic import NotARegularFileError, writable_target
from core.cli.signals import raise_if_signalled, stop_runs_on_signal
from core.cli.common import add_data_arguments, load_data, print_json
from core.cli.train_images import add_image_arguments, images_setup, load_training_data, start_network
from core.cli.record_options import add_run_arguments, apply_run_arguments
from core.cli.experiment_options import (add_experiment_arguments, open_experiment, save_experiment_for,
                                         say_data_difference)
from core.settings.config import TrainConfig
from core.settings.fields import settings_of
from core.errors import ConfigError, ModelFileError
from core.evaluation.evaluate import evaluate_network
from core.evaluation.metrics import format_report
from core.files.model_io import model_metadata
from core.settings.presets import PRESETS, get_preset
from core.data.my_digits.store import MyDigits
from core.training.trainers import prepare_dataset
from core.training_process.job import RunJob, build_trainer


def add_setting_arguments(parser):
    """One option per declared TrainConfig setting that has a flag (core.settings.config), in
    declaration order. Every option defaults to None, so only what the user typed overrides the
    preset. Whole numbers and plain numbers are parsed by argparse (its one-line message names
    the option); the rest by the setting's own parser in config_from_args."""
    for info in settings_of(TrainConfig):
        flag = info.cli_flag()
        if flag is None:
            continue
        options = {"dest": info.name, "default": None, "help": info.help_text().replace("%", "%%")}
        if info.type is bool:
            options["action"] = argparse.BooleanOptionalAction
        else:
            options["metavar"] = info.metavar or info.name.upper()
            if info.parse is None and info.type in (int, float):
                options["type"] = info.type
        parser.add_argument(flag, **options)


def register(subparsers):
    p = subparsers.add_parser("train", help="train a network", description="Train a network on a dataset and "
                              "report its test accuracy. Options override the chosen preset.")
    add_data_arguments(p)
    add_image_arguments(p)
    p.add_argument("--preset", default="default", help=f"starting set-up: {', '.join(PRESETS)}")
    add_setting_arguments(p)
    p.add_argument("--out", metavar="MODEL.npz", help="save the trained model here")
    p.add_argument("--json", action="store_true", help="make the last stdout line a JSON summary")
    p.add_argument("--report", action="store_true", help="print the per-class test report")
    add_run_arguments(p)
    add_experiment_arguments(p)
    p.set_defaults(run=run)


def config_from_args(args):
    """The preset's TrainConfig with the options the user gave applied (validated)."""
    config = get_preset(args.preset).config
    changes = {}
    for info in settings_of(TrainConfig):
        value = getattr(args, info.name, None) if info.cli_flag() else None
        if value is not None:
            changes[info.name] = info.from_text(value) if isinstance(value, str) else value
    return replace(config, **changes).validate()


class ProgressPrinter:
    """Turns snapshots into a tqdm bar and one line per epoch on stderr."""

    def __init__(self, total_steps, enabled=True):
        from tqdm import tqdm
        self.bar = tqdm(total=total_steps, unit="batch", file=sys.stderr, disable=not enabled,
                        dynamic_ncols=True, leave=False)
        self.enabled = enabled

    def __call__(self, snapshot):
        if snapshot.kind == "batch":
            self.bar.update(snapshot.step - self.bar.n)
            figures = {"loss": f"{snapshot.mean_loss:.4f}", "acc": f"{snapshot.mean_accuracy:.3f}"}
            if snapshot.learning_rate > 0:   # full-batch optimisers have no learning rate
                figures["lr"] = f"{snapshot.learning_rate:.3g}"
            figures["sps"] = f"{snapshot.samples_per_second:,.0f}"
            self.bar.set_postfix(figures)
        elif snapshot.kind == "epoch":
            self.bar.update(snapshot.step - self.bar.n)
            test = snapshot.history.get("test_accuracy")
            self.bar.write(f"epoch {snapshot.epoch + 1}: train loss {snapshot.train_loss:.4f} acc "
                           f"{snapshot.train_accuracy:.4f} | val loss {snapshot.val_loss:.4f} acc "
                           f"{snapshot.val_accuracy:.4f}" + (f" | test acc {test[-1]:.4f}" if test else "")
                           + f" | {snapshot.samples_per_second:,.0f} samples/s", file=sys.stderr)
        elif snapshot.kind in ("end", "diverged"):
            self.bar.close()


def check_output_path(path, option="--out"):
    """ModelFileError now, before training, if the model could not be saved there later
    (creates the folder, and writes and removes a probe file in it)."""
    if not path:
        return
    if os.path.isdir(path):
        raise ModelFileError(f"{option} {path} is a folder; give a file name such as {os.path.join(path, 'model.npz')}")
    try:
        path = writable_target(path)   # a symlink is written through; a FIFO or a device is refused now
    except NotARegularFileError as error:
        raise ModelFileError(f"{option} {error}") from None
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise ModelFileError(f"{option} {path}: cannot write in {folder} ({error.strerror or error})") from None


def check_split_fits(config, dataset):
    """A clear message when a preset's validation count does not fit a small dataset."""
    n = len(dataset.train_labels)
    if config.val_split >= 1 and config.val_split >= n:
        raise ConfigError(f"the validation split holds out {int(config.val_split):,} examples but {dataset.name} has "
                          f"only {n:,} training images; pass e.g. --val-split 0.1 (this set-up expects MNIST)")


def kept_digits(weight, store=None):
    """The user's kept digits (app, Draw tab) to mix in with ``weight``, or None; says so on
    stderr when a weight is asked for but nothing is kept (the run trains without them)."""
    if weight <= 0:
        return None
    store = store or MyDigits()
    images, labels = store.load()
    if not len(labels):
        print(f"warning: --my-digits-weight {weight:g} has no effect: no digits are kept in {store.folder} "
              f"(keep some on the app's Draw tab)", file=sys.stderr)
        return None
    return images, labels


def run(args):
    experiment = open_experiment(args)   # --from FILE: its settings, seed and initial weights
    session = apply_run_arguments(args, experiment.config if experiment else images_setup(args, config_from_args(args)))
    config = session.config
    check_output_path(args.out)
    check_output_path(args.save_experiment, "--save-experiment")
    if args.save_experiment and session.plan is not None:
        raise ConfigError("--save-experiment records a run from its initial weights; it does not go with "
                          "--resume or --fork")
    if config.on_divergence != "stop":
        config = replace(config, on_divergence="stop")   # nobody is there to lower the rate
    loaded = load_training_data(args, config, load_data)   # --images DIR, else --data / --dataset
    say_data_difference(experiment, loaded)   # the checksum is of the data as loaded, before any resize
    dataset = prepare_dataset(config, loaded)
    check_split_fits(config, dataset)
    track_test = config.track_test
    mine = experiment.my_digits if experiment else kept_digits(config.my_digits_weight)
    network = experiment.network if experiment else session.network
    # --images: batches fit a small folder; --start-from: a model's conv layers and their settings
    network, config = start_network(args, session, config, dataset, network, replaying=experiment is not None)
    # the app's training process builds its trainer with the same function (one code path)
    trainer = build_trainer(RunJob(config, dataset, network=network, with_test=track_test, my_digits=mine),
                            dataset)
    save_experiment_for(args.save_experiment, config, loaded, trainer, mine)
    printer = ProgressPrinter(trainer.total_steps, enabled=sys.stderr.isatty() or not args.json)
    end = None
    with stop_runs_on_signal(trainer.stop):   # SIGTERM / Ctrl-C: the run stops between batches
        for snapshot in session.run(trainer, dataset):
            printer(snapshot)
            end = snapshot
    printer.bar.close()
    raise_if_signalled()   # the record is marked 'stopped'; nothing is saved to --out
    if end.reason == "diverged":
        print(f"error: {end.message} Nothing was saved.", file=sys.stderr)
        if args.json:
            print_json({"reason": "diverged", "message": end.message})
        return 1
    network = end.network
    # read as the saved model will be read (test-time turns included: core.drawing.test_time)
    test = evaluate_network(network, dataset.test_images, dataset.test_labels, trainer.class_names,
                            config.normalisation, config.positive_class,
                            metadata={"config": config.to_dict(), "input_shape": list(trainer.image_shape)})
    summary = {
        "dataset": dataset.name, "network": network.describe(), "reason": end.reason,
        "epochs": len(end.history.get("epoch", [])), "steps": end.step,
        "train_seconds": round(end.elapsed, 4), "samples_per_second": round(end.samples_per_second, 1),
        "val_accuracy": end.history["val_accuracy"][-1] if end.history.get("val_accuracy") else None,
        "test_accuracy": test["accuracy"], "test_loss": test["loss"], "n_test": test["n"],
        "test_confusion": test["confusion"].tolist(), "class_names": trainer.class_names,
        "history": end.history,
    }
    if args.out:
        metadata = model_metadata(network, trainer.image_shape, trainer.class_names, config.normalisation,
                                  dataset.name, config.to_dict(), end.history, config.positive_class,
                                  test_accuracy=test["accuracy"], source=dataset.source)
        session.save_model(args.out, network, metadata, trainer)
        summary["model"] = str(args.out)
    turned = (f"; read with test-time turns of {test['test_time_turns']:g} degrees, {test['accuracy_read_once']:.4f} "
              f"read once" if test["test_time_turns"] else "")
    tested = (f"test accuracy {test['accuracy']:.4f} (loss {test['loss']:.4f}, {test['n']} images{turned})" if test["n"]
              else "no test images (a folder's class needs 3 images for one to be held out)")
    print(f"{network.describe()} on {dataset.name}: {tested}; {end.step} steps in {end.elapsed:.1f} s, "
          f"{end.samples_per_second:,.0f} samples/s" + (f"; saved to {args.out}" if args.out else ""),
          file=sys.stderr if args.json else sys.stdout)
    if args.report:
        print(format_report(test["report"]), file=sys.stderr if args.json else sys.stdout)
    if end.reason == "stopped":
        print(f"note: {end.message}", file=sys.stderr)
    summary.update(session.summary())
    if args.json:
        print_json(summary)
    raise_if_signalled()   # a signal during the --out write: the file is whole; the exit says so
    return 0

