"""A shareable experiment: one file that repeats a run bit for bit on the same data.

    experiment = make_experiment(config, dataset, trainer.network, trainer.image_shape, trainer.class_names)
    save_experiment("lesson3.npz", experiment)        # before training: the weights are the initial ones
    experiment = load_experiment("lesson3.npz")
    data_difference(experiment, dataset)              # None, or a sentence: the data is not the same
    trainer = build_trainer(RunJob(experiment.config, dataset, network=experiment.network), dataset)

What is in it: every setting (TrainConfig, the seed among them), the network's initial weights,
the data set's name, sizes and checksum (core.data.checksum), and the user's own digits when the
run mixed them in (they are part of its data). The file is a model file (core.files.model_io:
.npz + JSON metadata) of the untrained network with an ``experiment`` entry in its metadata, so
Open model shows the initial weights; the digits go in as ``experiment.*`` arrays beside them.

Why the initial weights are stored although the seed makes them: the file then says what the run
started from even where the weight initialisation changes in a later DigitLab. The network is
rebuilt with the config's seed so that its dropout layers draw the same masks as in the run.
"""
import datetime
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

import numpy as np

from core.data.checksum import dataset_checksum
from core.errors import ConfigError, ModelFileError
from core.files.model_io import load_model, model_archive, model_metadata, save_model
from core.nn.network import Network
from core.settings.config import TrainConfig

FORMAT = "digitlab-experiment"
VERSION = 1
KEY = "experiment"
DIGITS_IMAGES, DIGITS_LABELS = "experiment.my_digits_images", "experiment.my_digits_labels"


@dataclass
class Experiment:
    """config: TrainConfig (seed included); network: the initial Network (float32, seeded by
    config.seed); dataset: {'name', 'checksum', 'n_train', 'n_test', 'image_shape', 'class_names'}
    of the data as loaded (before any resize); my_digits: (images (m, 28, 28) uint8, labels (m,))
    mixed into training, or None; input_shape / class_names: what the network takes and tells."""
    config: TrainConfig
    network: Network
    dataset: dict
    input_shape: tuple
    class_names: list
    my_digits: Optional[tuple] = None
    created: str = ""

    @property
    def seed(self):
        return self.config.seed

    def describe(self):
        """One line: the network, the data, the seed."""
        config = self.config
        length = (f"{config.iterations} iterations" if config.iterations else
                  f"{config.epochs} epoch{'s' if config.epochs != 1 else ''}")
        return (f"{self.network.describe()} on {self.dataset['name']} ({self.dataset['n_train']:,} training "
                f"images), seed {self.seed}, {length}")


def dataset_facts(dataset):
    """The dataset entry of an experiment: what identifies a Dataset."""
    return {"name": dataset.name, "checksum": dataset_checksum(dataset), "n_train": int(len(dataset.train_labels)),
            "n_test": int(len(dataset.test_labels)), "image_shape": list(dataset.image_shape),
            "class_names": list(dataset.class_names)}


def make_experiment(config, dataset, network, input_shape, class_names, my_digits=None):
    """An Experiment of a run about to start: network is the trainer's network before its first
    step (copied here); dataset the Dataset as loaded; input_shape / class_names the trainer's."""
    digits = my_digits if config.my_digits_weight > 0 else None
    return Experiment(config, seeded(network, config.seed), dataset_facts(dataset), tuple(input_shape),
                      list(class_names), digits, datetime.datetime.now().isoformat(timespec="seconds"))


def seeded(network, seed):
    """A plain copy of network whose dropout layers are seeded with ``seed`` (as build_network does)."""
    return Network(None, network.activation_name, network.loss_name, network.output_name, network.init, seed,
                   network.dtype, network.init_epsilon, [np.array(p, copy=True) for p in network.params],
                   layers=network.specs, input_shape=network.input_shape)


def save_experiment(path, experiment):
    """Write the experiment to ``path`` (.npz) in one atomic write; ModelFileError if it cannot."""
    config = experiment.config
    entry = {"format": FORMAT, "version": VERSION, "seed": config.seed, "config": config.to_dict(),
             "dataset": experiment.dataset, "my_digits": experiment.my_digits is not None}
    metadata = model_metadata(experiment.network, experiment.input_shape, experiment.class_names,
                              config.normalisation, experiment.dataset["name"], config.to_dict(), {},
                              config.positive_class, **{KEY: entry})
    archive = model_archive(experiment.network, metadata)
    if experiment.my_digits is not None:
        images, labels = experiment.my_digits
        with zipfile.ZipFile(archive, "a", compression=zipfile.ZIP_DEFLATED) as zipped:
            for name, array in ((DIGITS_IMAGES, np.asarray(images, np.uint8)), (DIGITS_LABELS, np.asarray(labels))):
                with zipped.open(f"{name}.npy", "w") as handle:
                    np.lib.format.write_array(handle, np.ascontiguousarray(array), allow_pickle=False)
    save_model(path, experiment.network, None, archive=archive)


def load_experiment(path):
    """The Experiment in ``path``. ModelFileError (one sentence) if it is not a readable
    experiment file: missing, corrupt, a plain model file, or from a newer DigitLab."""
    network, metadata = load_model(path)
    entry = metadata.get(KEY)
    if not isinstance(entry, dict) or entry.get("format") != FORMAT:
        raise ModelFileError(f"{path}: a model file, not an experiment (File > Save experiment… or "
                             f"`train --save-experiment FILE` makes one)")
    if not isinstance(entry.get("version"), int) or entry["version"] > VERSION:
        raise ModelFileError(f"{path}: an experiment from a newer DigitLab (version {entry.get('version')})")
    try:
        config = TrainConfig.from_dict(entry["config"]).validate()
        facts = entry["dataset"]
        for key, kind in (("name", str), ("checksum", str), ("n_train", int), ("n_test", int),
                          ("image_shape", list), ("class_names", list)):
            if not isinstance(facts.get(key), kind):
                raise ValueError(f"its dataset entry lacks '{key}'")
        digits = _load_digits(path) if entry.get("my_digits") else None
    except (ConfigError, ValueError, KeyError, TypeError, AttributeError) as error:
        raise ModelFileError(f"{path}: the experiment is unusable ({error})") from None
    return Experiment(config, seeded(network, config.seed), facts, tuple(metadata["input_shape"]),
                      list(metadata["class_names"]), digits, str(metadata.get("created", "")))


def _load_digits(path):
    with np.load(path, allow_pickle=False) as data:
        images, labels = data[DIGITS_IMAGES], data[DIGITS_LABELS]
    if images.dtype != np.uint8 or images.ndim != 3 or len(images) != len(labels):
        raise ValueError("its own digits are not (m, H, W) uint8 images with m labels")
    return images, labels


def data_difference(experiment, dataset):
    """None when ``dataset`` (as loaded) is the experiment's data to the last pixel, else one
    sentence saying how it differs (the run then does not repeat the experiment bit for bit)."""
    facts = experiment.dataset
    if dataset.name != facts["name"]:
        return f"the experiment was made on {facts['name']}, not {dataset.name}"
    mine = dataset_facts(dataset)
    if mine["checksum"] == facts["checksum"]:
        return None
    sizes = ""
    if (mine["n_train"], mine["n_test"]) != (facts["n_train"], facts["n_test"]):
        sizes = (f" ({mine['n_train']:,} training and {mine['n_test']:,} test images here, "
                 f"{facts['n_train']:,} and {facts['n_test']:,} in the experiment)")
    return f"this {dataset.name} is not the data the experiment was made on{sizes}: its checksum differs"


def default_name(config):
    """A file name for a new experiment: experiment-<network>-seed<N>.npz."""
    stem = (config.layers or "-".join(str(s) for s in config.hidden_sizes) or "linear").replace(",", "-")
    return str(Path(f"experiment-{stem}-seed{config.seed}.npz"))
