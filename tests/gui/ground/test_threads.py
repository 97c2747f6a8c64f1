"""The training worker in its QThread: a StartSnapshot first, every snapshot in order, commands
through the RunControl only, and the thread ends."""
from PyQt5.QtCore import QThread

from core.settings.config import TrainConfig
from core.training.run_control import RunControl
from core.training.trainers import make_trainer
from gui.ground.threads import ThreadHandle, TrainingWorker
from gui_helpers import digits


def test_worker_emits_a_start_snapshot_then_every_snapshot_in_another_thread(qtbot):
    config = TrainConfig(hidden_sizes=(8,), epochs=2, snapshot_every=3)
    worker = TrainingWorker(lambda: make_trainer(config, digits()), RunControl())
    received, threads = [], []
    worker.snapshot.connect(received.append)
    worker.snapshot.connect(lambda _: threads.append(QThread.currentThread()))
    handle = ThreadHandle(worker).start()
    qtbot.waitUntil(lambda: not handle.running, timeout=20000)   # the thread's finished was delivered
    start = received[0]
    assert start.kind == "start" and start.image_shape == (8, 8) and start.class_names == tuple("0123456789")
    assert start.val_images.shape == (len(start.val_labels), 8, 8)
    kinds = [s.kind for s in received]
    assert kinds.count("epoch") == 2 and kinds[-1] == "end"
    assert [s.step for s in received if s.kind == "batch"] == list(range(3, start.total_steps + 1, 3))
    assert handle.wait(10)


def test_the_start_snapshot_holds_copies_not_the_trainers_arrays():
    trainer = make_trainer(TrainConfig(hidden_sizes=(8,), epochs=1), digits())
    start = trainer.start_snapshot()
    start.val_labels[:] = -1
    assert (trainer.val_labels >= 0).all()


def test_stop_through_the_control_ends_a_paused_run(qtbot):
    config = TrainConfig(hidden_sizes=(8,), epochs=1000, batch_size=16, snapshot_every=5)
    control = RunControl()
    worker = TrainingWorker(lambda: make_trainer(config, digits()), control)
    received = []
    worker.snapshot.connect(received.append)
    handle = ThreadHandle(worker).start()
    qtbot.waitUntil(lambda: len(received) >= 3, timeout=10000)
    control.pause()
    qtbot.waitUntil(lambda: control.waiting, timeout=5000)
    control.stop()
    qtbot.waitUntil(lambda: not handle.running, timeout=1000)   # within a second of the stop
    assert received[-1].kind == "end"
    assert received[-1].reason == "stopped"
