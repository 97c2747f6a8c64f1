"""The command that repeats a recorded run: `python main.py train` with every setting that differs
from the default preset (the seed always), on the run's data.

    reproduce_command(record.settings)   # 'python main.py train --dataset digits --epochs 3 --seed 0 ...'

The same seed, settings and data give the same weights (core.training_process.job: one builder);
a run that mixed in the user's own digits needs those digits too, and a fork or a continued run
started from another run's weights: reproduce_notes says so.
"""
import re
import shlex
from pathlib import Path

from core.settings.config import TrainConfig
from core.settings.fields import settings_of
from core.settings.presets import get_preset

_RESIZED = re.compile(r"^(?P<name>.+)-(?P<h>\d+)x(?P<w>\d+)$")
NEEDS_FOLDER = ("idx", "fashion-mnist", "kmnist", "mat")


def base_dataset_name(name):
    """The loader's name of a recorded dataset name: 'mnist-20x20' (resized for the run) -> 'mnist'."""
    match = _RESIZED.match(name or "")
    return match.group("name") if match else (name or "mnist")


def flag_value(info, value):
    """value as its option takes it: 128,64 for layer sizes, 0 for none, 0.001 for a float."""
    if info.type is tuple and not value:
        return "0"
    return info.to_text(value)


def setting_flags(config, start=None):
    """['--lr', '0.05', ...]: the options that turn ``start`` (a TrainConfig; default: the default
    preset's) into ``config``; --seed is always given, so the command says which one it was."""
    default = start or get_preset("default").config
    argv = []
    for info in settings_of(TrainConfig):
        flag = info.cli_flag()
        value = getattr(config, info.name)
        if flag is None or (value == getattr(default, info.name) and info.name != "seed"):
            continue
        if info.type is bool:
            argv.append(flag if value else "--no-" + flag[2:])
        else:
            argv += [flag, flag_value(info, value)]
    return argv


def reproduce_argv(settings):
    """The argument list (after `python main.py`) that trains the run in ``settings`` (a record's
    settings.json dict) again."""
    config = TrainConfig.from_dict(settings["config"])
    name = base_dataset_name(settings["dataset"]["name"])
    if is_image_folder(name):
        # train --images without --preset starts from the drawn-classes set-up, not the default preset
        from core.settings.drawings import drawn_classes_config
        start = drawn_classes_config(len(settings["dataset"]["class_names"]))
        return ["train", "--images", "FOLDER"] + setting_flags(config, start)
    argv = ["train", "--dataset", name]
    if name in NEEDS_FOLDER:
        argv += ["--data", "FOLDER"]
    return argv + setting_flags(config)


def is_image_folder(name):
    """True for a run on a folder of images (train --images): its data is named after the folder."""
    from core.data.datasets import VALID_NAMES
    return name not in VALID_NAMES


def reproduce_command(settings):
    """reproduce_argv as one shell line."""
    return "python main.py " + " ".join(shlex.quote(part) for part in reproduce_argv(settings))


def recorded_folder(source, exists=True):
    """The folder in a record's data source text ('IDX files in /data/mnist', 'images in /x/shapes
    (one subfolder per class)', as the loaders word it), or None (also when exists and it is gone)."""
    match = re.search(r" in (.+?)(?: \(.*\))?$", str(source or ""))
    return match.group(1) if match and (not exists or Path(match.group(1)).is_dir()) else None


def fork_command(settings):
    """The `train --fork` command that repeats a fork: its parent and epoch, the settings it changed
    (when the parent's record is still there to compare with) and its number of epochs."""
    parent = settings["parent"]
    config = TrainConfig.from_dict(settings["config"])
    argv = ["train", "--fork", str(parent["run"]), "--from-epoch", str(parent.get("epoch"))]
    try:
        from core.records.reader import open_run
        parent_config = TrainConfig.from_dict(open_run(parent["run"]).settings["config"])
        groups = []   # [flag, value] or [flag] (a yes/no setting); values never start with '--'
        for part in setting_flags(config, parent_config):
            if part.startswith("--"):
                groups.append([part])
            else:
                groups[-1].append(part)
        argv += [part for group in groups if group[0] not in ("--seed", "--epochs") for part in group]
    except Exception:   # the parent was deleted or is unreadable: the command without the changes
        argv += ["(the settings it changed)"]
    argv += ["--epochs", str(max(1, config.epochs - int(parent.get("epoch") or 0)))]
    return "python main.py " + " ".join(part if part.startswith("(") else shlex.quote(part) for part in argv)


def reproduce_notes(settings):
    """Sentences that qualify the command (empty when it repeats the run as it is)."""
    notes = []
    config = settings["config"]
    parent = settings.get("parent") or {}
    if parent.get("run"):
        notes.append(f"This run was forked from run {parent['run']} at epoch {parent.get('epoch')}: it started from "
                     f"that run's weights, so the command above trains it from the start instead; "
                     f"{fork_command(settings)} repeats the fork.")
    elif parent.get("model"):
        notes.append("This run continued a saved model, so the command above trains it from the start instead.")
    if settings.get("continued"):
        notes.append("It was continued after it first ended; the command trains all its epochs in one go "
                     "(the learning-rate schedule may then differ).")
    if (config.get("my_digits_weight") or 0) > 0:
        notes.append("It mixed in the digits kept on the Draw tab: the command uses the digits kept where it runs.")
    name = base_dataset_name(settings["dataset"]["name"])
    if name in NEEDS_FOLDER or is_image_folder(name):
        source = settings["dataset"].get("source")
        notes.append(f"Replace FOLDER with the data's folder ({recorded_folder(source, exists=False) or source or 'its folder'}).")
    return notes
