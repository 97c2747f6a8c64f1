"""Continue a run (from its record or a model file saved with its training state) and fork one
from any epoch checkpoint with changed settings; then open the record the new training writes.

    plan = plan_resume("20261126-1115", more_epochs=1)            # or a model file path
    plan = plan_fork("20261126-1115", epoch=2, changes={"learning_rate": 0.05})
    trainer = make_trainer(plan.config, dataset, network=plan.network)
    recorder = start_recording(trainer, dataset, plan)           # state in + the record
    for snapshot in recorded_run(trainer, recorder): ...

Continuing a record appends to that same record (its curves go on where they ended; later
epochs of an earlier continuation are replaced). Continuing a model file, and every fork, make a
new record that names where it came from. A fork keeps the network (its layers are the
checkpoint's), the optimiser state when the optimiser is the same, and the data order when the
seed and validation split are the same; the schedule's position follows the epoch. How the
learning-rate schedule continues: core.training.training_state.
"""
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Optional

import numpy as np

from core.errors import ConfigError, ModelFileError
from core.files.model_state_io import load_model_with_state
from core.settings.config import TrainConfig
from core.training.fullbatch import is_full_batch
from core.training.optim import make_optimizer
from core.records.writer import CHECKPOINT_DIR, DEFAULT_CAP_BYTES, RunRecorder, RunRecordError, copy_checkpoint
from core.records import writer_lock
from core.records.reader import RunRecord, UnreadableRecord, load_run, open_run
from core.records.writer_lock import live_message
from core.storage.atomic import remove_stale_temps
from core.training.training_state import TrainingState, schedule_note

# Settings that define the network's layers: a fork cannot change them (its weights would not fit).
NETWORK_FIELDS = ("hidden_sizes", "layers", "activation", "loss", "output", "positive_class", "image_size")


@dataclass
class ContinuePlan:
    """What a continued or forked run starts from. record: the record to append to (continuing a
    run), else None (a new record, naming ``parent``)."""
    config: TrainConfig
    network: object
    state: TrainingState
    dataset: dict                      # name, source, image_shape, class_names it was trained on
    note: str                          # what continuing does to the schedule, for the user
    record: Optional[RunRecord] = None
    parent: Optional[dict] = None
    name: Optional[str] = None
    rows: tuple = ()                   # history rows a new record starts with
    fork_checkpoint: Optional[Path] = None
    recompute_step: bool = False       # a fork with another batch size: step = epochs * batches

    def prepare(self, trainer):
        """Load the state into a freshly made trainer (whose network is self.network)."""
        if not trainer.resumable:
            raise ConfigError("only mini-batch training (sgd, momentum, adam) can be continued")
        if trainer.network.n_classes != len(trainer.class_names):
            raise ConfigError(f"the saved network has {trainer.network.n_classes} classes but this data has "
                              f"{len(trainer.class_names)}")
        state = self.state
        if self.recompute_step:
            state = replace(state, step=state.epochs_done * trainer.batches_per_epoch)
        try:
            trainer.restore(state)
        except ValueError as error:   # optim.load_state: another optimiser's state, or a slot missing
            raise ModelFileError(f"the saved training state does not fit this run ({error})") from None


def _state_from_history(history):
    """A TrainingState for a file without one: epochs and step from its history, fresh optimiser."""
    epochs = len(history.get("epoch", []))
    step = int(history["step"][-1]) if history.get("step") else 0
    elapsed = float(history["elapsed"][-1]) if history.get("elapsed") else 0.0
    return TrainingState(epochs_done=epochs, step=step, history=history, elapsed=elapsed)


def _rows_from_history(history):
    keys = list(history)
    n = len(history.get("epoch", []))
    rows = tuple({key: history[key][i] for key in keys if i < len(history[key])} for i in range(n))
    return tuple(dict(row, epoch=i + 1) for i, row in enumerate(rows))   # the trainer keeps epochs as floats


def _check_more_epochs(more_epochs):
    if more_epochs is None or int(more_epochs) < 1:
        raise ConfigError("say how many more epochs to train with --epochs N (N >= 1)")
    return int(more_epochs)


def _load_checkpoint(path):
    network, metadata, state = load_model_with_state(path)
    history = metadata.get("history", {})
    if state is None:
        state = _state_from_history(history)
    config = TrainConfig.from_dict(metadata.get("config", {}))
    dataset = {"name": metadata.get("dataset", ""), "source": metadata.get("source", ""),
               "image_shape": metadata["input_shape"], "class_names": metadata["class_names"]}
    return network, state, config, dataset


def _check_optimizer_state(config, network, state):
    """ModelFileError now, before the data is loaded and training starts, if the saved optimiser
    state cannot go into this run's optimiser (another optimiser's, or a slot missing): tried on
    a throw-away optimiser of the network's shapes."""
    if state.optimizer is None:
        return
    try:
        spare = make_optimizer(config.optimizer, [np.zeros_like(p) for p in network.params], config.momentum)
        spare.load_state(state.optimizer)
    except (ValueError, KeyError, TypeError) as error:
        raise ModelFileError(f"the saved training state does not fit this run ({error})") from None


def _refuse_full_batch(config):
    if is_full_batch(config):
        raise ConfigError(f"a run trained with {config.optimizer} (full batch) cannot be continued; "
                          f"only sgd, momentum and adam runs can")


def plan_resume(reference, more_epochs, root=None):
    """Continue a record (id, name or folder) or a model file by more_epochs epochs."""
    more_epochs = _check_more_epochs(more_epochs)
    if not str(reference).strip():
        raise ConfigError("--resume needs a run (id, start of an id, or name) or a model file; "
                          "python main.py runs lists the runs")
    path = Path(str(reference)).expanduser()
    if path.is_file():
        network, state, config, dataset = _load_checkpoint(path)
        record, parent, rows = None, {"model": str(path.resolve())}, _rows_from_history(state.history)
        name = f"{path.stem} continued"
    else:
        record = open_run(reference, root)
        if record.status == "running":   # refused here, early; reopen's writer lock is what enforces it
            raise RunRecordError(live_message(record.settings))
        usable = [e for e in record.checkpoints if e <= len(record.rows)]
        if not usable:
            raise ConfigError(f"run {record.run_id} has no finished epoch to continue from")
        network, state, config, dataset = _load_checkpoint(record.checkpoints[max(usable)])
        parent, rows, name = None, (), None
    _refuse_full_batch(config)
    _check_optimizer_state(config, network, state)
    planned = config.epochs
    config = replace(config, epochs=state.epochs_done + more_epochs, iterations=0).validate()
    return ContinuePlan(config, network, state, dataset, schedule_note(config, state.epochs_done, planned),
                        record=record, parent=parent, name=name, rows=rows)


def plan_fork(reference, epoch, changes, more_epochs=None, root=None):
    """A new run from record ``reference``'s checkpoint at ``epoch`` (1-based) with ``changes``
    ({TrainConfig field: value}). more_epochs defaults to what the parent trained after that epoch."""
    record = open_run(reference, root)
    epoch = int(epoch)
    if epoch not in record.checkpoints or epoch > len(record.rows):
        kept = ", ".join(str(e) for e in record.checkpoints if e <= len(record.rows)) or "none"
        raise ConfigError(f"run {record.run_id} has no checkpoint of epoch {epoch} (kept: {kept})")
    network, state, parent_config, dataset = _load_checkpoint(record.checkpoints[epoch])
    _refuse_full_batch(parent_config)
    changes = {k: v for k, v in changes.items() if k not in ("epochs", "iterations")}
    unknown = [k for k in changes if k not in parent_config.to_dict()]
    if unknown:
        raise ConfigError(f"unknown settings for a fork: {', '.join(unknown)}")
    layers = [k for k in NETWORK_FIELDS if k in changes and changes[k] != getattr(parent_config, k)]
    if layers:
        raise ConfigError(f"a fork keeps the parent's network, so it cannot change {', '.join(layers)}; "
                          f"start a new run for that")
    if more_epochs is None:
        more_epochs = max(1, len(record.rows) - epoch)
    more_epochs = _check_more_epochs(more_epochs)
    config = replace(parent_config, **changes, epochs=epoch + more_epochs, iterations=0).validate()
    _refuse_full_batch(config)
    state = state.truncated(epoch)
    same_order = (config.seed, config.val_split, config.sampling, config.batch_size) == \
                 (parent_config.seed, parent_config.val_split, parent_config.sampling, parent_config.batch_size)
    state = replace(state, base_learning_rate=None,   # the fork's own learning rate
                    optimizer=state.optimizer if config.optimizer == parent_config.optimizer else None,
                    order_rng=state.order_rng if same_order else None)
    _check_optimizer_state(config, network, state)
    rows = tuple(row for row in record.rows if row["epoch"] <= epoch)
    return ContinuePlan(config, network, state, dataset, schedule_note(config, epoch, config.epochs),
                        parent={"run": record.run_id, "epoch": epoch, "name": record.name},
                        name=f"{record.name} / fork at {epoch}", rows=rows,
                        fork_checkpoint=record.checkpoints[epoch],
                        recompute_step=config.batch_size != parent_config.batch_size)


def lock_for_writing(record):
    """The writer lock of ``record`` (a RunRecord) for continuing it (RunRecorder.reopen);
    RunRecordError if another process writes it, or if it changed after it was read (another
    continuation ran in between: going on from the old state would replace its epochs). Temp
    files that a killed writer left in the record are removed."""
    try:
        lock = writer_lock.acquire(record.path)
    except OSError as error:
        raise RunRecordError(f"cannot continue the run record {record.path}: {error.strerror or error}") from None
    if lock is None:
        raise RunRecordError(live_message(record.settings))
    try:
        now = load_run(record.path)
    except UnreadableRecord as problem:
        lock.release()
        raise RunRecordError(f"the run record {record.path.name} cannot be used: {problem.reason}") from None
    if (len(now.rows), now.end, now.settings.get("continued")) != (len(record.rows), record.end,
                                                                   record.settings.get("continued")):
        lock.release()
        raise RunRecordError(f"run {record.run_id} changed while this continuation was prepared (another "
                             f"process continued it); look at it again and retry")
    for folder in (Path(record.path), Path(record.path) / CHECKPOINT_DIR):
        remove_stale_temps(folder, writer_gone=True)
    return lock


def validation_inputs(trainer):
    """(val_inputs float (n_val, n_inputs), val_labels (n_val,)) of a trainer, for per-epoch ECE."""
    from core.data.normalise import to_float
    return to_float(trainer.val_images, trainer.config.normalisation, trainer.network.dtype), trainer.val_labels


def start_recording(trainer, dataset, plan=None, root=None, cap_bytes=DEFAULT_CAP_BYTES, name=None):
    """Load the plan's state into the trainer (if any) and return the RunRecorder for this run:
    the plan's record reopened, or a new record (a fork starts with its parent's checkpoint)."""
    if plan is not None:
        plan.prepare(trainer)
    validation = validation_inputs(trainer)
    if plan is not None and plan.record is not None:
        lock = lock_for_writing(plan.record)
        return RunRecorder.reopen(plan.record, plan.state.epochs_done, plan.config, validation, lock=lock)
    recorder = RunRecorder.create(trainer.config, dataset.name, dataset.source, trainer.image_shape,
                                  trainer.class_names, trainer.network,
                                  name=name or (plan.name if plan else None),
                                  parent=plan.parent if plan else None, root=root, cap_bytes=cap_bytes,
                                  validation=validation, rows=plan.rows if plan else ())
    if plan is not None and plan.fork_checkpoint is not None:
        copy_checkpoint(plan.fork_checkpoint, recorder.record_dir, plan.state.epochs_done)
    return recorder
