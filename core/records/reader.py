"""Reading run records (core.records.writer): load one, list all, find one by id or name,
rename, delete.

A record that cannot be read is never an exception in list_runs(): it is a row whose status is
'corrupt' or 'newer-version' and whose ``problem`` says why, and it is left on disk untouched
(every field's type is checked on reading: core.records.schema). Only delete_run() removes a
record, and only the one it is asked to, never one that a live process writes
(core.records.writer_lock). Reading a record whose writer is gone removes the temp files a
killed writer left in it; nothing else is ever changed by reading.
"""
import datetime
import json
import os
import shutil
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Optional

from core.records import schema, writer_lock
from core.records.ownership import is_live, writer_alive   # noqa: F401 (writer_alive: callers import it here)
from core.records.writer import (END_FILE, FORMAT, HISTORY_FILE, SETTINGS_FILE, VERSION, RunRecordError,
                                 checkpoint_epochs, runs_root, write_json)
from core.records.thinning import best_epoch

STATUSES = ("running", "finished", "stopped", "diverged", "crashed", "interrupted", "corrupt", "newer-version")


@dataclass
class RunRecord:
    """One readable record. rows: history rows (dicts, one per finished epoch); checkpoints:
    {epoch: path}; end: the end marker's dict or None; status: see STATUSES."""
    path: Path
    settings: dict
    rows: list
    checkpoints: dict
    end: Optional[dict]
    status: str

    @property
    def run_id(self):
        return self.settings["id"]

    @property
    def name(self):
        return self.settings.get("name", self.run_id)

    def history(self):
        """The rows as {metric: [value per epoch]} (a metric missing in a row is None there)."""
        keys = []
        for row in self.rows:
            keys += [k for k in row if k not in keys]
        return {key: [row.get(key) for row in self.rows] for key in keys}


@dataclass
class RunSummary:
    """One line of the Runs list. problem: why the record cannot be read (None if it can)."""
    id: str
    path: str
    status: str
    name: str = ""
    created: str = ""
    dataset: str = ""
    network: str = ""
    epochs: int = 0
    best_val_accuracy: Optional[float] = None
    best_epoch: Optional[int] = None
    final_val_accuracy: Optional[float] = None
    training_seconds: Optional[float] = None
    checkpoints: list = field(default_factory=list)
    parent: Optional[dict] = None
    problem: Optional[str] = None

    def to_json(self):
        return asdict(self)


class UnreadableRecord(Exception):
    def __init__(self, status, reason):
        super().__init__(reason)
        self.status, self.reason = status, reason


def read_settings(record_dir):
    path = Path(record_dir) / SETTINGS_FILE
    if not path.exists():
        raise UnreadableRecord("corrupt", f"no {SETTINGS_FILE} (not a DigitLab run record, or its creation was cut short)")
    try:
        settings = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise UnreadableRecord("corrupt", f"{SETTINGS_FILE} is not valid JSON ({error})") from None
    if not isinstance(settings, dict) or settings.get("format") != FORMAT:
        raise UnreadableRecord("corrupt", f"{SETTINGS_FILE} is not a DigitLab run record's settings")
    version = settings.get("version")
    if not isinstance(version, int):
        raise UnreadableRecord("corrupt", f"{SETTINGS_FILE} has no format version")
    if version > VERSION:
        raise UnreadableRecord("newer-version", f"written by a newer DigitLab (run record version {version}; "
                                                f"this one reads up to {VERSION})")
    for key in ("id", "config", "dataset", "network"):
        if key not in settings:
            raise UnreadableRecord("corrupt", f"{SETTINGS_FILE} lacks '{key}'")
    problem = schema.settings_problem(settings)
    if problem:
        raise UnreadableRecord("corrupt", f"{SETTINGS_FILE}: {problem}")
    return settings


def read_rows(record_dir):
    """History rows. A last line without its newline is a write cut short by a crash: ignored.
    Any other line that is not a JSON object makes the record corrupt."""
    path = Path(record_dir) / HISTORY_FILE
    try:
        text = path.read_text(encoding="utf-8") if path.exists() else ""
    except (OSError, UnicodeDecodeError) as error:
        raise UnreadableRecord("corrupt", f"{HISTORY_FILE} cannot be read ({error})") from None
    lines = text.split("\n")
    lines.pop()   # '' when the file ends with a newline, else a torn last row: ignored
    rows = []
    for number, line in enumerate(lines, 1):
        try:
            row = json.loads(line)
        except ValueError as error:
            raise UnreadableRecord("corrupt", f"{HISTORY_FILE} line {number} is unreadable ({error})") from None
        problem = schema.row_problem(row, rows[-1]["epoch"] if rows else None)
        if problem:
            raise UnreadableRecord("corrupt", f"{HISTORY_FILE} line {number} is unreadable ({problem})")
        rows.append(row)
    return rows


def load_run(record_dir):
    """RunRecord of a record folder; UnreadableRecord(status, reason) if it cannot be read."""
    record_dir = Path(record_dir)
    settings = read_settings(record_dir)
    rows = read_rows(record_dir)
    end = None
    end_path = record_dir / END_FILE
    if end_path.exists():
        try:
            end = json.loads(end_path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, ValueError) as error:
            raise UnreadableRecord("corrupt", f"{END_FILE} is unreadable ({error})") from None
        problem = schema.end_problem(end)
        if problem:
            raise UnreadableRecord("corrupt", f"{END_FILE} is unreadable ({problem})")
    if is_live(record_dir, settings, ended=end is not None):
        status = "running"
    elif end is not None:
        status = end.get("reason") if end.get("reason") in STATUSES else "stopped"
    else:
        status = "interrupted"
    return RunRecord(record_dir, settings, rows, checkpoint_epochs(record_dir), end, status)


def summarize(record_dir):
    """RunSummary of a folder, readable or not (never raises for a bad record)."""
    record_dir = Path(record_dir)
    try:
        record = load_run(record_dir)
    except UnreadableRecord as problem:
        return RunSummary(id=record_dir.name, path=str(record_dir), status=problem.status, name=record_dir.name,
                          created=_folder_time(record_dir), problem=problem.reason)
    settings, rows = record.settings, record.rows
    best = best_epoch(rows)
    best_value = next((r["val_accuracy"] for r in rows if r["epoch"] == best), None) if best else None
    return RunSummary(
        id=record.run_id, path=str(record_dir), status=record.status, name=record.name,
        created=settings.get("created", ""), dataset=settings["dataset"].get("name", ""),
        network=settings["network"].get("description", ""), epochs=len(rows), best_val_accuracy=best_value,
        best_epoch=best, final_val_accuracy=rows[-1].get("val_accuracy") if rows else None,
        training_seconds=rows[-1].get("elapsed") if rows else 0.0, checkpoints=list(record.checkpoints),
        parent=settings.get("parent"))


def _folder_time(path):
    try:
        stamp = path.stat().st_mtime
    except OSError:
        return ""
    return datetime.datetime.fromtimestamp(stamp, datetime.timezone.utc).isoformat(timespec="seconds")


def list_runs(root=None):
    """RunSummary of every folder in the runs folder, oldest first (ids start with the UTC time)."""
    folder = runs_root(root)
    if not folder.is_dir():
        return []
    try:
        entries = sorted(p for p in folder.iterdir() if p.is_dir() and not p.name.startswith("."))
    except OSError as error:
        raise RunRecordError(f"cannot list the runs folder {folder}: {error.strerror or error}") from None
    return [summarize(path) for path in entries]


def resolve_run(reference, root=None):
    """The record folder a reference names: a run id, a unique start of one, a unique run name, or
    a path to a record folder. RunRecordError saying what matched otherwise."""
    reference = str(reference).strip()
    as_path = Path(reference).expanduser()
    if (as_path / SETTINGS_FILE).exists():
        return as_path
    folder = runs_root(root)
    summaries = list_runs(root)
    if (folder / reference).is_dir() and reference:
        return folder / reference
    by_prefix = [s for s in summaries if s.id.startswith(reference)] if reference else []
    if len(by_prefix) == 1:
        return Path(by_prefix[0].path)
    by_name = [s for s in summaries if s.name == reference]
    if len(by_name) == 1:
        return Path(by_name[0].path)
    matches = by_prefix or by_name
    if matches:
        raise RunRecordError(f"{reference!r} matches {len(matches)} runs ({', '.join(s.id for s in matches[:5])}); "
                             f"give more of the run id")
    raise RunRecordError(f"no run {reference!r} in {folder} (python main.py runs lists them)")


def open_run(reference, root=None):
    """RunRecord for a reference (resolve_run); RunRecordError if it cannot be read."""
    path = resolve_run(reference, root)
    try:
        return load_run(path)
    except UnreadableRecord as problem:
        raise RunRecordError(f"the run record {path.name} cannot be used: {problem.reason}") from None


def rename_run(reference, new_name, root=None):
    """Give a record a new name (its id and folder stay). Returns the record's path."""
    new_name = str(new_name).strip()
    if not new_name or "\n" in new_name or len(new_name) > 200:
        raise RunRecordError("a run name must be one line of 1 to 200 characters")
    record = open_run(reference, root)
    settings = dict(record.settings, name=new_name)
    try:
        write_json(record.path / SETTINGS_FILE, settings)
    except OSError as error:
        raise RunRecordError(f"cannot rename {record.run_id}: {error.strerror or error}") from None
    return record.path


def delete_run(reference, root=None):
    """Delete one record folder (readable or not). A record that a live process writes is refused:
    the delete holds the writer lock, so no writer can start while the folder goes."""
    path = resolve_run(reference, root)
    summary = summarize(path)
    try:
        lock = writer_lock.acquire(path)
    except OSError as error:
        raise RunRecordError(f"cannot delete {path}: {error.strerror or error}") from None
    if lock is None or summary.status == "running":   # running: an older record's writer pid runs
        if lock is not None:
            lock.release()
        raise RunRecordError(f"run {summary.id} is still being recorded by a running DigitLab; stop it first")
    try:
        if os.name != "posix":
            lock.release()   # Windows cannot delete an open file
        shutil.rmtree(path)
    except OSError as error:
        raise RunRecordError(f"cannot delete {path}: {error.strerror or error}") from None
    finally:
        lock.release()
    return path
