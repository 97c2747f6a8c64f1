"""atomic_write onto what is not a plain file (symlink, FIFO, device), a full disk, and the temp
files a killed writer leaves behind (issue 18, items 7 and 8)."""
import errno
import os
import subprocess
import sys

import pytest

from core.errors import DigitLabError
from core.storage import atomic
from core.storage.atomic import NotARegularFileError, atomic_write, remove_stale_temps, temp_name


def names(folder):
    return sorted(p.name for p in folder.iterdir())


def test_a_symlink_is_written_through_to_its_target(tmp_path):
    target = tmp_path / "real" / "model.npz"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "link.npz"
    link.symlink_to(target)
    with atomic_write(link) as out:
        out.write(b"new")
    assert link.is_symlink() and os.readlink(link) == str(target)
    assert target.read_bytes() == b"new"
    assert names(tmp_path) == ["link.npz", "real"] and names(target.parent) == ["model.npz"]


def test_a_dangling_symlink_creates_its_target(tmp_path):
    link = tmp_path / "link.npz"
    link.symlink_to(tmp_path / "later.npz")
    with atomic_write(link) as out:
        out.write(b"data")
    assert link.is_symlink() and (tmp_path / "later.npz").read_bytes() == b"data"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_and_left_alone(tmp_path):
    fifo = tmp_path / "pipe"
    os.mkfifo(fifo)
    with pytest.raises(NotARegularFileError, match="FIFO") as caught:
        with atomic_write(fifo) as out:
            out.write(b"data")
    assert isinstance(caught.value, DigitLabError) and isinstance(caught.value, OSError)
    assert str(fifo) in str(caught.value)
    assert names(tmp_path) == ["pipe"] and os.path.exists(fifo) and not fifo.is_file()


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_a_device_is_refused_even_through_a_symlink(tmp_path):
    link = tmp_path / "out.npz"
    link.symlink_to("/dev/null")
    with pytest.raises(NotARegularFileError, match="device"):
        with atomic_write(link) as out:
            out.write(b"data")
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_a_full_disk_names_the_target_and_leaves_no_temp_file(tmp_path, monkeypatch):
    path = tmp_path / "model.npz"

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)
    with pytest.raises(OSError) as caught:
        with atomic_write(path) as out:
            out.write(b"x" * 1000)
    assert caught.value.errno == errno.ENOSPC and caught.value.filename == str(path)
    assert ".tmp" not in str(caught.value)
    assert names(tmp_path) == []
    # the same when the write itself fails inside the block
    with pytest.raises(OSError) as caught:
        with atomic_write(path) as out:
            raise OSError(errno.ENOSPC, "No space left on device")
    assert caught.value.filename == str(path) and names(tmp_path) == []


def dead_pid():
    """The pid of a process that has ended (and been reaped)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait(timeout=60)
    return child.pid


@pytest.mark.skipif(os.name != "posix", reason="telling a dead writer needs os.kill(pid, 0)")
def test_stale_temp_files_of_dead_writers_are_removed_by_the_next_write(tmp_path):
    path = tmp_path / "model.npz"
    stale = tmp_path / temp_name("model.npz", pid=dead_pid())
    stale.write_bytes(b"half a model")
    live = tmp_path / temp_name("model.npz")              # this process: a write in progress
    live.write_bytes(b"being written")
    other = tmp_path / temp_name("other.npz", pid=dead_pid())
    other.write_bytes(b"another target's")
    with atomic_write(path, clean_stale=True) as out:
        out.write(b"whole")
    assert path.read_bytes() == b"whole"
    assert names(tmp_path) == sorted(["model.npz", live.name, other.name])
    assert remove_stale_temps(tmp_path) == [other]           # any target, when asked
    assert names(tmp_path) == sorted(["model.npz", live.name])


def test_temp_files_named_by_earlier_versions_go_only_where_nobody_writes(tmp_path):
    """Before the pid was in the name (.<name>.<8 hex>.tmp) nobody can tell whose a temp file is:
    in a run folder whose writer lock is free (writer_gone) they are stale; beside an --out
    target they are left, as another program may be writing them."""
    old = tmp_path / ".epoch-0003.npz.0badf00d.tmp"
    old.write_bytes(b"half")
    other = tmp_path / "notes.tmp"
    other.write_bytes(b"not ours")
    assert remove_stale_temps(tmp_path) == [] and old.exists()
    assert remove_stale_temps(tmp_path, writer_gone=True) == [old]
    assert not old.exists() and other.exists()
