"""Stop, Reset and closing the window while a run is still being prepared (the worker thread
builds the trainer: ex4's preset downscales all 70,000 MNIST images to 20x20 first). The window
must never freeze, and the run must really end: reason 'stopped', no snapshot after that."""
import time

import pytest
from PyQt5.QtCore import QTimer

from gui_helpers import collect, make_window

pytestmark = pytest.mark.usefixtures("themed_app")
SLOW_TO_PREPARE = "ng-ex4-400-25-10-cg"   # full MNIST, resized in make_trainer


def preparing_window(qtbot, mnist):
    """A window that has just pressed Start on the ex4 preset: the worker is building the
    trainer, the window has none yet (its ``ready`` signal cannot have been delivered)."""
    window = make_window(qtbot, mnist)
    window.form.select_preset(SLOW_TO_PREPARE)
    assert window.start_button.isEnabled(), window.form_error.text()
    snapshots = collect(window)
    window.start_button.click()
    assert window.is_training and window.trainer is None
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


def test_stop_while_preparing_returns_at_once_and_the_run_ends_stopped(qtbot, mnist):
    window, snapshots = preparing_window(qtbot, mnist)
    probe = EventLoopProbe()
    started = time.perf_counter()
    window.stop_button.click()
    stopping = time.perf_counter() - started
    assert stopping < 0.5, f"Stop blocked the window for {stopping:.1f} s"   # it used to wait 5 s
    with qtbot.waitSignal(window.run_finished, timeout=20000) as finished:
        pass
    assert finished.args == ["stopped"]
    assert probe.longest_gap() < 1.0, "the window froze while the run was stopping"
    assert [s.kind for s in snapshots] == ["end"] and snapshots[0].reason == "stopped"
    assert window.trainer is not None and window.trainer.stop_requested and window.trainer.step == 0
    qtbot.wait(300)
    assert len(snapshots) == 1, "the run went on after it ended"
    assert not window.is_training and window.start_button.isEnabled()
    assert "Stopped" in window.progress.state_label.text()


def test_closing_while_preparing_stops_the_run_and_joins_quickly(qtbot, mnist, qtlog):
    window, snapshots = preparing_window(qtbot, mnist)
    handle = window.run
    started = time.perf_counter()
    window.close()
    closing = time.perf_counter() - started
    # the join waits for the rest of the preparation and one cost evaluation (well under a
    # second on a quiet machine); it used to take 8 s and leave the run training
    assert closing < 3.0, f"closing took {closing:.1f} s"
    assert not handle.thread.isRunning() if handle.running else True
    qtbot.waitUntil(lambda: not handle.running, timeout=2000)
    trainer = handle.worker.trainer
    assert trainer.stop_requested and trainer.step == 0
    qtbot.waitUntil(lambda: len(snapshots) > 0, timeout=2000)   # the queued end snapshot, still delivered
    assert [s.kind for s in snapshots] == ["end"] and snapshots[0].reason == "stopped"
    assert not [m for m in qtlog.records if "Destroyed" in m.message or "still running" in m.message]


def test_reset_while_preparing_lets_the_run_go_without_refilling_the_views(qtbot, mnist):
    window, snapshots = preparing_window(qtbot, mnist)
    handle = window.run
    probe = EventLoopProbe()
    started = time.perf_counter()
    window.reset_button.click()
    resetting = time.perf_counter() - started
    assert resetting < 0.5, f"Reset blocked the window for {resetting:.1f} s"   # it used to wait 7 s
    assert not window.is_training and window.start_button.isEnabled()
    qtbot.waitUntil(lambda: not handle.running, timeout=20000)
    assert probe.longest_gap() < 1.0
    qtbot.wait(200)   # anything the old run still had queued has been delivered by now
    assert handle.worker.trainer.stop_requested and handle.worker.trainer.step == 0
    assert snapshots == [], "the reset run refilled the views"
    assert window.trainer is None and window.state.end is None and window.state.network is None
    assert window.progress.state_label.text() == "Idle"
    assert window.tabs.training.loss_plot.train_curve.getOriginalDataset()[0] is None
    assert not window._retired_runs   # the handle was let go once its thread ended


def test_a_new_run_after_reset_while_preparing_trains_normally(qtbot, mnist, digits):
    window, snapshots = preparing_window(qtbot, mnist)
    window.reset()
    window.set_dataset(digits)
    window.form.select_preset("default")
    window.form.epochs_spin.setValue(1)
    with qtbot.waitSignal(window.run_finished, timeout=30000) as finished:
        window.start_button.click()
    assert finished.args == ["finished"]
    assert snapshots[-1].kind == "end" and snapshots[-1].reason == "finished"
    assert all(s.kind != "end" or s.reason == "finished" for s in snapshots)
