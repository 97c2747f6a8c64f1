"""`train --out` onto a symlink, a FIFO or a device, and onto a full disk (issue 18, item 8)."""
import errno
import os

import pytest

from core.storage import atomic
from cli_helpers import run_cli

DIGITS = ("--dataset", "digits", "--hidden", "16", "--epochs", "1", "--no-record")


def error_line(err):
    """The one error line (training prints its epochs on stderr before it); never a traceback."""
    assert "Traceback" not in err
    [line] = [line for line in err.splitlines() if "error:" in line]
    return line


def test_out_through_a_symlink_replaces_its_target_and_keeps_the_link(capsys, tmp_path):
    target = tmp_path / "store" / "model.npz"
    target.parent.mkdir()
    target.write_bytes(b"old")
    link = tmp_path / "latest.npz"
    link.symlink_to(target)
    code, _, err = run_cli(capsys, "train", *DIGITS, "--out", str(link))
    assert code == 0, err
    assert link.is_symlink() and target.read_bytes()[:2] == b"PK"   # a zip archive: the model
    code, _, err = run_cli(capsys, "evaluate", "--model", str(link), "--dataset", "digits")
    assert code == 0, err


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_out_onto_a_fifo_is_refused_in_one_line_and_the_fifo_stays(capsys, tmp_path):
    fifo = tmp_path / "pipe.npz"
    os.mkfifo(fifo)
    code, _, err = run_cli(capsys, "train", *DIGITS, "--out", str(fifo))
    assert code == 2 and "FIFO" in error_line(err) and str(fifo) in error_line(err), err
    assert "epoch 1:" not in err   # refused before training, not after it
    assert not fifo.is_file() and os.path.exists(fifo)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["pipe.npz"]


@pytest.mark.skipif(not os.path.exists("/dev/null"), reason="no /dev/null")
def test_out_onto_a_device_is_refused(capsys, tmp_path):
    code, _, err = run_cli(capsys, "train", *DIGITS, "--out", "/dev/null")
    assert code == 2 and "device" in error_line(err), err
    assert "epoch 1:" not in err
    assert os.path.exists("/dev/null") and not os.path.isfile("/dev/null")


def test_a_full_disk_names_the_model_file_and_leaves_no_temp_file(capsys, tmp_path, monkeypatch):
    model = tmp_path / "model.npz"

    def full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fsync", full)   # the write of the model file fails
    code, _, err = run_cli(capsys, "train", *DIGITS, "--out", str(model))
    line = error_line(err)
    assert code == 2 and "No space left on device" in line and str(model) in line and ".tmp" not in line, err
    assert list(tmp_path.iterdir()) == []
