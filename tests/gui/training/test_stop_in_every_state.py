"""Stop ends a run within one second in every state: running, paused, paused after a divergence,
full-batch optimisation (preparing data: test_stop_while_preparing.py). Each test clicks Stop
and waits at most one second for run_finished('stopped'): the wait's timeout is the assertion."""
import pytest

from core.data.transforms import subsample
from gui_helpers import collect, make_window

pytestmark = pytest.mark.usefixtures("themed_app")
ONE_SECOND = 1000


def stop_within_a_second(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=ONE_SECOND) as finished:
        window.stop_button.click()
    assert finished.args == ["stopped"] and window.state.end.reason == "stopped"
    assert not window.is_training and window.start_button.isEnabled()


def test_stop_while_running(qtbot):
    window = make_window(qtbot, epochs=500, hidden_sizes=(32,), batch_size=16)
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: len([s for s in snapshots if s.kind == "batch"]) >= 3, timeout=10000)
    assert not window.training.is_paused
    stop_within_a_second(qtbot, window)


def test_stop_while_paused(qtbot):
    window = make_window(qtbot, epochs=500, hidden_sizes=(32,), batch_size=16)
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: len(snapshots) >= 3, timeout=10000)
    window.pause_button.click()
    qtbot.waitUntil(lambda: window.training.control.waiting, timeout=5000)   # the loop is held
    stop_within_a_second(qtbot, window)


def test_stop_while_paused_after_a_divergence(qtbot):
    window = make_window(qtbot, epochs=50, hidden_sizes=(32,), learning_rate=1000.0, schedule="constant")
    window.start_training()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    qtbot.waitUntil(lambda: window.training.control.waiting, timeout=5000)   # paused by the loop itself
    assert window.pause_button.text() == "Resume"
    stop_within_a_second(qtbot, window)
    assert not window.banner.isVisible()


def test_stop_during_full_batch_optimisation(qtbot, mnist):
    window = make_window(qtbot, subsample(mnist, 3000, 100))
    window.form.select_preset("ng-ex4-400-25-10-cg")
    window.form.iterations_spin.setValue(400)
    window.form.val_edit.setText("500")
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: any(s.kind == "batch" for s in snapshots), timeout=20000)
    assert window.state.start.uses_learning_rate is False
    stop_within_a_second(qtbot, window)
    assert window.state.end.step < 400
