"""Run records on disk: what a run writes, how it reads back, and what survives a crash."""
import json
import os
import signal
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from core.storage import user_dirs
from core.files.model_io import load_model
from core.settings.config import TrainConfig
from core.records.writer import (RunRecordError, RunRecorder, checkpoint_epochs, recorded_run)
from core.records.resume import start_recording
from core.records.reader import delete_run, list_runs, load_run, open_run, rename_run, resolve_run
from core.records.thinning import checkpoints_to_drop
from core.training.trainers import make_trainer

ROOT = Path(__file__).resolve().parents[3]
SMALL = TrainConfig(hidden_sizes=(32,), epochs=3, batch_size=50, learning_rate=0.1, schedule="constant",
                    val_split=300, snapshot_every=10, seed=4)


def record(config, dataset, **kwargs):
    trainer = make_trainer(config, dataset)
    recorder = start_recording(trainer, dataset, **kwargs)
    snapshots = list(recorded_run(trainer, recorder))
    return recorder, snapshots


def test_a_recorded_run_has_settings_history_and_checkpoints(mnist_small, digitlab_home):
    recorder, snapshots = record(SMALL, mnist_small)
    epochs = [s for s in snapshots if s.kind == "epoch"]
    folder = recorder.record_dir
    assert folder.parent == user_dirs.runs_dir() and str(folder).startswith(str(digitlab_home))
    settings = json.loads((folder / "settings.json").read_text())
    assert settings["config"] == SMALL.to_dict() and settings["version"] == 1
    assert settings["dataset"]["name"] == "mnist" and "first 1,500" in settings["dataset"]["source"]
    assert settings["network"]["architecture"]["layer_sizes"] == [784, 32, 10] and settings["parent"] is None
    run = load_run(folder)
    assert run.status == "finished" and [r["epoch"] for r in run.rows] == [1, 2, 3]
    assert run.history()["val_accuracy"] == [e.val_accuracy for e in epochs]
    assert all(0 <= r["val_ece"] <= 1 for r in run.rows)
    assert list(run.checkpoints) == [1, 2, 3]
    for epoch in epochs:   # each checkpoint is a model file holding that epoch's weights
        network, metadata = load_model(run.checkpoints[epoch.epoch + 1])
        assert all(np.array_equal(a, b) for a, b in zip(network.params, epoch.network.params))
        assert metadata["run"] == {"id": recorder.run_id, "epoch": epoch.epoch + 1}
        assert metadata["training_state"]["epochs_done"] == epoch.epoch + 1
    [summary] = list_runs()
    assert summary.id == recorder.run_id and summary.status == "finished" and summary.epochs == 3
    assert summary.best_val_accuracy == max(e.val_accuracy for e in epochs)
    assert summary.training_seconds == epochs[-1].elapsed and summary.network.startswith("784-32-10")


def test_a_failing_disk_stops_recording_but_not_training(mnist_small, monkeypatch):
    from core.records import writer as run_records
    calls = []

    def failing_append(path, line):
        calls.append(line)
        if len(calls) == 2:
            raise OSError(28, "No space left on device")
        return real_append(path, line)

    real_append = run_records.append_line
    monkeypatch.setattr(run_records, "append_line", failing_append)
    recorder, snapshots = record(SMALL, mnist_small)
    assert snapshots[-1].kind == "end" and snapshots[-1].reason == "finished"   # training went on
    assert "No space left" in recorder.failed
    run = load_run(recorder.record_dir)
    assert [r["epoch"] for r in run.rows] == [1]   # the complete epoch is still there
    # no end marker, and the writer let go of the record when the run ended (its writer lock)
    assert run.status == "interrupted"


KILL_SCRIPT = r"""
import os, signal, sys
import numpy as np
from core.data.dataset import Dataset
from core.records import writer as run_records
from core.settings.config import TrainConfig
from core.records.resume import start_recording
from core.records.writer import recorded_run
from core.training.trainers import make_trainer

arrays = np.load(sys.argv[1])
dataset = Dataset("mnist", arrays["x"], arrays["y"], arrays["x"][:10], arrays["y"][:10], [str(d) for d in range(10)], "test slice")
real_append = run_records.append_line
def append_then_die(path, line):
    if '"epoch": 3' in line:            # half of epoch 3's row reaches the disk, then the process dies
        with open(path, "ab") as handle:
            handle.write(line[: len(line) // 2].encode())
        os.kill(os.getpid(), signal.SIGKILL)
    real_append(path, line)
run_records.append_line = append_then_die
config = TrainConfig(hidden_sizes=(32,), epochs=5, batch_size=50, learning_rate=0.1, schedule="constant", val_split=300, seed=4)
trainer = make_trainer(config, dataset)
recorder = start_recording(trainer, dataset)
print(recorder.record_dir, flush=True)
for snapshot in recorded_run(trainer, recorder):
    pass
"""


def test_a_process_killed_in_the_middle_of_a_write_leaves_every_complete_epoch(mnist_small, tmp_path):
    data = tmp_path / "slice.npz"
    np.savez(data, x=mnist_small.train_images, y=mnist_small.train_labels)
    proc = subprocess.run([sys.executable, "-c", KILL_SCRIPT, str(data)], cwd=ROOT, capture_output=True,
                          text=True, timeout=120, env=dict(os.environ))
    assert proc.returncode == -signal.SIGKILL, proc.stderr
    folder = Path(proc.stdout.strip())
    assert (folder / "history.jsonl").read_bytes().count(b"\n") == 2   # two rows and a torn third
    [summary] = list_runs()
    assert summary.status == "interrupted" and summary.problem is None and summary.epochs == 2
    run = load_run(folder)
    assert [r["epoch"] for r in run.rows] == [1, 2]
    assert set(run.checkpoints) >= {1, 2}   # epoch 3's checkpoint was complete before its row
    for epoch in run.checkpoints:
        load_model(run.checkpoints[epoch])   # whole files only: write-then-rename
    # continuing it replaces the torn row and the orphan checkpoint
    from core.records.resume import plan_resume
    plan = plan_resume(summary.id, 1)
    assert plan.state.epochs_done == 2 and plan.config.epochs == 3
    trainer = make_trainer(plan.config, mnist_small, network=plan.network)
    list(recorded_run(trainer, start_recording(trainer, mnist_small, plan)))
    run = load_run(folder)
    assert [r["epoch"] for r in run.rows] == [1, 2, 3] and run.status == "finished"


def test_unreadable_records_are_listed_with_their_reason_and_left_alone(mnist_small):
    good, _ = record(replace(SMALL, epochs=1), mnist_small)
    runs = user_dirs.runs_dir()
    (runs / "20200101-000000-badjsn").mkdir()
    (runs / "20200101-000000-badjsn" / "settings.json").write_text("{not json")
    newer = runs / "20200101-000001-newerv"
    newer.mkdir()
    settings = json.loads((good.record_dir / "settings.json").read_text())
    (newer / "settings.json").write_text(json.dumps(dict(settings, version=99)))
    torn = runs / "20200101-000002-badrow"
    torn.mkdir()
    (torn / "settings.json").write_text(json.dumps(settings))
    (torn / "history.jsonl").write_text('{"epoch": 1}\nGARBAGE\n{"epoch": 3}\n')
    (runs / "20200101-000003-empty").mkdir()
    before = sorted(p.name for p in runs.rglob("*"))
    summaries = {s.id: s for s in list_runs()}
    assert summaries[good.run_id].status == "finished" and summaries[good.run_id].problem is None
    assert summaries["20200101-000000-badjsn"].status == "corrupt"
    assert "not valid JSON" in summaries["20200101-000000-badjsn"].problem
    assert summaries["20200101-000001-newerv"].status == "newer-version"
    assert "version 99" in summaries["20200101-000001-newerv"].problem
    assert summaries["20200101-000002-badrow"].status == "corrupt"
    assert "line 2" in summaries["20200101-000002-badrow"].problem
    assert "no settings.json" in summaries["20200101-000003-empty"].problem
    assert sorted(p.name for p in runs.rglob("*")) == before   # nothing deleted or rewritten
    with pytest.raises(RunRecordError, match="not valid JSON"):
        open_run("20200101-000000-badjsn")
    delete_run("20200101-000000-badjsn")   # only when asked
    assert "20200101-000000-badjsn" not in {s.id for s in list_runs()}


def test_rename_resolve_and_delete(mnist_small):
    a, _ = record(replace(SMALL, epochs=1), mnist_small, name="baseline")
    b, _ = record(replace(SMALL, epochs=1, seed=5), mnist_small)
    assert resolve_run("baseline") == a.record_dir
    assert resolve_run(b.run_id[:-1]) == b.record_dir   # a unique start of an id
    rename_run(a.run_id, "lr 0.1 baseline")
    assert open_run("lr 0.1 baseline").run_id == a.run_id
    with pytest.raises(RunRecordError, match="one line"):
        rename_run(a.run_id, "two\nlines")
    with pytest.raises(RunRecordError, match="matches 2 runs"):
        resolve_run(a.run_id[:4])
    with pytest.raises(RunRecordError, match="no run 'nope'"):
        resolve_run("nope")
    delete_run("lr 0.1 baseline")
    assert [s.id for s in list_runs()] == [b.run_id]


def test_thinning_keeps_the_last_and_the_best_and_spreads_the_rest():
    sizes = {epoch: 10 for epoch in range(1, 21)}
    dropped = checkpoints_to_drop(sizes, protected={20, 3}, cap_bytes=60)
    kept = sorted(set(sizes) - set(dropped))
    assert len(kept) == 6 and {20, 3} <= set(kept)
    gaps = np.diff([0] + kept)
    assert gaps.max() <= 6   # spread over the run, not only its end
    over_cap = checkpoints_to_drop(sizes, protected={20, 3}, cap_bytes=15)
    assert set(sizes) - set(over_cap) == {20, 3}   # kept even though together they exceed the cap
    assert checkpoints_to_drop(sizes, protected=set(), cap_bytes=0) == []


def test_a_size_cap_thins_a_real_run(mnist_small):
    probe, _ = record(replace(SMALL, epochs=1), mnist_small)
    size = next(iter(checkpoint_epochs(probe.record_dir).values())).stat().st_size
    recorder, snapshots = record(replace(SMALL, epochs=6), mnist_small, cap_bytes=int(3.5 * size))
    run = load_run(recorder.record_dir)
    best = max(run.rows, key=lambda r: r["val_accuracy"])["epoch"]
    assert len(run.checkpoints) == 3 and 6 in run.checkpoints and best in run.checkpoints
    assert [r["epoch"] for r in run.rows] == [1, 2, 3, 4, 5, 6]   # the history is never thinned


def test_status_without_an_end_marker_follows_the_writer_process(mnist_small):
    recorder, _ = record(replace(SMALL, epochs=1), mnist_small)
    (recorder.record_dir / "end.json").unlink()
    (recorder.record_dir / "writer.lock").unlink()   # a record from before the writer lock: the pid decides
    settings_path = recorder.record_dir / "settings.json"
    settings = json.loads(settings_path.read_text())
    from core.records.writer import process_start_ticks
    child = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"], stdin=subprocess.PIPE)
    try:
        def status_with(writer):
            settings_path.write_text(json.dumps(dict(settings, writer=dict(settings["writer"], **writer))))
            return load_run(recorder.record_dir).status

        assert status_with({"pid": child.pid, "started": process_start_ticks(child.pid)}) == "running"
        # the same pid with another start time is a new process reusing it: the writer is gone
        assert status_with({"pid": child.pid, "started": -1}) == "interrupted"
        assert status_with({"pid": child.pid, "host": "another-machine"}) == "interrupted"
    finally:
        child.stdin.close()
        child.wait(timeout=30)
    assert status_with({"pid": child.pid, "started": None}) == "interrupted"   # exited


def test_an_exception_marks_the_record_crashed_and_abandoning_it_stopped(mnist_small):
    trainer = make_trainer(SMALL, mnist_small)
    recorder = start_recording(trainer, mnist_small)
    real = trainer.network.loss_and_gradients

    def breaks_in_epoch_two(*args, **kwargs):
        if trainer.step == 30:
            raise MemoryError("out of memory in the middle of epoch 2")
        return real(*args, **kwargs)

    trainer.network.loss_and_gradients = breaks_in_epoch_two
    with pytest.raises(MemoryError):
        list(recorded_run(trainer, recorder))
    run = load_run(recorder.record_dir)
    assert run.status == "crashed" and "MemoryError: out of memory" in run.end["message"]
    assert [r["epoch"] for r in run.rows] == [1]

    trainer = make_trainer(SMALL, mnist_small)
    recorder = start_recording(trainer, mnist_small)
    for snapshot in recorded_run(trainer, recorder):
        if snapshot.kind == "epoch":
            break   # the caller walks away (e.g. the window closes): the generator is closed
    run = load_run(recorder.record_dir)
    assert run.status == "stopped" and [r["epoch"] for r in run.rows] == [1]


def test_each_epochs_calibration_is_of_the_epochs_own_validation_reading(mnist_small, digitlab_home):
    """The record's ECE per epoch comes from the probabilities the epoch's evaluation computed
    (carried by its snapshot): the same numbers as reading the checkpoint again, without a
    second pass over the validation set while the loop (and a Stop) waits."""
    from core.evaluation.calibration import expected_calibration_error
    from core.records.resume import validation_inputs
    recorder, snapshots = record(SMALL, mnist_small)
    epochs = [s for s in snapshots if s.kind == "epoch"]
    inputs, labels = recorder.validation
    run = load_run(recorder.record_dir)
    for epoch, row in zip(epochs, run.rows):
        assert epoch.val_probabilities.shape == (len(labels), 10)
        np.testing.assert_array_equal(epoch.val_probabilities.argmax(1), epoch.val_predictions)
        np.testing.assert_allclose(epoch.val_probabilities, epoch.network.predict_proba(inputs), rtol=0, atol=1e-6)
        assert row["val_ece"] == pytest.approx(expected_calibration_error(epoch.network.predict_proba(inputs), labels),
                                               abs=1e-6)
