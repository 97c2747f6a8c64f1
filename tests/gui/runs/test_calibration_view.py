"""Calibration tab and the Draw tab's calibrated probabilities, with real trained networks."""
from dataclasses import replace

import numpy as np
from PyQt5.QtWidgets import QApplication
import pytest

from core.data.normalise import to_float
from core.evaluation.calibration import apply_temperature, expected_calibration_error, reliability_bins
from core.settings.config import TrainConfig
from core.training.training_run import run_to_end
from core.training.trainers import make_trainer
from gui.runs.calibration_view import CalibrationView
from tests.gui_helpers import collect, make_window

SMALL = TrainConfig(hidden_sizes=(32,), epochs=3, batch_size=50, learning_rate=0.1, schedule="constant",
                    val_split=300, seed=4)


@pytest.fixture(scope="module")
def trained(mnist_small):
    trainer = make_trainer(SMALL, mnist_small)
    run_to_end(trainer)
    return trainer


def measured(qtbot, view, network, trainer):
    with qtbot.waitSignal(view.measured, timeout=30000) as blocker:
        view.request(network, trainer.val_images.reshape(-1, 28, 28), trainer.val_labels, "zero_one")
    return blocker.args[0]


def test_diagram_bins_are_cores_reliability_bins(qtbot, trained):
    view = CalibrationView()
    qtbot.addWidget(view)
    result = measured(qtbot, view, trained.network, trained)
    probabilities = trained.network.predict_proba(to_float(trained.val_images, "zero_one", trained.network.dtype))
    bins = reliability_bins(probabilities, trained.val_labels)
    counts, before, after = view.displayed_bins()
    assert np.array_equal(counts, bins.count) and counts.sum() == 300
    assert np.allclose(before, np.nan_to_num(bins.accuracy))
    assert np.allclose(after, np.nan_to_num(result.report.after.accuracy))
    assert result.ece == pytest.approx(bins.ece)


def test_temperature_scaling_fixes_an_overconfident_model(qtbot, trained):
    overconfident = trained.network.copy()
    overconfident.params[-2][...] *= 4.0   # last layer's weights x4: logits x4 (plus bias), far too sure
    overconfident.params[-1][...] *= 4.0
    view = CalibrationView()
    qtbot.addWidget(view)
    fitted = []
    view.temperature_fitted.connect(lambda t, _: fitted.append(t))
    result = measured(qtbot, view, overconfident, trained)
    report = result.report
    assert report.temperature > 2 and report.nll_after < report.nll_before
    assert report.after.ece < report.before.ece
    text = view.summary.text()
    assert f"ECE {report.before.ece:.2%} → {report.after.ece:.2%}" in text and f"T = {report.temperature:.2f}" in text
    assert fitted == [report.temperature]


def test_window_measures_ece_after_every_epoch_and_canvas_can_use_t(qtbot, mnist_small):
    window = make_window(qtbot, mnist_small, hidden_sizes=(32,), epochs=2, batch_size=50, learning_rate=0.1,
                         schedule="constant", val_split=300, seed=4)
    snapshots = collect(window)
    calibration = window.experiments.calibration
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.start_training()
    qtbot.waitUntil(lambda: calibration.ece_epochs == [1, 2] and not calibration.busy, timeout=30000)
    start = next(s for s in snapshots if s.kind == "start")
    epochs = [s for s in snapshots if s.kind == "epoch"]
    inputs = to_float(start.val_images.reshape(300, -1), start.config.normalisation, epochs[0].network.dtype)
    expected = [expected_calibration_error(e.network.predict_proba(inputs), start.val_labels) for e in epochs]
    assert calibration.ece_values == pytest.approx(expected)
    assert list(calibration.ece_curve.yData) == pytest.approx([100 * e for e in expected])

    # the Draw tab: off = raw probabilities; on = softmax(log p / T) with the fitted T
    panel = window.tabs.draw_panel
    temperature = calibration.result.report.temperature
    assert panel.temperature == temperature and panel.calibrated_check.isEnabled()
    panel.set_temperature(3.0, "test")   # a clearly visible softening
    panel.canvas.set_strokes([np.array([[140.0, 30.0], [140.0, 250.0]])])
    panel.predict_now()
    raw = panel.probability_view.probabilities.copy()
    panel.calibrated_check.setChecked(True)   # predicts again at once
    shown = panel.probability_view.probabilities
    assert np.allclose(shown, apply_temperature(np.log(np.maximum(raw, 1e-12))[None], 3.0)[0])
    assert shown.max() < raw.max()
    top = int(np.argmax(shown))
    assert f"{shown[top]:.0%}" in panel.probability_view.top_label.text() + panel.probability_view.detail_label.text()


def test_a_measurement_finishing_after_shutdown_is_dropped(qtbot, mnist_small):
    """Closing the window while a measurement runs: its result must not reach plot items Qt is
    deleting (a RuntimeError in the event loop before)."""
    from PyQt5.QtWidgets import QApplication
    view = CalibrationView()
    qtbot.addWidget(view)
    trainer = make_trainer(TrainConfig(hidden_sizes=(16,), epochs=1, val_split=300), mnist_small)
    shown = []
    view.measured.connect(shown.append)
    view.request(trainer.network.copy(), trainer.val_images, trainer.val_labels, "zero_one", epoch=1)
    assert view.shutdown(10000)
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    QApplication.processEvents()   # deliver whatever the finished job posted
    assert shown == [] and view.ece_values == []


def test_bin_counts_sit_above_their_bars_inside_the_plot(qtbot, trained):
    """The counts over full bars overlapped the top of the plot (cut off): each count must be
    inside the plot's view and above both bars of its bin, at a laptop-sized pane."""
    from PyQt5.QtCore import QPointF
    view = CalibrationView()
    qtbot.addWidget(view)
    view.resize(900, 420)
    view.show()
    measured(qtbot, view, trained.network, trained)
    QApplication.processEvents()
    box = view.diagram.getPlotItem().getViewBox()
    inside = box.sceneBoundingRect()
    shown = [text for text in view.count_texts if text.textItem.toPlainText()]
    assert shown
    heights = np.maximum(view.before_bars.opts["height"], view.after_bars.opts["height"])
    for text, height in zip(view.count_texts, heights):
        if not text.textItem.toPlainText():
            continue
        rect = text.sceneBoundingRect()
        assert inside.contains(rect), (text.textItem.toPlainText(), rect, inside)
        bar_top = box.mapViewToScene(QPointF(text.pos().x(), height)).y()
        assert rect.bottom() <= bar_top + 1


def test_no_measurement_starts_after_shutdown(qtbot, mnist_small):
    """Snapshots still queued when the window closed must not start a measurement whose result
    would reach deleted plot items (an error at teardown in CI)."""
    view = CalibrationView()
    qtbot.addWidget(view)
    trainer = make_trainer(TrainConfig(hidden_sizes=(16,), epochs=1, val_split=300), mnist_small)
    assert view.shutdown(1000)
    view.request(trainer.network.copy(), trainer.val_images, trainer.val_labels, "zero_one", epoch=1)
    assert not view.busy


def test_a_result_for_a_view_qt_already_deleted_is_dropped(qtbot, mnist_small):
    """A window garbage-collected without being closed (no shutdown ran): the job's result must
    not reach its deleted plot items (the error CI saw at a test's teardown)."""
    from PyQt5 import sip
    view = CalibrationView()
    trainer = make_trainer(TrainConfig(hidden_sizes=(16,), epochs=1, val_split=300), mnist_small)
    view.request(trainer.network.copy(), trainer.val_images, trainer.val_labels, "zero_one", epoch=1)
    handles = list(view._handles)
    sip.delete(view)   # what the garbage collector does to an unclosed window's widgets
    assert all(handle.wait(10000) for handle in handles)
    QApplication.processEvents()   # the finished job's result is delivered here: nothing may raise
