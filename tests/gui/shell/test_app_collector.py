"""Once the window is built, its long-lived objects leave the collector's generations
(gui.shell.gc_guard.settle_garbage_collector): a collection while training walks only new objects."""
import gc

from gui.shell.gc_guard import settle_garbage_collector
from gui_helpers import make_window


def test_a_collection_after_settling_walks_only_new_objects(qtbot):
    window = make_window(qtbot)
    try:
        settle_garbage_collector()
        frozen = gc.get_freeze_count()
        assert frozen > 10000   # the window's widgets, plot items and the modules behind them
        tracked_young = sum(gc.get_count())
        assert tracked_young < 1000   # what a collection now walks: objects made since
    finally:
        gc.unfreeze()   # later tests see an ordinary collector
