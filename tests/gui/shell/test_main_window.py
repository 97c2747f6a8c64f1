"""The main window driven like a user would: real data, real training thread, real widgets."""
import numpy as np
import pytest
from PyQt5.QtWidgets import QApplication

from gui.views.gallery import MAX_EXAMPLES
from gui_helpers import collect, make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def wait_finished(qtbot, window, timeout=20000):
    with qtbot.waitSignal(window.run_finished, timeout=timeout) as blocker:
        pass
    return blocker.args[0]


def test_live_views_hold_exactly_the_snapshot_values(qtbot):
    window = make_window(qtbot, epochs=3, hidden_sizes=(24,), batch_size=64)
    snapshots = collect(window)
    with qtbot.waitSignal(window.run_finished, timeout=20000) as blocker:
        window.start_training()
    assert blocker.args == ["finished"]
    batches = [s for s in snapshots if s.kind == "batch"]
    epochs = [s for s in snapshots if s.kind == "epoch"]
    assert len(epochs) == 3 and len(batches) >= 10   # small data: ~10 points per epoch

    loss_plot = window.tabs.training.loss_plot
    x, y = loss_plot.raw_curve.getOriginalDataset()
    np.testing.assert_array_equal(x, [s.step for s in batches])
    np.testing.assert_allclose(y, [s.batch_loss for s in batches])
    _, smooth = loss_plot.smooth_curve.getOriginalDataset()
    assert len(smooth) == len(batches) and smooth[0] == pytest.approx(batches[0].batch_loss)
    _, val_loss = loss_plot.val_curve.getOriginalDataset()
    np.testing.assert_allclose(val_loss, [s.val_loss for s in epochs])
    _, val_acc = window.tabs.training.accuracy_plot.val_curve.getOriginalDataset()
    np.testing.assert_allclose(val_acc, [100 * s.val_accuracy for s in epochs])
    _, train_acc = window.tabs.training.accuracy_plot.train_curve.getOriginalDataset()
    np.testing.assert_allclose(train_acc, [100 * s.train_accuracy for s in epochs])

    info = window.state.start
    confusion = window.tabs.confusion.confusion
    assert confusion.sum() == len(info.val_labels) == 144
    np.testing.assert_array_equal(confusion, epochs[-1].val_confusion)
    weights = window.tabs.weights
    assert weights.tiles.shape == (24, 8, 8)
    np.testing.assert_allclose(weights.tiles, epochs[-1].network.weights[0].T.reshape(24, 8, 8))
    assert weights.image.levels[0] == pytest.approx(-weights.image.levels[1])   # centred on zero
    assert window.tabs.report.rowCount() == 10 + 3
    wrong = int(np.sum(epochs[-1].val_predictions != info.val_labels))
    assert window.tabs.gallery.list.count() == min(wrong, MAX_EXAMPLES)
    assert window.progress.bar.value() == window.progress.bar.maximum() == info.total_steps
    per_epoch = info.batches_per_epoch
    assert window.progress.values["batch"].text() == f"{per_epoch} / {per_epoch}"   # not the last snapshot's
    assert window.progress.values["epoch"].text() == "3 / 3 done"
    assert weights.scale_label.text().startswith("24 hidden units, 8x8 each")
    assert not weights.caption.text().startswith("Weights appear")
    assert window.tabs.layer_stats.table.rowCount() == 2
    assert window.start_button.isEnabled() and not window.stop_button.isEnabled()


def test_clicking_a_confusion_cell_shows_its_examples(qtbot):
    window = make_window(qtbot, epochs=1, hidden_sizes=(16,))
    with qtbot.waitSignal(window.run_finished, timeout=20000):
        window.start_training()
    window.tabs.confusion.cell_clicked.emit(3, 3)
    predictions = window.state.last_epoch.val_predictions
    expected = np.flatnonzero((window.state.start.val_labels == 3) & (predictions == 3))
    np.testing.assert_array_equal(window.tabs.gallery.shown_indices, expected)
    assert "True 3, predicted 3" in window.tabs.gallery.title.text()
    window.tabs.confusion.normalise_box.setChecked(True)
    rows = window.tabs.confusion.displayed_values().sum(axis=1)
    np.testing.assert_allclose(rows[rows > 0], 1.0)


def test_pause_stops_the_steps_and_resume_continues(qtbot):
    window = make_window(qtbot, epochs=500, hidden_sizes=(16,), batch_size=32)
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: len(snapshots) >= 3, timeout=10000)
    window.toggle_pause()
    assert window.pause_button.text() == "Resume"
    # the loop holds at its next check; then nothing may arrive until Resume
    qtbot.waitUntil(lambda: window.training.control.waiting, timeout=5000)
    QApplication.processEvents()   # deliver what the loop posted before it stopped at the pause
    held_at = len(snapshots)
    QApplication.processEvents()
    # held in the wait, the loop cannot have posted anything since
    assert window.training.control.waiting and len(snapshots) == held_at
    paused_step = max(s.step for s in snapshots if s.kind == "batch")
    window.toggle_pause()
    assert window.pause_button.text() == "Pause"
    qtbot.waitUntil(lambda: snapshots[-1].kind == "batch" and snapshots[-1].step > paused_step + 5, timeout=10000)
    with qtbot.waitSignal(window.run_finished, timeout=10000) as blocker:
        window.stop_training()
    assert blocker.args == ["stopped"]
    assert window.start_button.isEnabled()


def test_learning_rate_change_during_the_run_takes_effect(qtbot):
    window = make_window(qtbot, epochs=500, hidden_sizes=(16,), batch_size=32, schedule="constant",
                         learning_rate=0.1)
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: len(snapshots) >= 2, timeout=10000)
    assert window.form.learning_rate_edit.isEnabled() and not window.form.hidden_edit.isEnabled()
    window.form.set_learning_rate(0.0125)
    qtbot.waitUntil(lambda: snapshots[-1].kind == "batch" and snapshots[-1].learning_rate == pytest.approx(0.0125),
                    timeout=10000)
    window.stop_training()
    wait_finished(qtbot, window)


def test_closing_mid_run_leaves_no_process_behind(qtbot, qtlog):
    import multiprocessing
    window = make_window(qtbot, epochs=500, hidden_sizes=(32,), batch_size=16)
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: len(snapshots) >= 3, timeout=10000)
    handle, control = window.training.handle, window.training.control
    assert handle.child.process in multiprocessing.active_children()   # the run trains in its own process
    window.close()   # stops the run and waits for its process
    assert control.stop_requested and not handle.child.process.is_alive()
    assert multiprocessing.active_children() == []
    assert not [m for m in qtlog.records if "Destroyed" in m.message or "still running" in m.message]


def test_invalid_settings_disable_start_with_the_reason(qtbot):
    window = make_window(qtbot)
    assert window.start_button.isEnabled()
    window.form.hidden_edit.setText("128,abc")
    assert not window.start_button.isEnabled()
    assert "hidden layer sizes" in window.form_error.text()
    window.form.hidden_edit.setText("64")
    window.form.learning_rate_edit.setText("-1")
    assert not window.start_button.isEnabled()
    assert "learning rate" in window.form_error.text()
    window.form.learning_rate_edit.setText("0.05")
    window.form.loss_combo.setCurrentText("binary_cross_entropy")
    assert "sigmoid" in window.form_error.text() and not window.start_button.isEnabled()
    window.form.loss_combo.setCurrentText("cross_entropy")
    assert window.start_button.isEnabled() and not window.form_error.isVisible()


def test_divergence_shows_the_banner_and_resume_continues(qtbot):
    window = make_window(qtbot, epochs=3, hidden_sizes=(32,), learning_rate=1000.0, schedule="constant")
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: window.banner.isVisible(), timeout=10000)
    diverged = [s for s in snapshots if s.kind == "diverged"][0]
    assert window.banner.message.text() == diverged.message and "diverged" in diverged.message
    assert float(window.banner.rate_edit.text()) == pytest.approx(diverged.suggested_learning_rate)
    assert window.training.is_paused and window.is_training and window.pause_button.text() == "Resume"
    window.banner.rate_edit.setText("0.05")
    with qtbot.waitSignal(window.run_finished, timeout=20000) as blocker:
        window.banner.resume_button.click()
    assert blocker.args == ["finished"]
    assert not window.banner.isVisible()
    assert window.form.learning_rate_edit.text() == "0.05"
    assert np.isfinite(window.state.epochs["val_loss"].view()).all()


def test_the_status_bar_says_when_the_output_layer_followed_the_data(qtbot):
    from gui_helpers import digits, make_window
    window = make_window(qtbot, layers="conv4x3,pool2,dense3")   # a stack for three drawn classes
    window.set_dataset(digits())                                  # ten classes again
    assert window.form.config().layers == "conv4x3,pool2,dense10"
    assert window.statusBar().currentMessage() == ("The output layer is now dense10 (was dense3): the data "
                                                   "loaded has 10 classes.")
