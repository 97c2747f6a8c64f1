"""Atomic file writes: a reader (or a crash) never sees a half-written file."""
import contextlib
import os
import secrets
from pathlib import Path


@contextlib.contextmanager
def atomic_write(path):
    """Open a temp file beside ``path`` for binary writing; on success move it onto ``path``.

    The temp file lives in the same folder (so os.replace is an atomic rename), is flushed to
    disk before the rename, and is deleted if the block raises, KeyboardInterrupt included.
    It is created with mode 0o666 minus the umask, like open() (mkstemp would give 0o600).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)
    while True:
        temp_path = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
        try:
            fd = os.open(temp_path, flags, 0o666)
            break
        except FileExistsError:
            continue
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        os.replace(temp_path, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp_path)
        raise
