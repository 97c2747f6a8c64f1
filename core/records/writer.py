"""Run records: every training run kept on disk as it goes, one folder per run.

    runs_dir()/<run id>/            run id = UTC start time + a random suffix, e.g. 20261126-111500-3fa2c1
        settings.json              format, version, name, created, config (TrainConfig dict), dataset
                                   (name, source, image shape, class names), network (architecture,
                                   description), parent {run, epoch} of a fork, writer {pid, host}
        history.jsonl              one JSON object per finished epoch, appended and fsync'd
        checkpoints/epoch-0003.npz model file (core.files.model_io) + training state
                                   (core.files.model_state_io), written then renamed; thinned to a
                                   size cap, never the last or the best (run_records_thinning)
        end.json                   the end marker: reason (finished, stopped, diverged, crashed)
        writer.lock                locked by the process writing the record (core.records.writer_lock)

A crash or a killed process loses at most the epoch in progress: each checkpoint appears whole
(write-then-rename) before its history row is appended, and a reader ignores a torn last row.
A record without end.json whose writer process is gone reads as 'interrupted'. A record is
written by one process at a time: create() and reopen() take its writer lock (RunRecordError if
another process holds it) and finish() releases it; the operating system releases it if the
process dies.

RunRecorder consumes the trainer's snapshots (core.training.snapshots); ``recorded_run`` wraps a
trainer's run() so the CLI and the app record by iterating it instead. Reading and listing:
core.records.reader; continuing and forking: core.records.resume.
"""
import datetime
import json
import math
import os
import secrets
import shutil
from pathlib import Path

import numpy as np

from core.errors import DigitLabError
from core.storage import user_dirs
from core.storage.atomic import atomic_write
from core.records import writer_lock
from core.records.writer_lock import process_start_ticks, writer_identity   # noqa: F401 (callers import them here)
from core.records.thinning import DEFAULT_CAP_BYTES, best_epoch, checkpoints_to_drop

FORMAT = "digitlab-run"
VERSION = 1
SETTINGS_FILE, HISTORY_FILE, END_FILE, CHECKPOINT_DIR = "settings.json", "history.jsonl", "end.json", "checkpoints"


class RunRecordError(DigitLabError):
    """A run record is missing, unreadable, ambiguous, or cannot be changed as asked."""


def runs_root(root=None):
    return Path(root) if root is not None else user_dirs.runs_dir()


def checkpoint_path(record_dir, epoch):
    return Path(record_dir) / CHECKPOINT_DIR / f"epoch-{int(epoch):04d}.npz"


def checkpoint_epochs(record_dir):
    """{epoch: path} of the checkpoint files present (temporary files excluded)."""
    folder = Path(record_dir) / CHECKPOINT_DIR
    found = {}
    if folder.is_dir():
        for path in folder.glob("epoch-*.npz"):
            try:
                found[int(path.stem.split("-", 1)[1])] = path
            except ValueError:
                continue
    return dict(sorted(found.items()))


def plain_json(value):
    """value with NumPy scalars made plain and NaN/inf as None (strict JSON)."""
    if isinstance(value, dict):
        return {str(k): plain_json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain_json(v) for v in value]
    if isinstance(value, np.ndarray):
        return plain_json(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def write_json(path, data):
    with atomic_write(path) as handle:
        handle.write(json.dumps(plain_json(data), indent=1, allow_nan=False).encode("utf-8"))


def now_iso():
    return datetime.datetime.now(datetime.timezone.utc).isoformat(timespec="seconds")


def new_run_id():
    return f"{datetime.datetime.now(datetime.timezone.utc):%Y%m%d-%H%M%S}-{secrets.token_hex(3)}"


def default_run_name(config, network_description):
    rate = f" lr {config.learning_rate:g}" if config.optimizer not in ("cg", "lbfgs") else ""
    return f"{network_description.split(' ')[0]} {config.activation}, {config.optimizer}{rate}"


class RunRecorder:
    """Writes one run's record as its snapshots arrive. Use create() or reopen().

    Writing never stops training: the first failure (disk full, folder removed) is kept in
    ``failed`` (a sentence for the user) and recording stops there; what was written stays valid.
    validation: optional (val_inputs float (n_val, n_inputs), val_labels (n_val,)) so that each
    history row also gets the expected calibration error ('val_ece', 10 bins).
    """

    def __init__(self, record_dir, settings, validation=None, lock=None):
        self.record_dir = Path(record_dir)
        self.settings = settings
        self.validation = validation
        self.failed = None
        self._rows = []
        self.lock = lock   # writer_lock.WriterLock held until finish()

    @property
    def run_id(self):
        return self.settings["id"]

    # ----- opening ---------------------------------------------------------------------
    @classmethod
    def create(cls, config, dataset_name, dataset_source, image_shape, class_names, network, name=None,
               parent=None, root=None, cap_bytes=DEFAULT_CAP_BYTES, validation=None, extra=None, rows=()):
        """A new record under runs_root(root). parent: {'run': id, 'epoch': E} for a fork, or
        {'model': path} for a run continued from a model file; rows: history rows it starts with
        (a fork's parent's curves up to the fork). RunRecordError if it cannot be created."""
        run_id = new_run_id()
        record_dir = runs_root(root) / run_id
        settings = {
            "format": FORMAT, "version": VERSION, "id": run_id,
            "name": name or default_run_name(config, network.describe()), "created": now_iso(),
            "config": config.to_dict(),
            "dataset": {"name": dataset_name, "source": dataset_source, "image_shape": list(image_shape),
                        "class_names": list(class_names)},
            "network": {"architecture": network.architecture(), "description": network.describe()},
            "parent": parent, "cap_bytes": int(cap_bytes), "writer": writer_identity(), "continued": [],
            **(extra or {}),
        }
        try:
            (record_dir / CHECKPOINT_DIR).mkdir(parents=True)
            lock = writer_lock.acquire(record_dir)   # a new folder: nobody else can hold it
            write_json(record_dir / SETTINGS_FILE, settings)
            with atomic_write(record_dir / HISTORY_FILE) as handle:
                handle.write("".join(json_line(row) for row in rows).encode("utf-8"))
        except OSError as error:
            raise RunRecordError(f"cannot create the run record {record_dir}: {error.strerror or error}") from None
        recorder = cls(record_dir, settings, validation, lock)
        recorder._rows = list(rows)
        return recorder

    @classmethod
    def reopen(cls, record, epochs_done, config, validation=None, lock=None):
        """Continue writing an existing record (core.records.reader.RunRecord) after its
        epoch ``epochs_done``: later history rows and checkpoints are removed (they belong to a
        branch that is being replaced), the end marker goes, the settings get the new config.
        lock: its writer lock (core.records.resume.lock_for_writing), else taken here;
        RunRecordError if another process writes the record."""
        record_dir = Path(record.path)
        lock = lock if lock is not None else writer_lock.acquire(record_dir)
        if lock is None:
            raise RunRecordError(writer_lock.live_message(record.settings))
        settings = dict(record.settings)
        settings["config"] = config.to_dict()
        settings["writer"] = writer_identity()
        settings["continued"] = list(settings.get("continued", [])) + [{"after_epoch": epochs_done, "at": now_iso()}]
        rows = [row for row in record.rows if int(row.get("epoch", 0)) <= epochs_done]
        try:
            for epoch, path in checkpoint_epochs(record_dir).items():
                if epoch > epochs_done:
                    path.unlink()
            with atomic_write(record_dir / HISTORY_FILE) as handle:   # also drops a torn last row
                handle.write("".join(json_line(row) for row in rows).encode("utf-8"))
            write_json(record_dir / SETTINGS_FILE, settings)
            (record_dir / END_FILE).unlink(missing_ok=True)
        except OSError as error:
            lock.release()
            raise RunRecordError(f"cannot continue the run record {record_dir}: {error.strerror or error}") from None
        recorder = cls(record_dir, settings, validation, lock)
        recorder._rows = rows
        return recorder

    # ----- writing ---------------------------------------------------------------------
    def observe(self, snapshot, state=None):
        """Record a snapshot: an EpochSnapshot adds a checkpoint (with ``state``, a TrainingState,
        when the caller has it) and a history row; an EndSnapshot writes the end marker. Other
        kinds are ignored."""
        if self.failed:
            return
        try:
            if snapshot.kind == "epoch":
                self._record_epoch(snapshot, state)
            elif snapshot.kind == "end":
                self.finish(snapshot.reason, snapshot.message, step=snapshot.step, elapsed=snapshot.elapsed)
        except (OSError, DigitLabError) as error:
            self.failed = f"the run record {self.record_dir} could not be written ({error}); training went on"

    def _record_epoch(self, snapshot, state):
        from core.files.model_io import model_metadata
        from core.files.model_state_io import save_model_with_state
        epoch = snapshot.epoch + 1
        row = {key: values[-1] for key, values in snapshot.history.items() if len(values)}
        row["epoch"] = epoch
        if self.validation is not None and len(self.validation[1]):
            from core.evaluation.calibration import expected_calibration_error
            probabilities = getattr(snapshot, "val_probabilities", None)   # the epoch's own reading: no 2nd pass
            if probabilities is None or len(probabilities) != len(self.validation[1]):
                probabilities = snapshot.network.predict_proba(self.validation[0])
            row["val_ece"] = expected_calibration_error(probabilities, self.validation[1])
        dataset, config = self.settings["dataset"], self.settings["config"]
        metadata = model_metadata(snapshot.network, dataset["image_shape"], dataset["class_names"],
                                  config.get("normalisation", "zero_one"), dataset["name"], config,
                                  snapshot.history, config.get("positive_class", -1), source=dataset["source"],
                                  run={"id": self.run_id, "epoch": epoch})
        save_model_with_state(checkpoint_path(self.record_dir, epoch), snapshot.network, metadata, state)
        append_line(self.record_dir / HISTORY_FILE, json_line(row))
        self._rows.append(row)
        self._thin()

    def _thin(self):
        files = checkpoint_epochs(self.record_dir)
        sizes = {epoch: path.stat().st_size for epoch, path in files.items()}
        protected = {max(files)} if files else set()
        best = best_epoch(self._rows)
        if best is not None:
            protected.add(best)
        for epoch in checkpoints_to_drop(sizes, protected, int(self.settings.get("cap_bytes", DEFAULT_CAP_BYTES))):
            files[epoch].unlink()

    def finish(self, reason, message="", step=None, elapsed=None):
        """Write the end marker (reason: finished, stopped, diverged or crashed) and let go of the
        record (its writer lock)."""
        try:
            write_json(self.record_dir / END_FILE, {"reason": reason, "message": message, "step": step,
                                                    "epochs": len(self._rows), "elapsed": elapsed, "ended": now_iso()})
        finally:
            self.close()

    def close(self):
        """Release the writer lock (finish() does; the process ending does too)."""
        self.lock = self.lock and self.lock.release()


def json_line(row):
    return json.dumps(plain_json(row), allow_nan=False) + "\n"


def append_line(path, line):
    """Append one line and force it to disk before returning (a crash keeps every finished row)."""
    with open(path, "ab") as handle:
        handle.write(line.encode("utf-8"))
        handle.flush()
        os.fsync(handle.fileno())


def recorded_run(trainer, recorder):
    """trainer.run(), recording every snapshot on the way (yields them unchanged).

    The trainer's state is taken while its generator is suspended at the EpochSnapshot, so the
    checkpoint can be continued exactly. If the caller abandons the iteration, the record ends
    as 'stopped'; an exception ends it as 'crashed' (and is re-raised).
    """
    ended = False
    try:
        for snapshot in trainer.run():
            state = trainer.state() if snapshot.kind == "epoch" and trainer.resumable else None
            recorder.observe(snapshot, state)
            ended = ended or snapshot.kind == "end"
            yield snapshot
    except (GeneratorExit, KeyboardInterrupt):
        if not ended:
            _safe_finish(recorder, "stopped", "The run was interrupted before it ended.")
        raise
    except Exception as error:
        _safe_finish(recorder, "crashed", f"{type(error).__name__}: {error}")
        raise
    finally:
        recorder.close()   # also when recording failed and no end marker was written


def _safe_finish(recorder, reason, message):
    if recorder.failed:
        return
    try:
        recorder.finish(reason, message)
    except OSError:
        pass


def copy_checkpoint(source, record_dir, epoch):
    """Copy a parent's checkpoint into a fork's record (its curves and weights start there)."""
    target = checkpoint_path(record_dir, epoch)
    with open(source, "rb") as src, atomic_write(target) as dst:
        shutil.copyfileobj(src, dst)
