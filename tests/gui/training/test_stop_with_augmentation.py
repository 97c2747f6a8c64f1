"""Stop still ends a run within one second when augmented batches are prepared in a background
thread (core.training.prefetch), running or paused, and the run's process (its prefetch thread
with it) ends with the run."""
import pytest

from core.data.transforms import subsample
from gui_helpers import collect, make_window

pytestmark = pytest.mark.usefixtures("themed_app")
ONE_SECOND = 1000
AUGMENTATION = dict(augment_shift=2.0, augment_rotation=12.0, augment_scale=0.12, augment_shear=12.0,
                    augment_elastic_alpha=12.0, augment_thickness=0.3)


def started_augmented_run(qtbot, mnist):
    window = make_window(qtbot, subsample(mnist, 3000, 100), epochs=200, hidden_sizes=(32,), batch_size=32,
                         val_split=500, **AUGMENTATION)
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: len([s for s in snapshots if s.kind == "batch"]) >= 3, timeout=20000)
    assert window.state.start.config.augmentation.enabled
    return window


def stop_within_a_second(qtbot, window):
    process = window.training.handle.child.process
    with qtbot.waitSignal(window.run_finished, timeout=ONE_SECOND) as finished:
        window.stop_button.click()
    assert finished.args == ["stopped"] and window.state.end.reason == "stopped"
    qtbot.waitUntil(lambda: not window.training.is_running, timeout=ONE_SECOND)
    qtbot.waitUntil(lambda: not process.is_alive(), timeout=ONE_SECOND)


def test_stop_while_running_with_augmentation(qtbot, mnist):
    window = started_augmented_run(qtbot, mnist)
    stop_within_a_second(qtbot, window)


def test_stop_while_paused_with_augmentation(qtbot, mnist):
    window = started_augmented_run(qtbot, mnist)
    window.pause_button.click()
    qtbot.waitUntil(lambda: window.training.control.waiting, timeout=5000)
    stop_within_a_second(qtbot, window)
