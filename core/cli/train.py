"""`python main.py train`: train a network, report test metrics, optionally save the model."""
import os
import sys
import tempfile
from dataclasses import replace

from core.cli.common import add_data_arguments, load_data, print_json
from core.training.config import parse_hidden_sizes
from core.errors import ConfigError, ModelFileError
from core.training.evaluate import evaluate_network
from core.training.metrics import format_report
from core.files.model_io import model_metadata, save_model
from core.training.presets import PRESETS, get_preset
from core.training.trainers import make_trainer, prepare_dataset

# option name -> (TrainConfig field, type). Options default to None so that only what the user
# typed overrides the preset.
OVERRIDES = {
    "hidden": ("hidden_sizes", parse_hidden_sizes), "layers": ("layers", str), "activation": ("activation", str), "loss": ("loss", str),
    "output": ("output", str), "init": ("init", str), "optimizer": ("optimizer", str),
    "momentum": ("momentum", float), "lr": ("learning_rate", float), "schedule": ("schedule", str),
    "batch_size": ("batch_size", int), "epochs": ("epochs", int), "iterations": ("iterations", int),
    "sampling": ("sampling", str), "l2": ("l2", float), "seed": ("seed", int), "val_split": ("val_split", float),
    "normalisation": ("normalisation", str), "positive_class": ("positive_class", int),
}


def register(subparsers):
    p = subparsers.add_parser("train", help="train a network", description="Train a network on a dataset and "
                              "report its test accuracy. Options override the chosen preset.")
    add_data_arguments(p)
    p.add_argument("--preset", default="default", help=f"starting set-up: {', '.join(PRESETS)}")
    p.add_argument("--hidden", metavar="SIZES", help="hidden layer sizes, e.g. 128 or 256,128 (0 for none)")
    p.add_argument("--layers", metavar="STACK",
                   help="a layer stack instead of --hidden, comma-separated: convFxK (F filters of KxK, 'same' "
                        "padding; convFxKv: 'valid'), poolK (KxK max pooling, stride K), denseN, dropoutR "
                        "(e.g. dropout0.25); the last dense layer is the output, e.g. "
                        "conv16x5,pool2,conv32x5,pool2,dense128,dense10. The activation follows every conv "
                        "and hidden dense layer. '' for the fully connected network of --hidden")
    p.add_argument("--activation", help="sigmoid, tanh, relu or leaky_relu")
    p.add_argument("--loss", help="cross_entropy, mse or binary_cross_entropy")
    p.add_argument("--output", help="softmax or sigmoid output units")
    p.add_argument("--init", help="weight initialisation: auto, normal, small, xavier, he, uniform")
    p.add_argument("--optimizer", help="sgd, momentum or adam; cg or lbfgs train full-batch (scipy)")
    p.add_argument("--momentum", type=float, metavar="MU")
    p.add_argument("--lr", type=float, metavar="RATE", help="learning rate")
    p.add_argument("--schedule", help="learning-rate schedule: constant, step or cosine")
    p.add_argument("--batch-size", type=int, metavar="N")
    p.add_argument("--epochs", type=int, metavar="N")
    p.add_argument("--iterations", type=int, metavar="N", help="train for N batches instead of whole epochs")
    p.add_argument("--sampling", help="shuffle (each example once per epoch) or replacement")
    p.add_argument("--l2", type=float, metavar="LAMBDA", help="L2 strength: cost += lambda/(2n) * sum(W^2)")
    p.add_argument("--seed", type=int)
    p.add_argument("--val-split", type=float, metavar="V", help="validation fraction (0.1) or count (10000)")
    p.add_argument("--normalisation", help="zero_one ([0,1] inputs) or minus_one_one ([-1,1])")
    p.add_argument("--positive-class", type=int, metavar="DIGIT", help="train one digit against the rest")
    p.add_argument("--out", metavar="MODEL.npz", help="save the trained model here")
    p.add_argument("--json", action="store_true", help="make the last stdout line a JSON summary")
    p.add_argument("--report", action="store_true", help="print the per-class test report")
    p.add_argument("--track-test", action="store_true",
                   help="also evaluate the test set after every epoch (as the classic tutorials plot it)")
    p.set_defaults(run=run)


def config_from_args(args):
    """The preset's TrainConfig with the options the user gave applied (validated)."""
    config = get_preset(args.preset).config
    changes = {}
    for option, (field_name, convert) in OVERRIDES.items():
        value = getattr(args, option)
        if value is not None:
            changes[field_name] = convert(value)
    if args.val_split is not None and args.val_split >= 1 and float(args.val_split).is_integer():
        changes["val_split"] = int(args.val_split)   # a count; 1.5 stays a (refused) fraction
    config = replace(config, **changes, extra=dict(config.extra))
    return config.validate()


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


def check_output_path(path):
    """ModelFileError now, before training, if the model could not be saved there later
    (creates the folder, and writes and removes a probe file in it)."""
    if not path:
        return
    if os.path.isdir(path):
        raise ModelFileError(f"--out {path} is a folder; give a file name such as {os.path.join(path, 'model.npz')}")
    folder = os.path.dirname(os.path.abspath(path))
    try:
        os.makedirs(folder, exist_ok=True)
        with tempfile.TemporaryFile(dir=folder):
            pass
    except OSError as error:
        raise ModelFileError(f"--out {path}: cannot write in {folder} ({error.strerror or error})") from None


def check_split_fits(config, dataset):
    """A clear message when a preset's validation count does not fit a small dataset."""
    n = len(dataset.train_labels)
    if config.val_split >= 1 and config.val_split >= n:
        raise ConfigError(f"the validation split holds out {int(config.val_split):,} examples but {dataset.name} has "
                          f"only {n:,} training images; pass e.g. --val-split 0.1 (this set-up expects MNIST)")


def run(args):
    config = config_from_args(args)
    check_output_path(args.out)
    if config.on_divergence != "stop":
        config = replace(config, on_divergence="stop")   # nobody is there to lower the rate
    dataset = prepare_dataset(config, load_data(args))
    check_split_fits(config, dataset)
    track_test = args.track_test or bool(config.extra.get("track_test"))
    trainer = make_trainer(config, dataset, test_images=dataset.test_images if track_test else None,
                           test_labels=dataset.test_labels if track_test else None)
    printer = ProgressPrinter(trainer.total_steps, enabled=sys.stderr.isatty() or not args.json)
    end = None
    for snapshot in trainer.run():
        printer(snapshot)
        end = snapshot
    printer.bar.close()
    if end.reason == "diverged":
        print(f"error: {end.message} Nothing was saved.", file=sys.stderr)
        if args.json:
            print_json({"reason": "diverged", "message": end.message})
        return 1
    network = end.network
    test = evaluate_network(network, dataset.test_images, dataset.test_labels, trainer.class_names,
                            config.normalisation, config.positive_class)
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
        save_model(args.out, network, metadata)
        summary["model"] = str(args.out)
    print(f"{network.describe()} on {dataset.name}: test accuracy {test['accuracy']:.4f} "
          f"(loss {test['loss']:.4f}, {test['n']} images); {end.step} steps in {end.elapsed:.1f} s, "
          f"{end.samples_per_second:,.0f} samples/s" + (f"; saved to {args.out}" if args.out else ""),
          file=sys.stderr if args.json else sys.stdout)
    if args.report:
        print(format_report(test["report"]), file=sys.stderr if args.json else sys.stdout)
    if end.reason == "stopped":
        print(f"note: {end.message}", file=sys.stderr)
    if args.json:
        print_json(summary)
    return 0

