"""A run in its own process: the data arrives through shared memory, snapshots come back, the
same seed gives the same weights as training here, commands reach it, and a child that dies is
told with its exit code or signal."""
import dataclasses
import os
import signal

import numpy as np
import pytest

from core.records.reader import list_runs
from core.settings.config import TrainConfig
from core.training.training_run import run_to_end
from core.training_process.job import RunJob, build_trainer
from core.training_process.parent import ChildRun
from core.training_process.shared_data import SharedDataset, attach
from tests.gui_helpers import digits

CONFIG = dataclasses.replace(TrainConfig(), hidden_sizes=(16,), epochs=2, batch_size=32, snapshot_every=5,
                             schedule="constant")


def run_child(job):
    run = ChildRun.start(job)
    messages = list(run.messages())
    run.wait(30)
    return run, messages


def test_shared_data_is_the_same_data_without_a_copy_in_the_job():
    dataset = digits()
    shared = SharedDataset.create(dataset)
    try:
        seen, memories = attach(shared.ref)
        for name in ("train_images", "train_labels", "test_images", "test_labels"):
            assert np.array_equal(getattr(seen, name), getattr(dataset, name))
        assert seen.class_names == dataset.class_names and seen.name == dataset.name
        import pickle
        assert len(pickle.dumps(shared.ref)) < 2000 < dataset.train_images.nbytes   # names, not pixels
        del seen
        for memory in memories:
            memory.close()
    finally:
        shared.release()


def test_a_child_run_sends_every_snapshot_and_ends_with_the_weights_of_a_run_here():
    dataset = digits()
    here = build_trainer(RunJob(CONFIG, dataset), dataset)
    run_to_end(here)
    shared = SharedDataset.create(dataset)
    try:
        run, messages = run_child(RunJob(CONFIG, shared.ref))
    finally:
        shared.release()
    kinds = [m[1].kind if m[0] == "snapshot" else m[0] for m in messages]
    assert kinds[0] == "start" and kinds[-2:] == ["end", "done"] and kinds.count("epoch") == 2
    assert run.ended_cleanly and run.exit_description() == "exit code 0"
    end = messages[-2][1]
    for mine, theirs in zip(here.network.params, end.network.params):
        assert np.array_equal(mine, theirs)                      # bit for bit: one code path
    assert end.history["val_accuracy"] == here.history["val_accuracy"]


def test_a_recorded_child_run_writes_its_record_and_says_where(digitlab_home):
    dataset = digits()
    shared = SharedDataset.create(dataset)
    try:
        run, messages = run_child(RunJob(CONFIG, shared.ref, record_cap_bytes=10 * 2 ** 20))
    finally:
        shared.release()
    recording = [m for m in messages if m[0] == "recording"]
    assert len(recording) == 1
    runs = list_runs()
    assert [r.id for r in runs] == [recording[0][1]] and runs[0].status == "finished"


def test_stop_and_a_learning_rate_reach_the_child():
    dataset = digits()
    shared = SharedDataset.create(dataset)
    config = dataclasses.replace(CONFIG, epochs=10000)
    try:
        run = ChildRun.start(RunJob(config, shared.ref))
        messages = run.messages()
        first = next(messages)
        assert first[0] == "snapshot" and first[1].kind == "start"
        run.control.set_learning_rate(0.0123)
        rates = []
        for message in messages:
            if message[0] == "snapshot" and message[1].kind == "batch":
                rates.append(message[1].learning_rate)
                if 0.0123 in rates:
                    run.control.stop()
            if message[0] == "snapshot" and message[1].kind == "end":
                assert message[1].reason == "stopped"
        assert run.wait(10) and run.ended_cleanly and 0.0123 in rates and len(rates) < 1000
    finally:
        shared.release()


def test_an_error_in_the_child_is_told_with_its_message():
    dataset = digits()
    bad = dataclasses.replace(CONFIG, loss="binary_cross_entropy", output="softmax")   # refused by validate()
    shared = SharedDataset.create(dataset)
    try:
        run, messages = run_child(RunJob(bad, shared.ref))
    finally:
        shared.release()
    failed = [m for m in messages if m[0] == "failed"]
    assert len(failed) == 1 and "binary cross-entropy needs a sigmoid output" in failed[0][1]
    assert failed[0][2] == "" and messages[-1] == ("done",)   # a user error: no traceback to log


def test_a_child_killed_mid_run_is_told_by_its_signal_and_its_record_is_interrupted(digitlab_home):
    dataset = digits()
    shared = SharedDataset.create(dataset)
    config = dataclasses.replace(CONFIG, epochs=10000)
    try:
        run = ChildRun.start(RunJob(config, shared.ref, record_cap_bytes=10 * 2 ** 20))
        for message in run.messages():
            if message[0] == "snapshot" and message[1].kind == "epoch":
                os.kill(run.process.pid, signal.SIGKILL)
        run.wait(10)
    finally:
        shared.release()
    assert not run.ended_cleanly and run.exit_description() == "killed by SIGKILL (signal 9)"
    runs = list_runs()
    assert len(runs) == 1 and runs[0].status == "interrupted" and runs[0].epochs >= 1 and runs[0].checkpoints


def test_without_room_in_shared_memory_the_data_goes_through_the_pipe(monkeypatch):
    from core.training_process import shared_data
    dataset = digits()
    monkeypatch.setattr(shared_data, "has_room", lambda nbytes, folder="/dev/shm": False)
    fresh = type(dataset)(**{f: getattr(dataset, f) for f in dataset.__dataclass_fields__})   # never shared
    assert shared_data.dataset_for_child(fresh) is fresh
    run, messages = run_child(RunJob(CONFIG, fresh))
    assert run.ended_cleanly and [m[1].kind for m in messages if m[0] == "snapshot"][-1] == "end"


def test_a_dataset_is_shared_once_and_freed_with_it():
    import gc
    from core.training_process import shared_data
    dataset = digits()
    fresh = type(dataset)(**{f: getattr(dataset, f) for f in dataset.__dataclass_fields__})
    first = shared_data.shared_for(fresh)
    assert shared_data.shared_for(fresh) is first and shared_data.dataset_for_child(fresh) == first.ref
    name = first.ref.blocks["train_images"][0]
    del fresh
    gc.collect()
    # the finalizer only notes it (it may run inside a collection that interrupted code holding
    # multiprocessing's resource-tracker lock): the memory goes at the next sharing, or at exit
    assert first in shared_data._RETIRED
    shared_data.shared_for(dataset)
    from multiprocessing import shared_memory
    with pytest.raises(FileNotFoundError):
        shared_memory.SharedMemory(name=name)   # unlinked once the dataset went


def test_data_is_prepared_in_the_background_once_even_when_asked_twice_at_once():
    """The window prepares loaded data in a thread (the copy costs it nothing there); Start then
    finds it ready, and a second preparation at the same time makes no second copy."""
    import threading
    from core.training_process import shared_data
    dataset = digits()
    fresh = type(dataset)(**{f: getattr(dataset, f) for f in dataset.__dataclass_fields__})
    made = []
    original = shared_data.SharedDataset.create
    gate = threading.Event()

    def slow_create(data):
        gate.wait(10)    # both preparations are under way before the first copy ends
        made.append(data)
        return original(data)
    shared_data.SharedDataset.create = slow_create
    try:
        threads = [shared_data.prepare(fresh), shared_data.prepare(fresh)]
        assert not shared_data.is_prepared(fresh)
        gate.set()
        for thread in threads:
            thread.join(10)
    finally:
        shared_data.SharedDataset.create = original
    assert shared_data.is_prepared(fresh) and made == [fresh]
    ref = shared_data.dataset_for_child(fresh)
    copy, memories = attach(ref)
    assert np.array_equal(copy.train_images, fresh.train_images)
    for memory in memories:
        memory.close()


def test_a_recorded_conv_runs_epoch_networks_read_as_the_child_measured_them(digitlab_home):
    """The record's writer evaluates each epoch's network in the child before it is pickled to
    the window: the network that arrives must read the validation images as the child did (a
    conv layer's scratch view pickled as a stale copy once made a 99% model read 10%)."""
    from core.data.normalise import to_float
    dataset = digits()
    config = dataclasses.replace(CONFIG, layers="conv6x3,pool2,dense16,dense10", hidden_sizes=(), epochs=2)
    shared = SharedDataset.create(dataset)
    try:
        run, messages = run_child(RunJob(config, shared.ref, record_cap_bytes=10 * 2 ** 20))
    finally:
        shared.release()
    snapshots = [m[1] for m in messages if m[0] == "snapshot"]
    start = snapshots[0]
    epochs = [s for s in snapshots if s.kind == "epoch"]
    assert start.kind == "start" and len(epochs) == 2
    images = to_float(start.val_images.reshape(len(start.val_images), -1), config.normalisation, np.float32)
    # as many other images as the validation set: the batch size the child's evaluation used
    others = to_float(dataset.test_images[:len(images)].reshape(len(images), -1), config.normalisation, np.float32)
    for epoch in epochs:
        accuracy = float(np.mean(epoch.network.predict_proba(images).argmax(1) == start.val_labels))
        assert accuracy == pytest.approx(epoch.val_accuracy, abs=1e-9) and accuracy > 0.25   # chance: 0.1
        np.testing.assert_array_equal(epoch.network.predict_proba(others), epoch.network.copy().predict_proba(others))
