"""Atomic file writes: a reader (or a crash) never sees a half-written file.

The temp file beside the target is named ``.<target name>.<pid>.<8 hex>.tmp``: the pid lets a
later write to the same folder tell a temp file of a live writer from one a killed process left
behind (kill -9 runs no clean-up), and remove_stale_temps() removes the latter.
"""
import contextlib
import errno
import os
import re
import secrets
import stat
from pathlib import Path

from core.errors import DigitLabError

TEMP_PATTERN = re.compile(r"^\.(?P<name>.+)\.(?P<pid>\d+)\.[0-9a-f]{8}\.tmp$")
# what versions before the pid was added named them: no way to tell whose they are
OLD_TEMP_PATTERN = re.compile(r"^\.(?P<name>.+)\.[0-9a-f]{8}\.tmp$")


class NotARegularFileError(DigitLabError, OSError):
    """The target exists and is not a regular file (a FIFO, a device, a socket): replacing it
    would destroy it (as root, --out /dev/full replaced the device node). An OSError too, so
    every caller that reports failed writes reports this one."""

    def __str__(self):   # the sentence alone, without "[Errno 17]" and the repeated path
        return self.strerror or super().__str__()


def temp_name(name, pid=None):
    return f".{name}.{os.getpid() if pid is None else pid}.{secrets.token_hex(4)}.tmp"


def pid_alive(pid):
    """True / False whether process ``pid`` runs on this machine; None where that cannot be told
    safely (on Windows os.kill(pid, 0) would terminate the process)."""
    if os.name != "posix":
        return None
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True   # it exists, under another user
    except OSError:
        return None
    return True


def stale_temps(folder, name=None, writer_gone=False):
    """Temp files of atomic_write in ``folder`` (for the target ``name``, or any) whose process is
    gone. writer_gone: the caller knows nobody writes there now (a run record whose writer lock is
    free), so a temp whose process cannot be checked goes too."""
    found = []
    try:
        entries = list(Path(folder).iterdir())
    except OSError:
        return found
    for path in entries:
        match = TEMP_PATTERN.match(path.name)
        if match is None:
            # an earlier version's temp file (no pid): stale only where nobody can be writing
            old = OLD_TEMP_PATTERN.match(path.name)
            if old is not None and writer_gone and (name is None or old["name"] == name):
                found.append(path)
            continue
        if name is not None and match["name"] != name:
            continue
        alive = pid_alive(int(match["pid"]))
        if alive is False or (alive is None and writer_gone):
            found.append(path)
    return found


def remove_stale_temps(folder, name=None, writer_gone=False):
    """Delete stale_temps(...); returns the paths removed (one that vanished meanwhile is skipped)."""
    removed = []
    for path in stale_temps(folder, name, writer_gone):
        with contextlib.suppress(OSError):
            path.unlink()
            removed.append(path)
    return removed


def writable_target(path):
    """The file a write to ``path`` should replace: a symlink's target (so the link stays a link),
    else ``path``. NotARegularFileError if that exists and is not a regular file."""
    path = Path(path)
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        return path
    except OSError:
        return path   # unreadable metadata: the write itself will say what is wrong
    if stat.S_ISDIR(mode):
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(path))
    if not stat.S_ISREG(mode):
        kind = ("a FIFO (named pipe)" if stat.S_ISFIFO(mode) else "a device" if stat.S_ISCHR(mode) or stat.S_ISBLK(mode)
                else "a socket" if stat.S_ISSOCK(mode) else "not a regular file")
        raise NotARegularFileError(errno.EEXIST, f"{path} is {kind}; DigitLab only replaces regular files, "
                                                 f"give another file name", str(path))
    return path


@contextlib.contextmanager
def atomic_write(path, clean_stale=False):
    """Open a temp file beside ``path`` for binary writing; on success move it onto ``path``.

    The temp file lives in the same folder (so os.replace is an atomic rename), is flushed to
    disk before the rename, and is deleted if the block raises, KeyboardInterrupt included.
    It is created with mode 0o666 minus the umask, like open() (mkstemp would give 0o600).
    A symlink is written through (its target is replaced); a FIFO, device or socket is refused
    (NotARegularFileError). An OSError names ``path``, never the hidden temp file.
    clean_stale: first remove the temp files killed writers left for this same target (off by
    default: listing a folder of thousands of files costs about a millisecond per write).
    """
    path = writable_target(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if clean_stale:
        remove_stale_temps(path.parent, path.name)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp_path = path.with_name(temp_name(path.name))
        try:
            fd = os.open(temp_path, flags, 0o666)
            break
        except FileExistsError:
            continue
        except OSError as error:
            raise _naming(error, path) from None
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_path, path)
    except BaseException as error:
        with contextlib.suppress(OSError):
            os.unlink(temp_path)
        if isinstance(error, OSError) and error.filename in (None, str(temp_path)) \
                and not isinstance(error, DigitLabError):
            raise _naming(error, path) from None
        raise


def _naming(error, path):
    """The same kind of OSError, about ``path`` (the user's file) rather than the temp file:
    'No space left on device: model.npz', not '.model.npz.4242.9f3a.tmp'."""
    if error.errno is None:
        return error
    try:
        return type(error)(error.errno, error.strerror or os.strerror(error.errno), str(path))
    except TypeError:   # a subclass with its own constructor
        return OSError(error.errno, error.strerror or os.strerror(error.errno), str(path))
