"""Stop, Reset and closing the window while a run is still being prepared (the worker thread
builds the trainer: ex4's preset downscales all 70,000 MNIST images to 20x20 first). The window
must never freeze, and the run must really end: reason 'stopped', no training step taken."""
import time

import pytest
from PyQt5.QtCore import QTimer

from gui_helpers import collect, make_window

pytestmark = pytest.mark.usefixtures("themed_app")
SLOW_TO_PREPARE = "ng-ex4-400-25-10-cg"   # full MNIST, resized in make_trainer


def preparing_window(qtbot, mnist):
    """A window that has just pressed Start on the ex4 preset: the worker is building the
    trainer, so no snapshot (not even the StartSnapshot) can have been delivered yet."""
    window = make_window(qtbot, mnist)
    window.form.select_preset(SLOW_TO_PREPARE)
    assert window.start_button.isEnabled(), window.form_error.text()
    snapshots = collect(window)
    window.start_button.click()
    assert window.is_training and window.state.start is None and snapshots == []
    return window, snapshots


class EventLoopProbe:
    """A 20 ms QTimer; the longest gap between its ticks is how long the GUI thread froze."""

    def __init__(self):
        self.ticks = [time.perf_counter()]
        self.timer = QTimer()
        self.timer.timeout.connect(lambda: self.ticks.append(time.perf_counter()))
        self.timer.start(20)

    def longest_gap(self):
        self.timer.stop()
        return max(b - a for a, b in zip(self.ticks, self.ticks[1:]))


def test_stop_while_preparing_ends_the_run_at_once_and_the_worker_after_it(qtbot, mnist):
    window, snapshots = preparing_window(qtbot, mnist)
    handle, control = window.training.handle, window.training.control
    probe = EventLoopProbe()
    with qtbot.waitSignal(window.run_finished, timeout=1000) as finished:   # within a second
        window.stop_button.click()
    assert finished.args == ["stopped"]
    assert [s.kind for s in snapshots] == ["end"] and snapshots[0].reason == "stopped" and snapshots[0].step == 0
    assert not window.is_training and window.start_button.isEnabled()
    assert "Stopped before training started" in window.progress.state_label.text()
    # the process is ended (it was let go of, so nothing it still sends reaches the window);
    # run_finished comes once the views are drawn, by which time it may be gone already
    assert control.stop_requested and window.training.handle is None
    assert window.training.retired_runs <= {handle}
    qtbot.waitUntil(lambda: not handle.running, timeout=20000)
    assert probe.longest_gap() < 1.0, "the window froze while the run was stopping"
    assert len(snapshots) == 1 and window.training.retired_runs == frozenset()


def test_closing_while_preparing_stops_the_run_and_joins(qtbot, mnist, qtlog):
    window, snapshots = preparing_window(qtbot, mnist)
    handle, control = window.training.handle, window.training.control
    window.close()   # stops, then waits for the run's process
    assert not handle.child.process.is_alive() and control.stop_requested
    qtbot.waitUntil(lambda: not handle.running, timeout=2000)
    qtbot.waitUntil(lambda: len(snapshots) == 2, timeout=2000)   # the queued snapshots, still delivered
    assert [s.kind for s in snapshots] == ["start", "end"] and snapshots[-1].reason == "stopped"
    assert snapshots[-1].step == 0
    assert not [m for m in qtlog.records if "Destroyed" in m.message or "still running" in m.message]


def test_reset_while_preparing_lets_the_run_go_without_refilling_the_views(qtbot, mnist):
    window, snapshots = preparing_window(qtbot, mnist)
    handle, control = window.training.handle, window.training.control
    probe = EventLoopProbe()
    window.reset_button.click()
    assert not window.is_training and window.start_button.isEnabled()
    assert control.stop_requested and window.training.retired_runs == {handle}
    # everything the old run posted was queued before its thread's finished: delivered by now
    qtbot.waitUntil(lambda: not handle.running, timeout=20000)
    assert probe.longest_gap() < 1.0
    assert snapshots == [], "the reset run refilled the views"
    assert window.state.start is None and window.state.end is None and window.state.network is None
    assert window.progress.state_label.text() == "Idle"
    assert window.tabs.training.loss_plot.train_curve.getOriginalDataset()[0] is None
    assert window.training.retired_runs == frozenset()   # the handle was let go once its thread ended


def test_a_new_run_after_reset_while_preparing_trains_normally(qtbot, mnist, digits):
    window, snapshots = preparing_window(qtbot, mnist)
    window.reset()
    window.set_dataset(digits)
    window.form.select_preset("default")
    window.form.epochs_spin.setValue(1)
    with qtbot.waitSignal(window.run_finished, timeout=30000) as finished:
        window.start_button.click()
    assert finished.args == ["finished"]
    assert snapshots[0].kind == "start" and snapshots[0].image_shape == (8, 8)
    assert snapshots[-1].kind == "end" and snapshots[-1].reason == "finished"
    assert all(s.kind != "end" or s.reason == "finished" for s in snapshots)
