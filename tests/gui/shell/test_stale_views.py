"""No view keeps saying something about a model or a run that is no longer the one shown
(issue 19, "the screen says something that is not true"): each test drives the real window
through its actions on real data and checks one view that used to stay stale."""
import numpy as np
import pytest

from gui_helpers import make_window
from tests.gui.draw.test_draw_panel import SEVEN, draw

pytestmark = pytest.mark.usefixtures("themed_app")


def train(qtbot, window, timeout=60000):
    with qtbot.waitSignal(window.run_finished, timeout=timeout) as finished:
        window.actions.trigger("start")
    return finished.args[0]


def test_the_weights_tab_forgets_the_unit_selected_in_the_previous_run(qtbot):
    window = make_window(qtbot, epochs=1, hidden_sizes=(64,))
    assert train(qtbot, window) == "finished"
    window.actions.trigger("show_tab", "Weights")
    window.tabs.weights.select_unit(38)
    old = window.tabs.weights.caption.text()
    assert old.startswith("Selected hidden unit 38: |w| max")
    window.actions.trigger("set_setting", "hidden_sizes", (32,))
    assert train(qtbot, window) == "finished"
    caption = window.tabs.weights.caption.text()
    assert "unit 38" not in caption and caption != old
    assert "32 hidden units" in window.tabs.weights.scale_label.text()


def test_a_divergence_does_not_show_the_previous_runs_accuracy(qtbot):
    window = make_window(qtbot, epochs=1, hidden_sizes=(32,))
    assert train(qtbot, window) == "finished"
    old = window.progress.values["accuracy"].text()
    assert old.endswith("%")
    window.actions.trigger("set_setting", "learning_rate", 1000.0)
    window.actions.trigger("set_setting", "schedule", "constant")
    window.actions.trigger("set_setting", "epochs", 50)
    window.actions.trigger("start")
    qtbot.waitUntil(window.banner.isVisible, timeout=20000)
    assert window.progress.values["accuracy"].text() == "—"   # no epoch of this run has ended
    assert "Paused" in window.statusBar().currentMessage() and "Training…" not in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.run_finished, timeout=10000):
        window.actions.trigger("stop")


def test_the_status_bar_says_paused_while_paused(qtbot):
    window = make_window(qtbot, epochs=500, hidden_sizes=(32,), batch_size=16)
    window.actions.trigger("start")
    qtbot.waitUntil(lambda: window.state.last_batch is not None, timeout=20000)
    assert window.statusBar().currentMessage().startswith("Training")
    window.actions.trigger("pause")
    assert window.statusBar().currentMessage().startswith("Paused")
    window.actions.trigger("pause")   # resume
    assert window.statusBar().currentMessage().startswith("Training")
    with qtbot.waitSignal(window.run_finished, timeout=10000):
        window.actions.trigger("stop")


def test_fool_it_takes_its_answer_down_when_another_model_is_opened(qtbot, mnist_small, tmp_path):
    window = make_window(qtbot, mnist_small, epochs=1, hidden_sizes=(32,), val_split=300)
    assert train(qtbot, window) == "finished"
    path = window.actions.trigger("save_model", str(tmp_path / "first.npz"))
    panel = window.tabs.draw_panel
    window.actions.trigger("show_tab", "Draw")
    with qtbot.waitSignal(panel.predicted, timeout=5000):
        draw(panel.canvas, SEVEN)
    fool = panel.look_inside.fool
    panel.look_inside.setCurrentIndex(1)
    qtbot.waitUntil(lambda: fool.target_picker.value() is not None, timeout=5000)
    with qtbot.waitSignal(fool.fooled, timeout=20000):
        fool.fool_button.click()
    assert "now says" in fool.answer_label.text() or "Not fooled" in fool.answer_label.text()
    with qtbot.waitSignal(panel.predicted, timeout=5000):
        window.actions.trigger("open_model", path)
    assert fool.answer_label.text() == "" and fool.outcome is None
    assert "model changed" in fool.status.text()


def test_invariance_curves_of_the_previous_model_go_when_another_run_starts(qtbot, mnist_small):
    window = make_window(qtbot, mnist_small, epochs=1, hidden_sizes=(16,), val_split=300)
    assert train(qtbot, window) == "finished"
    view = window.tabs.invariance
    with qtbot.waitSignal(view.measured, timeout=60000):
        view.compute_button.click()
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    assert view.curves() is not None and view.legend_names() == ["current model (epoch 1)"]
    window.actions.trigger("set_setting", "positive_class", 3)   # one digit against the rest: chance 90%
    window.actions.trigger("set_setting", "loss", "binary_cross_entropy")
    window.actions.trigger("set_setting", "output", "sigmoid")
    assert train(qtbot, window) == "finished"
    assert view.curves() is None and view.legend_names() == []   # the old curves stood beside a 90% line
    assert view.chance_lines[0].value() > 0.85


def test_the_layer_statistics_of_an_opened_model(qtbot, tmp_path):
    window = make_window(qtbot, epochs=1, hidden_sizes=(32, 16))
    assert train(qtbot, window) == "finished"
    path = window.actions.trigger("save_model", str(tmp_path / "two-layers.npz"))
    window.actions.trigger("reset")
    assert window.tabs.layer_stats.table.rowCount() == 0
    network = window.actions.trigger("open_model", path)
    table = window.tabs.layer_stats.table
    assert table.rowCount() == 3
    for row, W in enumerate(network.weights):
        assert table.item(row, 0).text() == f"W{row + 1}"
        assert table.item(row, 1).text() == "×".join(map(str, W.shape))
        rms = float(np.sqrt(np.mean(np.square(W, dtype=np.float64))))
        assert float(table.item(row, 2).toolTip().rpartition(": ")[2]) == pytest.approx(rms, rel=1e-5)
        assert table.item(row, 3).text() == "n/a" and "opened from a file" in table.item(row, 3).toolTip()


# ----- walkthrough 2, item 1: a new run starts with no number of the previous one -----------------
def test_a_new_run_clears_the_confusion_caption_and_the_calibration_tab(qtbot):
    window = make_window(qtbot, epochs=2, hidden_sizes=(32,))
    calibration = window.experiments.calibration
    ece_item = calibration.ece_plot.getPlotItem()
    window.actions.trigger("show_tab", "Calibration")   # its plot fits its range when painted
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.actions.trigger("start")
        empty_range = ece_item.viewRange()
    qtbot.waitUntil(lambda: calibration.ece_epochs == [1, 2] and not calibration.busy, timeout=30000)
    qtbot.waitUntil(lambda: ece_item.viewRange() != empty_range, timeout=5000)   # fitted to the run's points
    assert "validation examples" in window.tabs.confusion.summary.text()
    assert "epoch 2" in calibration.summary.text() and calibration.displayed_bins()[0].sum() > 0
    ece_range = ece_item.viewRange()
    window.actions.trigger("start")   # the views are cleared at once, before the run's first snapshot
    try:
        assert window.tabs.confusion.confusion is None
        assert window.tabs.confusion.summary.text() == window.tabs.confusion.EMPTY_SUMMARY
        assert calibration.summary.text() == calibration.EMPTY_SUMMARY and calibration.result is None
        counts, before, after = calibration.displayed_bins()
        assert counts.sum() == 0 and not before.any() and not after.any()
        assert ece_item.viewRange() != ece_range   # not the old run's axes
    finally:
        with qtbot.waitSignal(window.run_finished, timeout=60000):
            window.actions.trigger("stop")


def test_reset_clears_the_calibration_tab(qtbot):
    window = make_window(qtbot, epochs=1, hidden_sizes=(32,))
    calibration = window.experiments.calibration
    with qtbot.waitSignal(calibration.measured, timeout=60000):
        assert train(qtbot, window) == "finished"
    window.actions.trigger("reset")
    assert calibration.summary.text() == calibration.EMPTY_SUMMARY
    assert calibration.displayed_bins()[0].sum() == 0
    assert window.tabs.confusion.summary.text() == window.tabs.confusion.EMPTY_SUMMARY


def test_a_new_run_does_not_keep_the_previous_runs_step_axis(qtbot):
    window = make_window(qtbot, epochs=2, hidden_sizes=(32,))
    assert train(qtbot, window) == "finished"
    old = window.tabs.training.loss_plot.getPlotItem().viewRange()[0]
    assert old[1] > 10
    window.actions.trigger("start")   # cleared at once; the new run's range comes with its first snapshot
    try:
        for plot in (window.tabs.training.loss_plot, window.tabs.training.accuracy_plot):
            assert plot.getPlotItem().viewRange()[0][1] < old[1] / 2
    finally:
        with qtbot.waitSignal(window.run_finished, timeout=60000):
            window.actions.trigger("stop")
