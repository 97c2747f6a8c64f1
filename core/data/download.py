"""Download the four MNIST files from public mirrors, verifying each file's MD5.

Each file is streamed into a temp file beside its destination, checked, and only then renamed
into place, so the folder never holds a partial or wrong file under a real name. Files that
are already present with the right checksum are not downloaded again. A failure says what
every mirror answered (the message) and why in one line (NoMirrorDelivered.reason);
all_or_nothing() takes back the files a failed or cancelled download had already completed,
so that the folder never holds half a dataset (the app's loader would take it for MNIST).
"""

from __future__ import annotations

import hashlib
import http.client
import os
import socket
import urllib.error
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterable, Mapping

from core.errors import DownloadError
from core.storage.atomic import atomic_write

# File name -> official MD5 (the .gz files as published by Yann LeCun et al.).
MNIST_FILES: dict[str, str] = {
    "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
    "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
    "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
    "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
}

# Tried in order. The original site often refuses scripted downloads, so it comes last.
MNIST_MIRRORS: list[str] = [
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
]

CHUNK_SIZE = 64 * 1024
# Some servers answer Python's default user agent with 403.
_USER_AGENT = "DigitLab/1.0 (MNIST downloader)"

ProgressCallback = Callable[[str, int, "int | None"], None]


class DownloadCancelled(DownloadError):
    """The caller's cancel() returned True; nothing partial was left on disk."""


class NoMirrorDelivered(DownloadError):
    """No mirror delivered one of the files; ``reason`` says why in one line for the app."""

    def __init__(self, message: str, reason: str):
        super().__init__(message)
        self.reason = reason


class _MirrorFailed(Exception):
    """One mirror did not deliver a good file; the message says what it answered and ``kind``
    what went wrong: 'network' (refused, timed out, not found), 'http', 'incomplete', 'checksum'."""

    def __init__(self, message: str, kind: str = "network"):
        super().__init__(message)
        self.kind = kind


def _one_line_reason(file_name: str, failures: list) -> str:
    """Why no mirror delivered ``file_name``, in one line: a damaged file says more than the
    unreachable mirrors tried after it, and a server's answer more than a broken connection."""
    kinds = [f.kind for f in failures]
    if not failures:
        return "no download address was given"
    if "checksum" in kinds:
        return f"{file_name} arrived damaged (its checksum did not match)"
    if "http" in kinds:
        return f"the servers answered {failures[kinds.index('http')]} for {file_name}"
    if "incomplete" in kinds:
        return f"the connection broke off during {file_name}"
    return f"no connection to the MNIST servers ({failures[0]})"


def download_mnist(
    dest_dir: str | os.PathLike,
    mirrors: Iterable[str] = MNIST_MIRRORS,
    progress: ProgressCallback | None = None,
    timeout: float = 30,
    cancel: Callable[[], bool] | None = None,
    checksums: Mapping[str, str] | None = None,
) -> Path:
    """Make sure ``dest_dir`` holds every file in ``checksums`` (default MNIST_FILES); returns dest_dir.

    progress(file_name, bytes_done, bytes_total_or_None) is called for every chunk received
    (and once with done == total for a file that is already present). cancel() is polled
    between chunks; when it returns True, DownloadCancelled is raised. A mirror that answers
    with an HTTP error, refuses the connection, times out or serves a file with the wrong
    checksum is skipped; DownloadError is raised when no mirror delivers a file.
    """
    dest_dir = Path(dest_dir).expanduser()
    checksums = dict(MNIST_FILES if checksums is None else checksums)
    mirrors = list(mirrors)
    try:
        dest_dir.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DownloadError(f"cannot create the download folder {dest_dir}: {exc.strerror or exc}") from None

    for file_name, expected_md5 in checksums.items():
        _check_cancel(cancel)
        target = dest_dir / file_name
        if target.is_file() and _md5_of_file(target) == expected_md5:
            if progress:
                size = target.stat().st_size
                progress(file_name, size, size)
            continue
        answers, failures = [], []
        for mirror in mirrors:
            url = mirror.rstrip("/") + "/" + file_name
            try:
                _download_one(url, target, expected_md5, progress, timeout, cancel)
                break
            except _MirrorFailed as failure:
                answers.append(f"{url} -> {failure}")
                failures.append(failure)
        else:
            tried = "; ".join(answers) if answers else "no mirrors given"
            raise NoMirrorDelivered(
                f"could not download {file_name}: {tried}. Check your internet connection, or copy the "
                f"MNIST files ({', '.join(checksums)}) into {dest_dir} by hand.",
                _one_line_reason(file_name, failures),
            )
    return dest_dir


def _download_one(
    url: str,
    target: Path,
    expected_md5: str,
    progress: ProgressCallback | None,
    timeout: float,
    cancel: Callable[[], bool] | None,
) -> None:
    """Fetch ``url`` into ``target`` atomically, or raise _MirrorFailed / DownloadCancelled."""
    request = urllib.request.Request(url, headers={"User-Agent": _USER_AGENT})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            length_header = response.headers.get("Content-Length")
            total = int(length_header) if length_header and length_header.isdigit() else None
            digest = hashlib.md5(usedforsecurity=False)  # checksums, not security
            done = 0
            # atomic_write deletes the temp file if anything below raises, cancel included.
            with atomic_write(target) as out:
                while True:
                    _check_cancel(cancel)
                    chunk = response.read(CHUNK_SIZE)
                    if not chunk:
                        break
                    out.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress:
                        progress(target.name, done, total)
                if total is not None and done != total:
                    raise _MirrorFailed(f"connection closed after {done} of {total} bytes", "incomplete")
                if digest.hexdigest() != expected_md5:
                    raise _MirrorFailed(f"bad checksum (md5 {digest.hexdigest()}, expected {expected_md5})",
                                        "checksum")
    except urllib.error.HTTPError as exc:
        raise _MirrorFailed(f"HTTP {exc.code} {exc.reason}", "http") from None
    except urllib.error.URLError as exc:
        raise _MirrorFailed(_describe_network_error(exc.reason)) from None
    except (OSError, http.client.HTTPException, ValueError) as exc:
        # Timeouts and resets mid-download arrive as plain OSError / IncompleteRead.
        # Disk errors while writing the temp file land here too and are reported per mirror.
        kind = "incomplete" if isinstance(exc, http.client.IncompleteRead) else "network"
        raise _MirrorFailed(_describe_network_error(exc), kind) from None


@contextmanager
def all_or_nothing(dest_dir: str | os.PathLike, names: Iterable[str] = MNIST_FILES):
    """Around a download into ``dest_dir``: if the block raises (cancel included), the files among
    ``names`` that were not there before are removed, and ``dest_dir`` too when the block created
    it and it is left empty. Files that were there before are never touched."""
    dest_dir = Path(dest_dir).expanduser()
    names = list(names)
    existed = dest_dir.is_dir()
    present = {name for name in names if (dest_dir / name).exists()}
    try:
        yield dest_dir
    except BaseException:
        for name in names:
            if name not in present:
                (dest_dir / name).unlink(missing_ok=True)
        if not existed and dest_dir.is_dir() and not any(dest_dir.iterdir()):
            dest_dir.rmdir()
        raise


def _describe_network_error(reason: object) -> str:
    if isinstance(reason, (socket.timeout, TimeoutError)):
        return "timed out"
    if isinstance(reason, ConnectionRefusedError):
        return "connection refused"
    if isinstance(reason, socket.gaierror):
        return f"host not found ({reason.strerror or reason})"
    if isinstance(reason, OSError) and reason.strerror:
        return reason.strerror
    return str(reason) or type(reason).__name__


def _check_cancel(cancel: Callable[[], bool] | None) -> None:
    if cancel is not None and cancel():
        raise DownloadCancelled("download cancelled")


def _md5_of_file(path: Path) -> str:
    digest = hashlib.md5(usedforsecurity=False)  # checksums, not security
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()
