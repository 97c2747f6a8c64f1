import gc
import threading

from gui.shell.gc_guard import collect_on_gui_thread
from gui.shell.main_window import MainWindow


class Cycle:
    """Cyclic garbage that records which thread finalises it."""
    finalised_in = []

    def __init__(self):
        self.me = self

    def __del__(self):
        Cycle.finalised_in.append(threading.current_thread().name)


def test_cyclic_garbage_is_collected_on_the_gui_thread_only(qtbot):
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    collector = collect_on_gui_thread()
    assert collector is collect_on_gui_thread()          # one per process
    assert not gc.isenabled() and collector.timer.isActive()
    Cycle.finalised_in.clear()
    for _ in range(50):
        Cycle()

    def allocate_a_lot():   # would trigger automatic collection in this thread if it were on
        [[i] for i in range(200_000)]

    worker = threading.Thread(target=allocate_a_lot, name="worker")
    worker.start()
    worker.join()
    assert "worker" not in Cycle.finalised_in
    qtbot.waitUntil(lambda: len(Cycle.finalised_in) == 50, timeout=5000)
    assert set(Cycle.finalised_in) == {threading.current_thread().name}
