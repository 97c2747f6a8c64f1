"""The run control: one thread-safe object for pause, resume, stop and the learning rate, and
the rule that a stop always wins (also over the pause the loop makes after a divergence)."""
import threading

import pytest

from core.errors import ConfigError
from core.settings.config import TrainConfig
from core.training.run_control import RunControl
from core.training.trainers import make_trainer


def test_wait_returns_when_resumed_from_another_thread():
    control = RunControl()
    control.pause()
    resumed = threading.Event()
    waiter = threading.Thread(target=lambda: (control.wait_while_paused(), resumed.set()))
    waiter.start()
    assert not resumed.wait(0.05) and control.is_paused
    control.resume()
    assert resumed.wait(5)
    waiter.join(5)


def test_a_stop_wins_over_a_later_pause():
    control = RunControl()
    control.stop()
    control.pause()   # e.g. the loop's own pause after a divergence
    assert not control.is_paused and control.stop_requested
    assert control.wait_while_paused() == 0.0


def test_stop_wakes_a_paused_loop():
    control = RunControl()
    control.pause()
    done = threading.Event()
    waiter = threading.Thread(target=lambda: (control.wait_while_paused(), done.set()))
    waiter.start()
    control.stop()
    assert done.wait(5)


@pytest.mark.parametrize("bad", [0, -1, float("nan"), float("inf"), "fast"])
def test_learning_rate_must_be_positive(bad):
    control = RunControl()
    with pytest.raises(ConfigError, match="learning rate"):
        control.set_learning_rate(bad)
    assert control.learning_rate is None


def test_stop_arriving_as_the_divergence_pause_begins_ends_the_run(digits):
    """The race of issue 9: the stop lands after the loop detected a divergence but before it
    paused itself. The old pause() undid the stop and the loop waited forever."""
    config = TrainConfig(hidden_sizes=(32,), learning_rate=1000.0, schedule="constant", epochs=50,
                         on_divergence="pause")
    trainer = make_trainer(config, digits)
    reset = trainer.optimizer.reset

    def stop_then_reset():   # runs inside _diverged, just before its pause()
        trainer.stop()
        reset()

    trainer.optimizer.reset = stop_then_reset
    snapshots = []
    loop = threading.Thread(target=lambda: snapshots.extend(trainer.run()), daemon=True)
    loop.start()
    loop.join(10)
    assert not loop.is_alive(), "the loop is still waiting after the stop"
    kinds = [s.kind for s in snapshots]
    assert "diverged" in kinds and kinds[-1] == "end" and snapshots[-1].reason == "stopped"


def test_a_learning_rate_set_before_the_trainer_exists_is_used(digits):
    control = RunControl()
    control.set_learning_rate(0.0125)
    trainer = make_trainer(TrainConfig(hidden_sizes=(8,), epochs=1, schedule="constant", snapshot_every=1), digits).use_control(control)
    batch = next(s for s in trainer.run() if s.kind == "batch")
    assert batch.learning_rate == pytest.approx(0.0125)


def test_wait_until_held_returns_once_the_loop_is_held_and_times_out_otherwise():
    control = RunControl()
    assert control.wait_until_held(timeout=0.01) is False          # nothing paused: never held
    control.pause()
    loop = threading.Thread(target=control.wait_while_paused)
    loop.start()
    assert control.wait_until_held(timeout=10) and control.waiting
    control.resume()
    loop.join(5)
    assert not loop.is_alive() and not control.waiting
    control.stop()
    assert control.wait_until_held(timeout=0.01)                   # a stopped run needs no wait
