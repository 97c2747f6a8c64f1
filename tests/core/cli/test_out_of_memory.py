"""Sizes that cannot fit in memory give one line on stderr, saying how much they would need, and
never a traceback (issue 18 item 4). Real subprocesses under a 4 GB address-space limit, so a
check that fails cannot exhaust the machine."""
import resource
import subprocess
import sys
from pathlib import Path

import pytest

from core.cli import main

ROOT = Path(__file__).resolve().parents[3]
LIMIT = 4 * 1024 ** 3


def limited():
    resource.setrlimit(resource.RLIMIT_AS, (LIMIT, LIMIT))


def run_limited(*argv, home):
    env = {"DIGITLAB_HOME": str(home), "PATH": "/usr/bin:/bin", "QT_QPA_PLATFORM": "offscreen",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "main.py", *argv], cwd=ROOT, capture_output=True, text=True,
                          timeout=120, env=env, preexec_fn=limited)


@pytest.mark.parametrize("argv", [
    ["train", "--dataset", "digits", "--hidden", "99999999", "--no-record"],
    ["train", "--dataset", "digits", "--layers", "dense99999999,dense10", "--no-record"],
    ["train", "--dataset", "digits", "--image-size", "5000x5000", "--no-record"],
    ["gradcheck", "--layers", "dense99999999,dense10"],
], ids=["hidden", "layers", "image-size", "gradcheck"])
def test_a_size_that_cannot_fit_is_refused_in_one_line_saying_what_it_needs(argv, tmp_path):
    proc = run_limited(*argv, home=tmp_path)
    assert proc.returncode == 2, proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    lines = [line for line in proc.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, lines
    assert "would need about" in lines[0] and ("GB" in lines[0] or "TB" in lines[0]), lines[0]
    assert "available" in lines[0]


def test_a_memory_error_the_estimate_missed_is_one_line(capsys, monkeypatch):
    """Whatever still runs out of memory (a MemoryError anywhere in a command) is one line too."""
    import core.cli.gradcheck as gradcheck

    def out_of_memory(*args, **kwargs):
        raise MemoryError("Unable to allocate 47.7 GiB for an array with shape (64, 99999999) and data type float64")
    monkeypatch.setattr(gradcheck, "gradient_check", out_of_memory)
    assert main(["gradcheck"]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("error: out of memory (Unable to allocate 47.7 GiB")


def test_a_set_up_that_fits_still_trains(tmp_path):
    proc = run_limited("train", "--dataset", "digits", "--hidden", "32", "--epochs", "1", "--no-record",
                       home=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
