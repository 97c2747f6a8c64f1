"""Training in its own process, driven by the window's TrainingController: every snapshot comes
back in order, the same seed gives the same weights as training here, pause is held and Stop
ends a run within a second, and a child that dies or hangs is told and cleaned up while the
window goes on."""
import dataclasses
import multiprocessing
import os
import signal

import numpy as np
import pytest

from core.records.reader import list_runs
from core.settings.config import TrainConfig
from core.training.training_run import run_to_end
from core.training_process.job import RunJob, build_trainer
from gui.training.training_controller import STOP_GRACE_MS, TrainingController
from gui_helpers import collect, digits, make_window

pytestmark = pytest.mark.usefixtures("themed_app")
CONFIG = TrainConfig(hidden_sizes=(8,), epochs=2, snapshot_every=3, schedule="constant")
LONG = dataclasses.replace(CONFIG, epochs=5000, batch_size=16)


def controller_run(qtbot, job):
    controller = TrainingController()
    received, failures = [], []
    controller.snapshot.connect(received.append)
    controller.failed.connect(lambda message, log: failures.append((message, log)))
    with qtbot.waitSignal(controller.finished, timeout=60000):
        controller.start(job)
    return controller, received, failures


def test_a_run_trains_in_another_process_and_sends_every_snapshot_in_order(qtbot):
    controller, received, failures = controller_run(qtbot, RunJob(CONFIG, digits()))
    assert controller.pid != os.getpid() and failures == []
    start = received[0]
    assert start.kind == "start" and start.image_shape == (8, 8) and start.class_names == tuple("0123456789")
    kinds = [s.kind for s in received]
    assert kinds.count("epoch") == 2 and kinds[-1] == "end" and received[-1].reason == "finished"
    assert [s.step for s in received if s.kind == "batch"] == list(range(3, start.total_steps + 1, 3))
    here = build_trainer(RunJob(CONFIG, digits()), digits())
    run_to_end(here)
    assert all(np.array_equal(a, b) for a, b in zip(here.network.params, received[-1].network.params))
    assert not controller.is_running and multiprocessing.active_children() == []


def test_pause_is_held_in_the_child_and_stop_ends_it_within_a_second(qtbot):
    window = make_window(qtbot, **dataclasses.asdict(LONG))
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: len(snapshots) >= 3, timeout=20000)
    window.pause_button.click()
    qtbot.waitUntil(lambda: window.training.control.waiting, timeout=5000)   # the child said: held
    held_at = len(snapshots)
    assert window.training.is_paused and window.pause_button.text() == "Resume"
    process = window.training.handle.child.process
    with qtbot.waitSignal(window.run_finished, timeout=1000) as finished:   # within a second
        window.stop_button.click()
    assert finished.args == ["stopped"] and len(snapshots) == held_at + 1
    qtbot.waitUntil(lambda: not process.is_alive(), timeout=1000)


@pytest.mark.parametrize("how, words", [(signal.SIGKILL, "killed by SIGKILL (signal 9)"),
                                        (signal.SIGSEGV, "killed by SIGSEGV (signal 11)")])
def test_a_child_that_dies_is_told_its_record_kept_and_the_window_goes_on(qtbot, how, words):
    window = make_window(qtbot, **dataclasses.asdict(LONG))
    failures = []
    window.training.failed.connect(lambda message, log: failures.append(message))
    window.start_training()
    qtbot.waitUntil(lambda: bool(window.state.history.get("epoch")), timeout=30000)   # an epoch checkpointed
    with qtbot.waitSignal(window.training.finished, timeout=10000):
        os.kill(window.training.pid, how)
    assert len(failures) == 1 and words in failures[0] and "run record" in failures[0]
    assert not window.is_training and window.start_button.isEnabled()
    runs = list_runs()
    assert runs[0].status == "interrupted" and runs[0].checkpoints   # its last checkpoint kept
    window.form.set_config(dataclasses.replace(window.form.config(), epochs=1))   # the app keeps working
    with qtbot.waitSignal(window.run_finished, timeout=60000) as finished:
        window.start_training()
    assert finished.args == ["finished"]


def test_a_child_that_does_not_answer_is_ended_after_the_grace_period(qtbot):
    window = make_window(qtbot, **dataclasses.asdict(LONG))
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: len(snapshots) >= 3, timeout=20000)
    process = window.training.handle.child.process
    os.kill(process.pid, signal.SIGSTOP)   # frozen: it cannot answer the stop
    with qtbot.waitSignal(window.training.finished, timeout=STOP_GRACE_MS + 5000):
        window.stop_button.click()
    assert not process.is_alive() and not window.is_training


def test_an_error_in_the_child_is_said_in_one_sentence(qtbot):
    bad = dataclasses.replace(CONFIG, loss="binary_cross_entropy", output="softmax")
    controller, received, failures = controller_run(qtbot, RunJob(bad, digits()))
    assert received == [] and len(failures) == 1
    assert "binary cross-entropy needs a sigmoid output" in failures[0][0] and failures[0][1] == ""


def test_loaded_data_goes_to_shared_memory_before_start(qtbot):
    """Setting the data prepares its shared-memory copy in the background, so the first Start
    copies nothing on the window's thread."""
    from core.training_process.shared_data import is_prepared
    data = digits()
    fresh = type(data)(**{f: getattr(data, f) for f in data.__dataclass_fields__})   # never shared yet
    window = make_window(qtbot, fresh)
    qtbot.waitUntil(lambda: is_prepared(fresh), timeout=10000)   # no Start pressed
    assert not window.is_training
