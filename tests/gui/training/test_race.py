"""Race: two real trainers in two processes on identical batches (MNIST subset)."""
from dataclasses import replace

import numpy as np

from core.settings.config import TrainConfig
from gui.training.race import race_note
from gui.training.race_window import RaceWindow

B = TrainConfig(hidden_sizes=(32,), epochs=2, batch_size=50, learning_rate=0.1, schedule="constant",
                val_split=300, seed=4)


def spying_window(qtbot, dataset, config_b=B):
    """A RaceWindow; the batches each racer's process gets are proved by
    test_racers_are_built_on_identical_batches (the builder the processes run)."""
    window = RaceWindow(config_b, dataset)
    qtbot.addWidget(window)
    window.show()
    return window, None


def racer_trainers(dataset, config_a, config_b):
    """The two trainers the racers' processes build (core.training_process.job), here."""
    from core.training_process.job import build_trainer
    from gui.training.race import racer_job
    return [build_trainer(racer_job(config, dataset, config_b.seed, config_b.val_split), dataset)
            for config in (config_a, config_b)]


def test_racers_are_built_on_identical_batches(mnist_small):
    from core.training.training_run import run_to_end
    a = replace(B, seed=11, learning_rate=0.5, activation="tanh", l2=1e-4)
    trainers = racer_trainers(mnist_small, a, B)
    orders = {0: [], 1: []}
    for lane, trainer in enumerate(trainers):
        original = trainer._epoch_order

        def spy(rng, original=original, lane=lane):
            order = original(rng)
            orders[lane].append(np.array(order))
            return order
        trainer._epoch_order = spy
        run_to_end(trainer)
    assert np.array_equal(trainers[0].train_images, trainers[1].train_images)
    assert np.array_equal(trainers[0].train_labels, trainers[1].train_labels)
    assert len(orders[0]) == len(orders[1]) == 2
    for order_a, order_b in zip(orders[0], orders[1]):
        assert np.array_equal(order_a, order_b)
    assert not np.array_equal(orders[0][0], orders[0][1])   # a fresh shuffle each epoch
    assert not np.array_equal(trainers[0].network.params[0], trainers[1].network.params[0])   # A's own weights


def finished(window):
    return window.session is not None and not window.session.is_running


def test_different_setups_get_identical_batches_and_both_finish(qtbot, mnist_small):
    window, seen = spying_window(qtbot, mnist_small)
    a = replace(B, seed=11, learning_rate=0.5, activation="tanh", l2=1e-4)   # A's own seed: other initial weights
    assert race_note(a, B) == ""
    window.start(a)
    assert "A: 32 tanh, momentum lr 0.5" in window.note.text() and "seed 11" in window.note.text()
    qtbot.waitUntil(lambda: finished(window), timeout=60000)
    ends = [lane.end for lane in window.lanes]
    assert [e.reason for e in ends] == ["finished", "finished"]
    # the two racers were two processes, both gone now
    assert all(not controller.handle.child.process.is_alive() for controller in window.session.lanes)
    assert len({controller.pid for controller in window.session.lanes}) == 2
    # different set-ups really trained differently (A started from its own weights)
    assert ends[0].history["train_loss"] != ends[1].history["train_loss"]
    # both plots show both racers
    for kind in ("loss", "accuracy"):
        for lane in (0, 1):
            assert len(window.curves[lane, kind, "train"].xData) > 0
            assert list(window.curves[lane, kind, "val"].xData) == [1.0, 2.0]
    # accuracy in %, as the Training tab shows it
    assert list(window.curves[1, "accuracy", "val"].yData) == [100 * a for a in ends[1].history["val_accuracy"]]
    assert all(bar.value() == bar.maximum() for bar in window.bars)
    assert "finished" in window.lane_labels[0].text() and window.start_button.isEnabled()


def test_two_identical_setups_race_to_identical_histories(qtbot, mnist_small):
    window, _ = spying_window(qtbot, mnist_small)
    window.start(replace(B))
    qtbot.waitUntil(lambda: finished(window), timeout=60000)
    ends = [lane.end for lane in window.lanes]
    for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy", "step"):
        assert ends[0].history[key] == ends[1].history[key]
    assert all(np.array_equal(p, q) for p, q in zip(ends[0].network.params, ends[1].network.params))


def test_stopping_one_racer_leaves_the_other_running(qtbot, mnist_small):
    long_b = replace(B, epochs=400)
    window, _ = spying_window(qtbot, mnist_small, long_b)
    session = window.start(replace(long_b, seed=9))
    qtbot.waitUntil(lambda: all(lane.last is not None for lane in window.lanes), timeout=60000)
    with qtbot.waitSignal(session.lane_finished, timeout=30000, check_params_cb=lambda lane: lane == 0):
        window.stop_buttons[0].click()
    assert window.lanes[0].end.reason == "stopped"
    assert session.lane_running(1) and window.lanes[1].end is None
    assert not window.stop_buttons[0].isEnabled() and window.stop_buttons[1].isEnabled()
    steps_then = window.lanes[1].last.step
    qtbot.waitUntil(lambda: window.lanes[1].last.step > steps_then, timeout=30000)   # B still trains
    window.stop_all_button.click()
    qtbot.waitUntil(lambda: finished(window), timeout=30000)
    assert window.lanes[1].end.reason == "stopped"


def test_the_note_says_when_batches_cannot_be_identical():
    assert "Batch sizes differ" in race_note(replace(B, batch_size=64), B)
    assert "full-batch" in race_note(replace(B, optimizer="lbfgs"), B)


def frozen_b_race(qtbot, dataset):
    """A long race whose racer B is frozen (SIGSTOP) while its process still starts up; A gets
    ready first. Returns (window, session, B's pid, [(lane, snapshot kind)] in arrival order)."""
    import os
    import signal
    long_b = replace(B, epochs=400)
    window, _ = spying_window(qtbot, dataset, long_b)
    order = []
    session = window.start(replace(long_b, seed=9))
    session.snapshot.connect(lambda lane, snapshot: order.append((lane, snapshot.kind)))
    pid_b = session.lanes[1].pid
    os.kill(pid_b, signal.SIGSTOP)
    qtbot.waitUntil(lambda: window.lanes[0].start is not None, timeout=60000)
    return window, session, pid_b, order


def test_racers_start_together_when_both_are_ready(qtbot, mnist_small):
    import os
    import signal
    window, session, pid_b, order = frozen_b_race(qtbot, mnist_small)
    assert not session.released and window.lanes[1].start is None   # A is ready and waits for B
    window.redraw(force=True)
    assert "waits for the other racer" in window.lane_labels[0].text()
    assert "preparing the data" in window.lane_labels[1].text()
    os.kill(pid_b, signal.SIGCONT)
    qtbot.waitUntil(lambda: all(lane.last is not None for lane in window.lanes), timeout=60000)
    assert session.released
    # A's first batch came after B was ready: neither trained while the other was starting
    assert order.index((0, "batch")) > order.index((1, "start"))
    window.stop_all_button.click()
    qtbot.waitUntil(lambda: finished(window), timeout=30000)


def test_a_racer_stopped_before_it_was_ready_lets_the_other_go(qtbot, mnist_small):
    window, session, pid_b, order = frozen_b_race(qtbot, mnist_small)
    with qtbot.waitSignal(session.lane_finished, timeout=30000, check_params_cb=lambda lane: lane == 1):
        window.stop_buttons[1].click()   # B never got ready: its process is ended
    qtbot.waitUntil(lambda: window.lanes[0].last is not None, timeout=30000)   # A trains on its own
    assert session.released and (1, "batch") not in order
    window.stop_all_button.click()
    qtbot.waitUntil(lambda: finished(window), timeout=30000)
    assert window.lanes[0].end.reason == "stopped" and window.lanes[1].end.reason == "stopped"


def test_a_new_race_shows_nothing_of_the_last_one(qtbot, mnist_small):
    window, _ = spying_window(qtbot, mnist_small)
    window.start(replace(B, seed=9))
    qtbot.waitUntil(lambda: finished(window), timeout=60000)
    assert "finished" in window.lane_labels[0].text() and window.bars[0].value() == window.bars[0].maximum()
    window.start(replace(B, seed=9, epochs=400))
    window.redraw(force=True)   # the first tick, before any racer is ready
    for label, bar in zip(window.lane_labels, window.bars):
        assert "finished" not in label.text() and bar.value() == 0
        assert label.text() in ("preparing the data…", "ready: waits for the other racer",
                                "training: the first figures come in a moment…") or "epoch 1" in label.text()
    window.stop_all_button.click()
    qtbot.waitUntil(lambda: finished(window), timeout=30000)
