"""The run's end draws what is still due one stage per turn of the event loop (RedrawScheduler.
finish), and the window says run_finished only once every view shows the end: drawn at once they
held the window 25-45 ms at the end of every run."""
import numpy as np

from gui.views.redraw_scheduler import FINAL_STAGES
from gui_helpers import make_window


def test_the_end_is_drawn_in_stages_and_run_finished_comes_after_the_last(qtbot):
    window = make_window(qtbot, epochs=2, hidden_sizes=(16,))
    tabs, scheduler = window.tabs, window.redraw
    stages, drawn_when_finished = [], {}
    original = scheduler.redraw

    def spy(force=False, kinds=None):
        if kinds is not None:
            stages.append(frozenset(kinds))
        return original(force=force, kinds=kinds)
    scheduler.redraw = spy

    def on_finished(_reason):
        drawn_when_finished.update(confusion=tabs.confusion.confusion, gallery=tabs.gallery.list.count(),
                                   stages=list(stages), finishing=scheduler.finishing)
    window.run_finished.connect(on_finished)
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.start_training()
    # one redraw per stage (each its own turn of the event loop), all before run_finished
    assert drawn_when_finished["stages"][:len(FINAL_STAGES)] == [frozenset(k) for k in FINAL_STAGES]
    assert not drawn_when_finished["finishing"]
    np.testing.assert_array_equal(drawn_when_finished["confusion"], window.state.last_epoch.val_confusion)
    assert drawn_when_finished["gallery"] > 0   # the last stage: the misclassified examples


def test_a_stage_draws_only_its_own_views(qtbot):
    """Between two stages the event loop runs: after the matrix the report table is still due,
    after it the gallery (each drawn by its own stage, not in the same turn)."""
    window = make_window(qtbot, epochs=1, hidden_sizes=(16,))
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.start_training()
    state, tabs = window.state, window.tabs
    tabs.gallery.clear()
    tabs.report.setRowCount(0)
    tabs.confusion.clear()
    state.dirty |= {"evaluation"}
    window.redraw.redraw(force=True, kinds={"evaluation"})           # the matrix only
    assert tabs.confusion.confusion is not None
    assert "report" in state.dirty and tabs.report.rowCount() == 0 and tabs.gallery.list.count() == 0
    window.redraw.redraw(force=True, kinds={"report"})               # then the per-class table
    assert tabs.report.rowCount() > 0 and "gallery" in state.dirty and tabs.gallery.list.count() == 0
    window.redraw.redraw(force=True, kinds={"gallery"})
    assert "gallery" not in state.dirty and tabs.gallery.list.count() > 0


def test_a_new_run_first_completes_the_last_runs_end(qtbot):
    """Start pressed while the last run's end is still being drawn: its run_finished still comes,
    before the new run's views are set up."""
    window = make_window(qtbot, epochs=1, hidden_sizes=(16,))
    reasons = []
    window.run_finished.connect(reasons.append)
    with qtbot.waitSignal(window.training.finished, timeout=60000):
        window.start_training()
    assert window.redraw.finishing and reasons == []   # the end is being drawn, stage by stage
    window.start_training()                             # at once: the last run's end completes first
    assert reasons == ["finished"] and not window.redraw.finishing and window.is_training
    qtbot.waitUntil(lambda: len(reasons) == 2, timeout=60000)
    assert reasons == ["finished", "finished"]
