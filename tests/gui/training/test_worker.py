"""The training worker in its QThread: every snapshot arrives, in order, and the thread ends."""
from PyQt5.QtCore import QThread

from core.training.config import TrainConfig
from core.training.trainers import make_trainer
from gui.training.worker import ThreadHandle, TrainingWorker
from gui_helpers import digits


def test_worker_emits_every_snapshot_in_another_thread_and_finishes(qtbot):
    trainer = make_trainer(TrainConfig(hidden_sizes=(8,), epochs=2, snapshot_every=3), digits())
    worker = TrainingWorker(trainer)
    received, threads = [], []
    worker.snapshot.connect(received.append)
    worker.snapshot.connect(lambda _: threads.append(QThread.currentThread()), )
    handle = ThreadHandle(worker)
    with qtbot.waitSignal(handle.thread.finished, timeout=20000):
        handle.start()
    qtbot.waitUntil(lambda: not handle.running, timeout=2000)
    kinds = [s.kind for s in received]
    assert kinds.count("epoch") == 2 and kinds[-1] == "end"
    assert [s.step for s in received if s.kind == "batch"] == list(range(3, trainer.total_steps + 1, 3))
    assert handle.wait(10)


def test_stop_joins_promptly_even_while_paused(qtbot):
    trainer = make_trainer(TrainConfig(hidden_sizes=(8,), epochs=1000, batch_size=16, snapshot_every=5), digits())
    worker = TrainingWorker(trainer)
    received = []
    worker.snapshot.connect(received.append)
    handle = ThreadHandle(worker).start()
    qtbot.waitUntil(lambda: len(received) >= 2, timeout=10000)
    trainer.pause()
    trainer.stop()
    assert handle.wait(1000)
    qtbot.waitUntil(lambda: not handle.running, timeout=2000)
    assert received[-1].kind == "end" and received[-1].reason == "stopped"
