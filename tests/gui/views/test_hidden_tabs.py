"""While training, the weight tiles and the evaluation are drawn for the tab that shows them:
with another tab shown (the Map, the Data tab) they wait, and are drawn the moment their tab is
shown, and at the run's end. Drawn for nobody they were most of the window's stalls."""
import numpy as np
from PyQt5.QtWidgets import QApplication

from gui.views import redraw_scheduler
from gui_helpers import make_window


def page_of(tabs, widget):
    while tabs.indexOf(widget) < 0:
        widget = widget.parentWidget()
    return widget


def test_hidden_views_wait_for_their_tab_and_the_end_of_the_run(qtbot):
    window = make_window(qtbot, epochs=500, hidden_sizes=(16,), batch_size=32)
    tabs = window.tabs
    drawn = []
    original = tabs.confusion.set_confusion
    tabs.confusion.set_confusion = lambda *args: (drawn.append(args[0]), original(*args))
    tabs.setCurrentWidget(tabs.data)
    window.start_training()
    qtbot.waitUntil(lambda: {"weights", "evaluation"} <= window.redraw.held, timeout=30000)
    assert drawn == [] and len(tabs.weights.tiles) == 0           # nobody looked: nothing drawn

    tabs.setCurrentWidget(page_of(tabs, tabs.confusion))           # shown: drawn at once
    assert len(drawn) == 1 and tabs.confusion.confusion is not None
    assert tabs.confusion.confusion.sum() == len(window.model_info.val_labels)
    assert "evaluation" not in window.redraw.held and len(tabs.weights.tiles) == 0
    tabs.setCurrentWidget(page_of(tabs, tabs.weights))
    assert tabs.weights.tiles.shape == (16, 8, 8) and "weights" not in window.redraw.held

    tabs.setCurrentWidget(tabs.data)
    shown_epoch = len(drawn)
    window.toggle_pause()                          # no epoch after this one: the end must draw it
    qtbot.waitUntil(lambda: window.training.control.waiting, timeout=10000)
    QApplication.processEvents()                   # what the loop posted before it held
    qtbot.waitUntil(lambda: "evaluation" in window.redraw.held and "evaluation" not in window.state.dirty,
                    timeout=10000)                 # the last epoch's evaluation taken, and held
    assert len(drawn) == shown_epoch
    with qtbot.waitSignal(window.run_finished, timeout=30000):
        window.stop_training()
    # the run's end draws everything, shown or not, with the last epoch's numbers
    last = window.state.last_epoch
    np.testing.assert_array_equal(tabs.confusion.confusion, last.val_confusion)
    assert window.redraw.held == set()


def test_weights_and_evaluation_due_in_every_tick_take_turns(qtbot, monkeypatch):
    """Epochs that end faster than the redraw ticks (small data) make both due in every tick; the
    weight tiles must still be drawn during the run, not only at its end."""
    window = make_window(qtbot, epochs=1, hidden_sizes=(16,))
    with qtbot.waitSignal(window.run_finished, timeout=30000):
        window.start_training()
    scheduler, state = window.redraw, window.state
    window.hide()   # drawn for the tab shown, or everything when the window is not shown
    monkeypatch.setattr(redraw_scheduler, "WEIGHTS_INTERVAL", 0.0)   # the weights are due at every tick
    drawn = []
    scheduler.show_network = lambda *args: drawn.append("weights")
    scheduler.show_evaluation = lambda *args, **kwargs: drawn.append("evaluation")
    for _ in range(4):
        state.dirty |= {"weights", "evaluation"}
        scheduler.redraw()
    assert drawn.count("weights") == 2 and drawn.count("evaluation") == 2
    assert all(a != b for a, b in zip(drawn, drawn[1:]))   # one per tick, alternating
