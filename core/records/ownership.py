"""Is a process writing a run record now (what 'running' means)?

The writer lock (core.records.writer_lock) decides; a record written before the lock existed
(no writer.lock file) is judged by its writer's pid in settings.json, as before. Reading a record
nobody writes also removes the temp files a killed writer left in it (kill -9 runs no clean-up).
"""
import os
import socket
from pathlib import Path

from core.records import writer_lock
from core.records.writer import CHECKPOINT_DIR
from core.records.writer_lock import process_start_ticks
from core.storage.atomic import pid_alive, remove_stale_temps


def writer_alive(writer):
    """True if the process named as the writer still runs (checked on this host only): how a
    record written before the writer lock existed (no writer.lock) is judged."""
    if not isinstance(writer, dict) or writer.get("host") != socket.gethostname():
        return False
    pid = writer.get("pid")
    if pid == os.getpid():
        return True
    if not isinstance(pid, int) or not pid_alive(pid):   # None (cannot tell, e.g. Windows): not alive
        return False
    started = writer.get("started")
    return started is None or process_start_ticks(pid) in (None, started)


def is_live(record_dir, settings, ended=False):
    """True while a process writes the record: it holds the writer lock (a continuation that has
    not yet removed the old end marker included). A record older than the lock: its writer's pid
    runs and it has no end marker (``ended``). When nobody writes, the temp files a killed writer
    left are removed, under the probe's lock, so that no writer can start meanwhile."""
    record_dir = Path(record_dir)
    with writer_lock.probe(record_dir) as held:
        live = (not ended and writer_alive(settings.get("writer"))) if held is None else held
        if not live:
            for folder in (record_dir, record_dir / CHECKPOINT_DIR):
                remove_stale_temps(folder, writer_gone=True)
    return live
