"""Save and load models as .npz: the parameter arrays plus one JSON metadata string.

Metadata keys: format (this module's name and version), architecture (Network.architecture():
the layer stack as text under 'layers' with the network's 'input_shape'; fully connected
networks also keep 'layer_sizes', the only key version-1 files have),
input_shape [H, W], normalisation, class_names, dataset, positive_class, config (TrainConfig
as a dict), history (per-epoch metrics), created (ISO time). Unknown keys are kept.
"""
import datetime
import io
import json
import zipfile
from pathlib import Path

import numpy as np

from core.storage.atomic import atomic_write
from core.errors import ConfigError, ModelFileError
from core.nn.layer_spec import describe_stack, mlp_specs, parse_layers
from core.nn.network import Network

FORMAT = "digitlab-model"
VERSION = 2           # 2: any layer stack ('layers'); 1: fully connected only ('layer_sizes')
MLP_VERSION = 1       # fully connected models are still written as version 1: older DigitLab reads them


def model_metadata(network, input_shape, class_names, normalisation="zero_one", dataset="",
                   config=None, history=None, positive_class=-1, **extra):
    """The metadata dict save_model writes (also what callers can inspect after load)."""
    version = MLP_VERSION if network.is_mlp else VERSION
    return {"format": FORMAT, "version": version, "architecture": network.architecture(),
            "input_shape": list(input_shape), "normalisation": normalisation,
            "class_names": list(class_names), "dataset": dataset, "positive_class": positive_class,
            "config": config or {}, "history": history or {},
            "created": datetime.datetime.now().isoformat(timespec="seconds"), **extra}


def model_archive(network, metadata):
    """The .npz archive save_model writes, in memory (io.BytesIO): model_state_io adds entries."""
    arrays = {name: np.asarray(p) for name, p in zip(network.param_names, network.params)}
    arrays["metadata"] = np.array(json.dumps(metadata))
    buffer = io.BytesIO()
    np.savez_compressed(buffer, **arrays)
    return buffer


def save_model(path, network, metadata, archive=None):
    """Write network parameters and metadata to ``path`` (.npz) atomically (archive: what
    model_archive gave, possibly with entries added). A symlink is written through; a FIFO or
    device is refused; temp files a killed save left for the same file are removed."""
    buffer = archive if archive is not None else model_archive(network, metadata)
    try:
        with atomic_write(path, clean_stale=True) as handle:
            handle.write(buffer.getvalue())
    except IsADirectoryError:
        raise ModelFileError(f"{path}: is a folder; give a file name such as model.npz") from None
    except OSError as error:
        raise ModelFileError(f"could not save the model to {path}: {error.strerror or error}") from None


def load_model(path):
    """(Network, metadata) from a file written by save_model; ModelFileError if it is not one."""
    path_obj = Path(path)
    if path_obj.is_dir():
        raise ModelFileError(f"{path}: is a folder, not a model file")
    if not path_obj.exists():
        raise ModelFileError(f"{path}: no such model file")
    try:
        if not zipfile.is_zipfile(path):
            raise ModelFileError(f"{path}: not a DigitLab model file (.npz); it is not a zip archive "
                                 f"(wrong file, or truncated)")
        with np.load(path, allow_pickle=False) as data:
            arrays = {key: data[key] for key in data.files}
    except FileNotFoundError:
        raise ModelFileError(f"{path}: no such model file") from None
    except IsADirectoryError:
        raise ModelFileError(f"{path}: is a folder, not a model file") from None
    except (OSError, ValueError, zipfile.BadZipFile, EOFError, KeyError) as error:
        raise ModelFileError(f"{path}: not a DigitLab model file or corrupt ({error})") from None
    if "metadata" not in arrays:
        raise ModelFileError(f"{path}: no DigitLab metadata in this .npz (was it saved by DigitLab?)")
    try:
        metadata = json.loads(str(arrays.pop("metadata")))
        if not isinstance(metadata, dict):
            raise ValueError("the metadata is not a JSON object")
        if metadata.get("format") != FORMAT:
            raise ValueError(f"format is {metadata.get('format')!r}")
        if int(metadata.get("version", 0)) > VERSION:
            raise ValueError(f"saved by a newer DigitLab (model format {metadata['version']})")
        check_metadata_types(metadata)
        network = network_from_architecture(metadata["architecture"], arrays, metadata.get("input_shape"))
        expected_inputs = int(np.prod(metadata["input_shape"]))
        if expected_inputs != network.n_inputs:
            raise ValueError(f"input shape {metadata['input_shape']} does not match {network.n_inputs} inputs")
        if len(metadata["class_names"]) != network.n_classes:
            raise ValueError(f"{len(metadata['class_names'])} class names for {network.n_classes} classes")
        if not all(np.all(np.isfinite(p)) for p in network.params):
            raise ValueError("the weights contain NaN or infinity")
        check_metadata_fields(metadata)
    except (ValueError, KeyError, TypeError, AttributeError, ConfigError) as error:
        raise ModelFileError(f"{path}: not a usable DigitLab model ({error})") from None
    return network, metadata


def network_from_architecture(arch, arrays, image_shape=None):
    """The float32 Network an architecture dict describes, with weights from arrays ({'W1': ...}).

    Version-1 files have only 'layer_sizes' (fully connected); later ones have 'layers' (any
    stack) and 'input_shape' (H, W, C) of one image.
    """
    if "layers" in arch:
        specs = parse_layers(arch["layers"])
        n_param_layers = sum(spec.kind in ("conv", "dense") for spec in specs)
        input_shape = arch.get("input_shape") or image_shape
    else:
        sizes = arch["layer_sizes"]
        specs, input_shape = mlp_specs(sizes[1:-1], sizes[-1]), (sizes[0],)
        n_param_layers = len(sizes) - 1
    names = [f"{kind}{layer + 1}" for layer in range(n_param_layers) for kind in "Wb"]
    missing = [n for n in names if n not in arrays]
    if missing:
        raise ValueError(f"missing parameter arrays {', '.join(missing)}")
    describe_stack(specs, input_shape)     # ConfigError explaining a stack that cannot work
    return Network(None, arch["activation"], arch["loss"], arch["output"], arch.get("init", "auto"),
                   init_epsilon=arch.get("init_epsilon", 0.12), weights=[arrays[n].astype(np.float32) for n in names],
                   layers=specs, input_shape=input_shape)


def check_metadata_types(metadata):
    """ValueError naming the field when the metadata the loader reads first has the wrong type
    (a hand-edited file: "class_names": 10 would otherwise fail as "object of type 'int' has no len()")."""
    def is_count(value):
        return isinstance(value, int) and not isinstance(value, bool) and value > 0
    if not isinstance(metadata.get("architecture"), dict):
        raise ValueError("architecture must be a JSON object")
    shape = metadata.get("input_shape")
    if not isinstance(shape, list) or not 1 <= len(shape) <= 3 or not all(is_count(s) for s in shape):
        raise ValueError(f"input_shape must be a list of 1 to 3 positive whole numbers, not {shape!r}")
    names = metadata.get("class_names")
    if not isinstance(names, list) or not names or not all(isinstance(n, (str, int)) for n in names):
        raise ValueError(f"class_names must be a list of names, not {names!r}")


def check_metadata_fields(metadata):
    """ValueError unless the fields callers rely on have usable values."""
    from core.settings.config import TrainConfig
    from core.data.normalise import NORMALISATIONS
    normalisation = metadata.setdefault("normalisation", "zero_one")
    if normalisation not in NORMALISATIONS:
        raise ValueError(f"unknown normalisation {normalisation!r}")
    positive = metadata.setdefault("positive_class", -1)
    if isinstance(positive, bool) or not isinstance(positive, int) or positive < -1:
        raise ValueError(f"positive_class must be a digit or -1, not {positive!r}")
    if not isinstance(metadata.get("config", {}), dict) or not isinstance(metadata.get("history", {}), dict):
        raise ValueError("config and history must be JSON objects")
    try:
        TrainConfig.from_dict(metadata.get("config", {}))
    except (TypeError, ValueError) as error:
        raise ValueError(f"the saved training settings do not parse ({error})") from None


def check_compatible(metadata, input_shape, path=""):
    """ModelFileError unless a model made for metadata['input_shape'] fits images of input_shape."""
    if tuple(metadata["input_shape"]) != tuple(input_shape):
        shape = "x".join(str(s) for s in metadata["input_shape"])
        wanted = "x".join(str(s) for s in input_shape)
        raise ModelFileError(f"{path or 'this model'} was trained on {shape} images, but this data is {wanted}")
