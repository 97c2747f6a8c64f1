"""The training state, explicit: everything a mini-batch run is, as of the end of an epoch, as
plain arrays and plain data (no live objects), so it can be written to a file, sent to another
process, or handed to a new trainer. ``Trainer.state()`` gives one (core.training.minibatch);
``make_trainer(..., state=...)`` / ``Trainer.restore(state)`` continue from one. Resume, fork,
the run records, model files with state and the race all go through this value.

A run continued from this state after epoch k matches an uninterrupted run exactly (same seed,
one BLAS thread) when the learning-rate factor at each step is the same in both, i.e.

  constant  always;
  step      always: the factor depends only on the epoch, so the schedule EXTENDS;
  cosine    only if the total length is unchanged (a stopped run continued to its planned end).
            Continuing a finished run for N more epochs STRETCHES the cosine over the new total
            (epochs done + N): the rate at the resume point jumps back up to what the longer
            schedule has there, it does not restart from the top.

``schedule_note`` says which of these applies, so the CLI and the app can tell the user.
"""
from dataclasses import dataclass, field, replace
from typing import Optional

import numpy as np

from core.nn.layers import Dropout


@dataclass
class TrainingState:
    """Fields (all plain data; arrays are NumPy arrays, generator states are dicts):

    epochs_done         whole epochs trained
    step                optimisation steps so far
    history             the trainer's per-epoch lists ({name: [value per epoch]}:
                        core.training.training_run.HISTORY_KEYS and extras)
    weights             [array] the network's parameters in Network.params order (W1, b1, W2, ...,
                        each of its layer's shape), or None: the trainer's network as it was built
    optimizer           the optimiser's state_dict() ({"name", "scalars", "arrays": {slot.i: array
                        of parameter i's shape}}), or None: start it fresh
    order_rng           the data-order generator's bit_generator.state (core.training.data_order),
                        or None: re-derived from the seed
    augment_rng         the augmentation generator's state, or None (no augmentation, or unknown)
    dropout_rngs        [state] of each Dropout layer's generator in layer order, or None
    base_learning_rate  the rate the schedule multiplies (a person may have moved it mid-run)
    initial_loss        the loss of the run's first batch, which divergence detection compares with
    elapsed             training seconds so far
    extra               anything else a caller wants to carry (kept in files as it is)
    """
    epochs_done: int
    step: int
    history: dict
    optimizer: Optional[dict] = None
    order_rng: Optional[dict] = None
    base_learning_rate: Optional[float] = None
    initial_loss: Optional[float] = None
    elapsed: float = 0.0
    extra: dict = field(default_factory=dict)
    weights: Optional[list] = None
    augment_rng: Optional[dict] = None
    dropout_rngs: Optional[list] = None

    def to_json(self):
        """(metadata dict, {name: array}) for a file: the optimiser's arrays go beside the JSON."""
        optimizer = None
        arrays = {}
        if self.optimizer is not None:
            optimizer = {"name": self.optimizer["name"], "scalars": dict(self.optimizer.get("scalars", {})),
                         "arrays": sorted(self.optimizer.get("arrays", {}))}
            arrays = {f"optimizer.{key}": np.asarray(value) for key, value in self.optimizer["arrays"].items()}
        # The generator states go where files of earlier versions kept them (augment_rng in extra),
        # so those versions can still continue a newer file. Weights are the model file's own.
        extra = dict(self.extra)
        if self.augment_rng is not None:
            extra["augment_rng"] = self.augment_rng
        if self.dropout_rngs is not None:
            extra["dropout_rngs"] = list(self.dropout_rngs)
        data = {"epochs_done": int(self.epochs_done), "step": int(self.step), "optimizer": optimizer,
                "order_rng": self.order_rng, "base_learning_rate": self.base_learning_rate,
                "initial_loss": self.initial_loss, "elapsed": float(self.elapsed), "extra": extra}
        return data, arrays

    @classmethod
    def from_json(cls, data, arrays, history):
        """Inverse of to_json (history kept separately: files already hold it). ValueError naming
        the first field of the wrong type, or an optimiser array named in data that is missing."""
        check_state_json(data, history)
        optimizer = data.get("optimizer")
        if optimizer is not None:
            missing = [k for k in optimizer.get("arrays", []) if f"optimizer.{k}" not in arrays]
            if missing:
                raise ValueError(f"the optimiser state lacks the arrays {', '.join(missing)}")
            optimizer = {"name": optimizer["name"], "scalars": optimizer.get("scalars", {}),
                         "arrays": {k: arrays[f"optimizer.{k}"] for k in optimizer.get("arrays", [])}}
        extra = dict(data.get("extra", {}))
        augment_rng, dropout_rngs = extra.pop("augment_rng", None), extra.pop("dropout_rngs", None)
        return cls(epochs_done=int(data["epochs_done"]), step=int(data["step"]),
                   history={k: list(v) for k, v in history.items()}, optimizer=optimizer,
                   order_rng=data.get("order_rng"), base_learning_rate=data.get("base_learning_rate"),
                   initial_loss=data.get("initial_loss"), elapsed=float(data.get("elapsed", 0.0)),
                   extra=extra, augment_rng=augment_rng, dropout_rngs=dropout_rngs)

    def truncated(self, epochs):
        """The state's history cut to its first ``epochs`` rows (a fork keeps the parent's curves
        up to the fork point)."""
        return replace(self, history={k: list(v)[:epochs] for k, v in self.history.items()})


def _is_number(value):
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _is_count(value):
    return isinstance(value, int) and not isinstance(value, bool) and value >= 0


def check_state_json(data, history):
    """ValueError unless a saved state (to_json's dict) and its history have the types from_json
    and load_state rely on: a file edited by hand or by a hostile tool fails here, in one
    sentence, rather than deep inside the trainer."""
    if not isinstance(data, dict):
        raise ValueError(f"the training state is {type(data).__name__}, not a JSON object")
    for key in ("epochs_done", "step"):
        if not _is_count(data.get(key)):
            raise ValueError(f"the training state's {key} must be a whole number >= 0, not {data.get(key)!r}")
    for key in ("base_learning_rate", "initial_loss"):
        if data.get(key) is not None and not _is_number(data[key]):
            raise ValueError(f"the training state's {key} must be a number, not {data[key]!r}")
    if not _is_number(data.get("elapsed", 0.0)):
        raise ValueError(f"the training state's elapsed must be a number, not {data['elapsed']!r}")
    optimizer = data.get("optimizer")
    if optimizer is not None:
        if not isinstance(optimizer, dict) or not isinstance(optimizer.get("name"), str):
            raise ValueError("the training state's optimizer must be an object with a name")
        scalars, names = optimizer.get("scalars", {}), optimizer.get("arrays", [])
        if not isinstance(scalars, dict) or not all(_is_number(v) for v in scalars.values()):
            raise ValueError("the optimiser's scalars must be numbers")
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            raise ValueError("the optimiser's array names must be a list of names")
    if not isinstance(data.get("extra", {}), dict):
        raise ValueError("the training state's extra must be a JSON object")
    for key, rng_state in (("order_rng", data.get("order_rng")), ("augment_rng", data.get("extra", {}).get("augment_rng"))):
        if rng_state is not None:
            _check_rng_state(key, rng_state)
    dropout_rngs = data.get("extra", {}).get("dropout_rngs")
    if dropout_rngs is not None:
        if not isinstance(dropout_rngs, list):
            raise ValueError("the training state's dropout_rngs must be a list")
        for rng_state in dropout_rngs:
            _check_rng_state("dropout_rngs", rng_state)
    if not isinstance(history, dict) or not all(isinstance(v, list) for v in history.values()):
        raise ValueError("the saved history must map each metric to a list")


def _check_rng_state(key, rng_state):
    """A generator state NumPy accepts (it raises TypeError / ValueError / KeyError otherwise)."""
    try:
        generator = np.random.default_rng(0)
        generator.bit_generator.state = rng_state
    except (TypeError, ValueError, KeyError, AttributeError):
        raise ValueError(f"the training state's {key} is not a random generator state") from None


def check_state_fits(state, params):
    """ValueError unless the optimiser arrays of ``state`` fit a network with parameter arrays
    ``params`` (names '<slot>.<parameter index>', each of that parameter's shape, finite numbers)."""
    if state.weights is not None:
        if len(state.weights) != len(params):
            raise ValueError(f"the state has {len(state.weights)} weight arrays, the network {len(params)}")
        for index, (array, param) in enumerate(zip(state.weights, params)):
            if np.shape(array) != param.shape:
                raise ValueError(f"weight array {index} has shape {np.shape(array)}, the network needs {param.shape}")
    if state.optimizer is None:
        return
    for key, array in state.optimizer["arrays"].items():
        slot, _, index = key.rpartition(".")
        if not slot or not index.isdigit() or int(index) >= len(params):
            raise ValueError(f"the optimiser state {key} belongs to no parameter of this network")
        expected = params[int(index)].shape
        if np.shape(array) != expected:
            raise ValueError(f"the optimiser state {key} has shape {np.shape(array)}, the network needs {expected}")
        if not np.issubdtype(np.asarray(array).dtype, np.number):
            raise ValueError(f"the optimiser state {key} is not numbers ({np.asarray(array).dtype})")


def dropout_states(network):
    """[bit_generator.state] of each Dropout layer's generator, in layer order (None without any)."""
    states = [layer.rng.bit_generator.state for layer in network.layers if isinstance(layer, Dropout)]
    return states or None


def set_dropout_states(network, states):
    """Put dropout_states() back; ValueError if the network has another number of Dropout layers."""
    layers = [layer for layer in network.layers if isinstance(layer, Dropout)]
    if len(layers) != len(states):
        raise ValueError(f"the state has {len(states)} dropout generators, the network {len(layers)} dropout layers")
    for layer, state in zip(layers, states):
        layer.rng.bit_generator.state = state


def schedule_note(config, epochs_done, planned_epochs):
    """One sentence on what continuing does to the learning-rate schedule (see the module doc)."""
    if config.schedule == "constant":
        return "The learning rate is constant, so continuing matches an uninterrupted run."
    if config.schedule == "step":
        return ("The step schedule depends only on the epoch, so it extends: epoch "
                f"{epochs_done + 1} gets the rate it would have had in an uninterrupted run.")
    if planned_epochs == config.epochs:
        return "The cosine schedule continues to its planned end, as in an uninterrupted run."
    return (f"The cosine schedule is stretched over the new total of {config.epochs} epochs (it was planned "
            f"for {planned_epochs}): the learning rate rises to where the longer schedule is at epoch "
            f"{epochs_done + 1} and decays from there; it does not restart from the top.")
