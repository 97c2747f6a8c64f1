"""Real `python main.py train` processes, real signals (issue 18, items 2 and 7): a run another
process writes is protected; SIGTERM ends a run as Ctrl-C does; kill -9 in the middle of a
checkpoint or --out write leaves temp files that the next reader or writer removes."""
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from core.records.reader import list_runs, load_run
from cli_helpers import run_cli

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="signals and /proc: Linux")

ROOT = Path(__file__).resolve().parents[3]
DIGITS = ("--dataset", "digits", "--hidden", "16", "--schedule", "constant", "--seed", "3", "--lr", "0.1")
# main.main with every fsync of a model file's temp file (checkpoints, --out) held until the test
# lets it go, so that a signal lands while a checkpoint or model file is being written (its temp file exists meanwhile): each
# such fsync reads one byte from a FIFO the child keeps open itself (O_RDWR: no EOF, no blocking
# open); the test writes the bytes after it has sent its signal. No timing involved.
HELD_WRITES = r"""
import os, sys
gate = os.open(os.environ["DIGITLAB_TEST_GATE"], os.O_RDWR)
real_fsync = os.fsync
def held_fsync(fd):
    name = os.readlink(f"/proc/self/fd/{fd}")
    if name.endswith(".tmp") and ".npz." in name:   # checkpoints and model files, not settings
        os.read(gate, 1)   # a signal runs its handler here and the read goes on (PEP 475)
    real_fsync(fd)
os.fsync = held_fsync
import main
sys.exit(main.main(sys.argv[1:]))
"""


def start(home, *argv, hold_writes=False, log=None):
    """A `python main.py ...` process in DigitLab home ``home`` (stderr to ``log``); with
    hold_writes, every temp-file fsync waits until finish() lets the writes go."""
    env = dict(os.environ, DIGITLAB_HOME=str(home))
    command = [sys.executable, "main.py", *argv]
    gate = None
    if hold_writes:
        gate = Path(home).parent / f"gate-{Path(home).name}.fifo"
        gate.parent.mkdir(parents=True, exist_ok=True)
        os.mkfifo(gate)
        env["DIGITLAB_TEST_GATE"] = str(gate)
        command = [sys.executable, "-c", HELD_WRITES, *argv]
    process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=open(log, "w") if log else subprocess.DEVNULL)
    process.gate = gate
    return process


def wait_for(condition, what, process, timeout=90):
    """Until ``condition()`` is true (returns its value): between looks it waits on ``process``,
    so it fails at once when the process exits first, and after ``timeout`` seconds."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        try:
            process.wait(timeout=0.01)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"the process exited ({process.returncode}) before {what}")
    raise AssertionError(f"timed out waiting for {what}")


def let_writes_go(process, count):
    """Let ``count`` held writes of ``process`` finish."""
    release = os.open(process.gate, os.O_WRONLY | os.O_NONBLOCK)   # the child holds it open: no block
    os.write(release, b"x" * count)
    os.close(release)


def finish(process, sig=signal.SIGKILL):
    """Send ``sig``, then let every held write go (a process still alive finishes them), and
    return the exit code."""
    if process.poll() is None:
        process.send_signal(sig)
    if process.gate is not None and sig != signal.SIGKILL:
        let_writes_go(process, 4096)
    return process.wait(timeout=60)


def the_record(home):
    folders = list((home / "data" / "runs").glob("*/settings.json")) if (home / "data" / "runs").is_dir() else []
    return folders[0].parent if len(folders) == 1 else None


def rows_of(folder):
    path = folder / "history.jsonl"
    return path.read_text().count("\n") if path.exists() else 0


def temp_files(folder):
    return sorted(str(p.relative_to(folder)) for p in Path(folder).rglob("*.tmp"))


def test_a_run_being_written_cannot_be_resumed_or_deleted_until_its_writer_dies(capsys, digitlab_home):
    writer = start(digitlab_home, "train", *DIGITS, "--epochs", "3000", "--run-name", "live")
    try:
        folder = wait_for(lambda: the_record(digitlab_home), "the record", writer)
        wait_for(lambda: rows_of(folder) >= 2, "two epochs", writer)
        [summary] = list_runs()
        assert summary.status == "running"
        code, _, err = run_cli(capsys, "train", "--resume", "live", "--epochs", "1")
        assert code == 2 and err.count("\n") == 1 and "still being recorded" in err, err
        code, _, err = run_cli(capsys, "runs", "--delete", "live")
        assert code == 2 and err.count("\n") == 1 and "still being recorded" in err, err
        assert (folder / "settings.json").exists()
        code, _, err = run_cli(capsys, "train", "--fork", "live", "--from-epoch", "1", "--epochs", "1")
        assert code == 0, err   # a fork reads the live run and writes its own record
        assert writer.poll() is None and load_run(folder).settings["writer"]["pid"] == writer.pid
    finally:
        assert finish(writer) == -signal.SIGKILL
    assert load_run(folder).status == "interrupted"   # the lock died with its process
    code, _, err = run_cli(capsys, "train", "--resume", "live", "--epochs", "1")
    assert code == 0, err
    epochs = [row["epoch"] for row in load_run(folder).rows]
    assert epochs == list(range(1, len(epochs) + 1))


def test_of_two_simultaneous_resumes_only_one_proceeds(capsys, digitlab_home, tmp_path):
    code, out, err = run_cli(capsys, "train", *DIGITS, "--epochs", "2", "--run-name", "base", "--json")
    assert code == 0, err
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    resumes = [start(digitlab_home, "train", "--resume", "base", "--epochs", "300", log=log) for log in logs]
    codes = [process.wait(timeout=300) for process in resumes]
    refused = [log.read_text() for code, log in zip(codes, logs) if code != 0]
    assert sorted(codes) == [0, 2], [log.read_text()[-400:] for log in logs]
    assert "still being recorded" in refused[0] or "changed while" in refused[0]
    record = load_run(json.loads(out.strip().splitlines()[-1])["run"]["path"])
    assert [row["epoch"] for row in record.rows] == list(range(1, 303)) and record.status == "finished"


def test_sigterm_in_a_checkpoint_write_ends_the_run_as_ctrl_c_does(digitlab_home, tmp_path):
    log = tmp_path / "train.log"
    writer = start(digitlab_home, "train", *DIGITS, "--epochs", "50", hold_writes=True, log=log)
    folder = wait_for(lambda: the_record(digitlab_home), "the record", writer)
    wait_for(lambda: temp_files(folder / "checkpoints"), "a checkpoint being written", writer)
    code = finish(writer, signal.SIGTERM)
    assert code == 130, log.read_text()[-2000:]
    assert log.read_text().rstrip().endswith("interrupted") and "Traceback" not in log.read_text()
    assert temp_files(folder) == []   # the write in progress removed its temp file
    record = load_run(folder)
    # the run was asked to stop between batches (a signal raised inside a finalizer could be lost)
    assert record.status == "stopped" and record.end["message"].startswith("Stopped by request")


def test_kill_9_in_a_checkpoint_write_leaves_a_temp_file_that_reading_removes(capsys, digitlab_home):
    writer = start(digitlab_home, "train", *DIGITS, "--epochs", "50", hold_writes=True)
    folder = wait_for(lambda: the_record(digitlab_home), "the record", writer)
    wait_for(lambda: temp_files(folder / "checkpoints"), "epoch 1's checkpoint being written", writer)
    let_writes_go(writer, 1)   # epoch 1 is kept whole: the resume below continues from it
    wait_for(lambda: rows_of(folder) >= 1 and temp_files(folder / "checkpoints"), "epoch 2's checkpoint being written",
             writer)
    assert finish(writer) == -signal.SIGKILL
    assert temp_files(folder) != []   # what kill -9 leaves
    code, out, _ = run_cli(capsys, "runs")
    assert code == 0 and "interrupted" in out
    assert temp_files(folder) == []   # the writer is gone: its temp files went with the listing
    code, _, err = run_cli(capsys, "train", "--resume", folder.name, "--epochs", "1")
    assert code == 0, err
    assert temp_files(folder) == [] and load_run(folder).status == "finished"


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM])
def test_a_signal_in_an_out_write_leaves_no_temp_file_for_good(capsys, tmp_path, digitlab_home, sig):
    out_dir = tmp_path / "models"
    out_dir.mkdir()
    model = out_dir / "model.npz"
    model.write_bytes(b"the previous model")
    writer = start(digitlab_home, "train", *DIGITS, "--epochs", "1", "--no-record", "--out", str(model),
                   hold_writes=True)
    wait_for(lambda: temp_files(out_dir), "the model being written", writer)
    code = finish(writer, sig)
    assert model.read_bytes() == b"the previous model"   # never torn
    if sig == signal.SIGTERM:
        assert code == 130 and temp_files(out_dir) == []
    else:
        assert code == -signal.SIGKILL and temp_files(out_dir) != []
    code, _, err = run_cli(capsys, "train", *DIGITS, "--epochs", "1", "--no-record", "--out", str(model))
    assert code == 0, err
    assert temp_files(out_dir) == [] and sorted(p.name for p in out_dir.iterdir()) == ["model.npz"]


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_training_stops_the_run_at_the_next_batch_every_time(digitlab_home, tmp_path, sig):
    """Signals between batches and inside checkpoint writes (held there until the signal is
    sent): the run always ends 'stopped', never trains on to 'finished'."""
    for attempt in range(3):
        home = tmp_path / f"home{attempt}"
        log = tmp_path / f"train{attempt}.log"
        writer = start(home, "train", *DIGITS, "--epochs", "200", hold_writes=attempt > 0, log=log)
        folder = wait_for(lambda: the_record(home), "the record", writer)
        if attempt == 0:   # between batches
            wait_for(lambda: rows_of(folder) >= 1, "an epoch", writer)
        else:              # inside a checkpoint write (held until the signal is sent)
            wait_for(lambda: temp_files(folder / "checkpoints"), "a checkpoint being written", writer)
        assert finish(writer, sig) == 130, log.read_text()[-2000:]
        assert "Traceback" not in log.read_text() and "Exception ignored" not in log.read_text()
        record = load_run(folder)
        assert record.status == "stopped" and len(record.rows) < 200 and temp_files(folder) == []
