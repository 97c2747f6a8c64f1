"""What continuing a mini-batch run needs, as of the end of an epoch: state out of a trainer,
state into a new one.

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


@dataclass
class TrainingState:
    """epochs_done: whole epochs trained; step: optimisation steps so far; history: the trainer's
    per-epoch lists (core.training.training_run.HISTORY_KEYS and extras); optimizer: the
    optimiser's state_dict() or None (start it fresh); order_rng: the data-order generator's
    bit_generator.state or None (re-derived from the seed); base_learning_rate: the rate the
    schedule multiplies (a person may have moved it mid-run); initial_loss: the loss of the
    run's first batch, which divergence detection compares against; elapsed: training seconds."""
    epochs_done: int
    step: int
    history: dict
    optimizer: Optional[dict] = None
    order_rng: Optional[dict] = None
    base_learning_rate: Optional[float] = None
    initial_loss: Optional[float] = None
    elapsed: float = 0.0
    extra: dict = field(default_factory=dict)

    def to_json(self):
        """(metadata dict, {name: array}) for a file: the optimiser's arrays go beside the JSON."""
        optimizer = None
        arrays = {}
        if self.optimizer is not None:
            optimizer = {"name": self.optimizer["name"], "scalars": dict(self.optimizer.get("scalars", {})),
                         "arrays": sorted(self.optimizer.get("arrays", {}))}
            arrays = {f"optimizer.{key}": np.asarray(value) for key, value in self.optimizer["arrays"].items()}
        data = {"epochs_done": int(self.epochs_done), "step": int(self.step), "optimizer": optimizer,
                "order_rng": self.order_rng, "base_learning_rate": self.base_learning_rate,
                "initial_loss": self.initial_loss, "elapsed": float(self.elapsed), "extra": dict(self.extra)}
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
        return cls(epochs_done=int(data["epochs_done"]), step=int(data["step"]),
                   history={k: list(v) for k, v in history.items()}, optimizer=optimizer,
                   order_rng=data.get("order_rng"), base_learning_rate=data.get("base_learning_rate"),
                   initial_loss=data.get("initial_loss"), elapsed=float(data.get("elapsed", 0.0)),
                   extra=dict(data.get("extra", {})))

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


def order_rng_after(seed, epochs_done, n_train, batches_per_epoch, batch_size, sampling):
    """The data-order generator state after ``epochs_done`` epochs of a run that drew nothing
    else from it: what Trainer._epoch_order consumed. Used when a record lacks the saved state."""
    rng = np.random.default_rng(seed + 1)
    for _ in range(epochs_done):
        if sampling == "replacement":
            rng.integers(0, n_train, batches_per_epoch * batch_size)
        else:
            rng.permutation(n_train)
    return rng.bit_generator.state


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


def export_state(trainer):
    """TrainingState of a mini-batch Trainer (core.training.minibatch) as it is now. With
    augmentation, extra["augment_rng"] is its generator's state: at an epoch end every batch of
    the epoch was augmented (also when prefetched: core.training.prefetch), so it is exact."""
    rng = getattr(trainer, "_order_rng", None)
    augmenter = getattr(trainer, "_augmenter", None)
    base = trainer.base_learning_rate
    history = trainer.history
    return TrainingState(epochs_done=len(history["epoch"]), step=trainer.step, history=trainer.history_copy(),
                         optimizer=trainer.optimizer.state_dict(),
                         order_rng=rng.bit_generator.state if rng is not None else None,
                         base_learning_rate=base, initial_loss=getattr(trainer, "_initial_loss", None),
                         elapsed=history["elapsed"][-1] if history["elapsed"] else 0.0,
                         extra={"augment_rng": augmenter.rng.bit_generator.state} if augmenter is not None else {})


def load_state(trainer, state):
    """Put ``state`` into a fresh Trainer: optimiser, base learning rate, step, history. Returns
    what its run() applies at the start: (epochs done, training seconds, initial loss, RNG state).
    Without saved optimiser / RNG state the optimiser starts fresh and the data order is
    re-derived from the seed (exact unless something else drew from that generator)."""
    from core.training.training_run import HISTORY_KEYS
    if state.optimizer is not None:
        trainer.optimizer.load_state(state.optimizer)
    if state.base_learning_rate is not None:
        trainer.set_learning_rate(state.base_learning_rate)
    trainer.step = int(state.step)
    # the augmentation draws go on from there (a record without it: a fresh generator, not exact)
    trainer._resumed_augment_rng = state.extra.get("augment_rng")
    trainer.history = {key: list(values) for key, values in state.history.items()}
    for key in HISTORY_KEYS:
        trainer.history.setdefault(key, [])
    cfg = trainer.config
    rng_state = state.order_rng or order_rng_after(cfg.seed, state.epochs_done, len(trainer.train_labels),
                                                   trainer.batches_per_epoch, cfg.batch_size, cfg.sampling)
    return int(state.epochs_done), float(state.elapsed), state.initial_loss, rng_state
