"""Who writes a run record: an OS advisory lock on ``writer.lock`` in the record folder.

The process that writes a record (a new run, or a continued one) holds an exclusive lock on
that file for as long as it writes. The operating system drops the lock when the process ends,
however it ends (kill -9 included), so a lock never goes stale and no pid has to be trusted:

  - a continuation (train --resume, the app's Continue) takes the lock before it touches the
    record, so it is refused while another process writes it, and of two simultaneous ones
    only the first proceeds;
  - delete takes it too, so a record is never deleted under its writer;
  - readers (listing, opening) probe it with a shared lock that they hold only while they look:
    'running' is "someone holds the lock", and temp files found while the probe holds it belong
    to a dead writer (nobody can start writing while a reader holds the shared lock).

POSIX: fcntl.flock (per open file, so a second open in the same process is refused too, which
is what a second recorder in the app must see). Windows: msvcrt.locking on the first byte
(exclusive only: a probe takes the exclusive lock briefly). A record written by a DigitLab
older than this lock has no lock file: readers then fall back to the writer's pid
(core.records.ownership.writer_alive).
"""
import contextlib
import errno
import os
import socket
import time
from pathlib import Path

try:
    import fcntl
except ImportError:   # Windows
    fcntl = None
    import msvcrt

LOCK_FILE = "writer.lock"
# A reader's probe holds the shared lock for a few milliseconds: a writer retries this long
# before it concludes that another writer holds the record.
WRITER_PATIENCE_SECONDS = 1.0


def _try_lock(fd, exclusive):
    """True if the lock was taken now, False if another open file holds a conflicting one."""
    try:
        if fcntl is not None:
            fcntl.flock(fd, (fcntl.LOCK_EX if exclusive else fcntl.LOCK_SH) | fcntl.LOCK_NB)
        else:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_NBLCK, 1)
    except (BlockingIOError, PermissionError):
        return False
    except OSError as error:
        if error.errno in (errno.EAGAIN, errno.EACCES, errno.EWOULDBLOCK, errno.EDEADLK):
            return False
        raise
    return True


def _unlock(fd):
    with contextlib.suppress(OSError):
        if fcntl is not None:
            fcntl.flock(fd, fcntl.LOCK_UN)
        else:
            os.lseek(fd, 0, os.SEEK_SET)
            msvcrt.locking(fd, msvcrt.LK_UNLCK, 1)


class WriterLock:
    """The held exclusive lock of one record folder. release() (or the process ending) frees it."""

    def __init__(self, path, fd):
        self.path, self._fd = Path(path), fd

    @property
    def held(self):
        return self._fd is not None

    def release(self):
        if self._fd is not None:
            fd, self._fd = self._fd, None
            _unlock(fd)
            os.close(fd)

    def __del__(self):   # a recorder dropped without finishing: its lock goes with it
        self.release()


def acquire(record_dir, patience=WRITER_PATIENCE_SECONDS):
    """WriterLock of ``record_dir`` (the lock file is created if missing), or None when another
    open file (another process, or another recorder in this one) holds it. OSError if the folder
    cannot hold a lock file."""
    path = Path(record_dir) / LOCK_FILE
    fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_BINARY", 0), 0o666)
    deadline = time.monotonic() + patience
    while not _try_lock(fd, exclusive=True):
        if time.monotonic() >= deadline:
            os.close(fd)
            return None
        time.sleep(0.01)
    return WriterLock(path, fd)


@contextlib.contextmanager
def probe(record_dir):
    """Whether a writer holds ``record_dir``: yields True (a writer holds it), False (nobody does,
    and nobody can start while the block runs), or None (no lock file: an older record)."""
    path = Path(record_dir) / LOCK_FILE
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_BINARY", 0))   # never create it: readers write nothing
    except FileNotFoundError:
        yield None
        return
    except OSError:
        yield True   # cannot tell: act as if it were written (never delete under a writer)
        return
    try:
        taken = _try_lock(fd, exclusive=fcntl is None)
        try:
            yield not taken
        finally:
            if taken:
                _unlock(fd)
    finally:
        os.close(fd)


# The writer's identity in settings.json: informative (the lock decides), and what records written
# before the lock existed are judged by (core.records.ownership.writer_alive).
def process_start_ticks(pid):
    """When process pid started (Linux: clock ticks since boot, /proc/<pid>/stat field 22), or
    None where that cannot be read. Tells a live writer from a new process that reuses its pid."""
    try:
        with open(f"/proc/{int(pid)}/stat", "rb") as handle:
            fields = handle.read().rsplit(b")", 1)[1].split()
        return int(fields[19])
    except (OSError, ValueError, IndexError):
        return None


def writer_identity():
    pid = os.getpid()
    return {"pid": pid, "host": socket.gethostname(), "started": process_start_ticks(pid)}


def live_message(settings):
    """The one line that refuses to change a record another process writes."""
    writer = settings.get("writer") if isinstance(settings.get("writer"), dict) else {}
    pid = f" (pid {writer['pid']})" if isinstance(writer.get("pid"), int) else ""
    return (f"run {settings.get('id')} is still being recorded by a running DigitLab{pid}; "
            f"wait for it to end or stop it first")
