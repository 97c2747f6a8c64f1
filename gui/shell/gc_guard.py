"""Keep Python's cyclic garbage collection on the GUI thread.

The collector runs in whichever thread happens to allocate when a threshold is crossed; with a
training worker allocating snapshots, that is often the worker. If the garbage then holds Qt
objects (a closed window's pyqtgraph items, say), Qt deletes them off the GUI thread while the
GUI thread may be painting them: a crash ("wrapped C/C++ object ... has been deleted", then a
segfault). pyqtgraph ships the standard remedy: turn automatic collection off and collect from
a timer on the GUI thread. And once the window is built, settle_garbage_collector takes its
long-lived objects out of the collector's generations.
"""
import gc

from pyqtgraph.util.garbage_collector import GarbageCollector

_collector = None


def collect_on_gui_thread(interval=1.0):
    """Install (once per process) the GUI-thread collector; call from the GUI thread."""
    global _collector
    if _collector is None:
        _collector = GarbageCollector(interval=interval)
    return _collector


def settle_garbage_collector():
    """Once the window is built: its tens of thousands of long-lived objects (widgets, plot items)
    leave the collector's generations (gc.freeze), so a collection while training walks only
    what is new. Without it a collection took 8-10 ms of the window's thread now and then (one
    of the gaps over a frame in bench/bench_gui.py)."""
    gc.collect()
    gc.freeze()
