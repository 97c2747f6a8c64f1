"""Layout promises checked on real widgets at the default window size (offscreen, no training)."""
import numpy as np
import pytest
from PyQt5.QtWidgets import QApplication
from PyQt5.QtCore import QPoint, QRect

from core.storage.resources import DEFAULT_MODEL_PATH
from core.files.model_io import load_model
from core.training.snapshots import LayerStats
from gui.draw.draw_panel import DrawPanel
from gui.views.layer_stats_view import compact_number
from gui.views.plots import AccuracyPlot, accuracy_range
from gui.training.run_state import RunState

pytestmark = pytest.mark.usefixtures("themed_app")

STATS = (LayerStats("W1", 0.0673214, 0.00114987, 8.123e-5), LayerStats("W2", 0.250712, 0.00625, 1.2345e-3))


@pytest.fixture
def window(qtbot, monkeypatch):
    from gui.shell.main_window import MainWindow
    monkeypatch.setenv("DIGITLAB_SCREEN", "1920x1080")   # built for a desktop screen, as before issue 19
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.resize(1400, 900)
    window.show()
    qtbot.waitExposed(window)
    return window


def visible_in_window(widget, window):
    rect = QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())
    return window.rect().contains(rect) and not widget.visibleRegion().isEmpty()


@pytest.mark.parametrize("height", [900, 640])
def test_run_controls_are_visible_without_scrolling(qtbot, window, height):
    window.resize(1400, height)
    qtbot.waitUntil(lambda: window.height() == height, timeout=1000)
    for widget in (window.start_button, window.stop_button, window.reset_button, window.progress.bar,
                   window.progress.values["accuracy"]):
        assert visible_in_window(widget, window), widget
    assert not window.settings_scroll.isAncestorOf(window.start_button)


def test_compact_numbers_keep_three_significant_digits():
    assert [compact_number(v) for v in (0.0673214, 0.00114987, 0.250712, 8.123e-5, 0, 1234.5, -3.3e-5)] == \
        ["0.0673", "1.15e-3", "0.251", "8.12e-5", "0", "1.23e3", "-3.3e-5"]


def test_layer_stats_cells_show_whole_numbers_without_sideways_scrolling(qtbot, window):
    window.tabs.setCurrentIndex(1)
    network, _ = load_model(DEFAULT_MODEL_PATH)
    view = window.tabs.layer_stats
    view.set_stats(STATS, network)
    table = view.table
    QApplication.processEvents()   # the table updates its scroll bars from posted events
    first_conv = "×".join(str(d) for d in network.weights[0].shape)   # the default model's first conv, e.g. 16×1×5×5
    assert [table.item(0, c).text() for c in range(5)] == ["W1", first_conv, "0.0673", "1.15e-3", "8.12e-5"]
    assert "0.00114987" in table.item(0, 3).toolTip()
    assert all(table.horizontalHeaderItem(c).toolTip() for c in range(5))
    metrics = table.fontMetrics()
    header_metrics = table.horizontalHeader().fontMetrics()
    for col in range(5):
        width = table.columnWidth(col)
        assert header_metrics.horizontalAdvance(table.horizontalHeaderItem(col).text()) < width
        for row in range(2):
            assert metrics.horizontalAdvance(table.item(row, col).text()) < width
    assert table.horizontalHeader().length() <= table.viewport().width()
    assert not table.horizontalScrollBar().isVisible()


def test_histogram_catches_up_when_the_weights_tab_is_shown(qtbot, window):
    """Drawn while the Training tab was in front, the histogram used to stay empty."""
    network, _ = load_model(DEFAULT_MODEL_PATH)
    window.tabs.setCurrentIndex(0)
    window.redraw.show_network(network, (28, 28))
    view = window.tabs.layer_stats
    assert view.bars.getData()[0] is None or len(view.bars.getData()[0]) == 0   # nobody looked yet
    window.tabs.setCurrentIndex(1)
    qtbot.waitUntil(lambda: view.bars.getData()[0] is not None and len(view.bars.getData()[0]) > 0, timeout=1000)
    assert view.layer_combo.count() == len(network.weights)


def fake_state(steps, batch_acc, epoch_steps=(), train_acc=(), val_acc=()):
    state = RunState()
    for key, values in (("step", steps), ("accuracy", batch_acc)):
        for v in values:
            state.batch[key].append(v)
    for key, values in (("step", epoch_steps), ("train_accuracy", train_acc), ("val_accuracy", val_acc)):
        for v in values:
            state.epochs[key].append(v)
    return state


def test_accuracy_range_follows_the_data_and_stays_within_100(qtbot):
    plot = AccuracyPlot()
    qtbot.addWidget(plot)
    y_range = lambda: tuple(plot.getPlotItem().vb.viewRange()[1])
    assert y_range()[1] >= 100 and y_range()[0] <= 0          # before data: all of 0-100
    steps = np.arange(1, 41) * 10
    acc = np.concatenate([np.linspace(0.6, 0.95, 20), np.linspace(0.95, 0.99, 20)])
    state = fake_state(steps[:20], acc[:20])
    plot.refresh_batches(state)
    low, high = plot.y_range
    assert low <= 60 and 95 <= high <= 100                     # the first epoch's climb, all of it
    state = fake_state(steps, acc, [200, 400], [0.93, 0.985], [0.955, 0.975])
    plot.refresh_batches(state)
    assert plot.y_range[0] <= 60                               # between epochs it only widens
    plot.refresh_epochs(state)
    low, high = plot.y_range
    assert 90 <= low <= 93 and 99 <= high <= 100               # 93 vs 98.5 % now clearly apart
    shown_low, shown_high = y_range()                          # the view: the range and a marker's room
    span = plot.y_range[1] - plot.y_range[0]
    assert shown_low < plot.y_range[0] and shown_high > plot.y_range[1] and shown_high - shown_low < 1.2 * span
    before = plot.y_range
    plot.refresh_batches(fake_state(np.append(steps, 410), np.append(acc, 0.975), [200, 400], [0.93, 0.985],
                                    [0.955, 0.975]))
    assert plot.y_range == before                              # a new point inside: no jitter
    plot.clear_data()
    assert plot.y_range is None and y_range()[1] >= 100


@pytest.mark.parametrize("low, high", [(0, 0), (12, 30), (60, 95), (96.5, 99.7), (99.9, 100), (100, 100)])
def test_accuracy_range_is_padded_and_bounded(low, high):
    bottom, top = accuracy_range(low, high)
    assert 0 <= bottom < low or bottom == low == 0
    assert high < top <= 100 or top == high == 100
    assert top - bottom >= 4


def test_canvas_is_square_and_centred_in_a_wide_panel(qtbot):
    panel = DrawPanel()
    qtbot.addWidget(panel)
    panel.resize(1100, 560)
    panel.show()
    qtbot.waitExposed(panel)
    canvas, box = panel.canvas, panel.canvas_box
    assert canvas.width() == canvas.height() >= 400
    assert abs(canvas.x() - (box.width() - canvas.width() - canvas.x())) <= 1     # centred sideways
    assert panel.undo_button.isVisible() and panel.input_view.width() >= 112   # 4 px per input pixel
    assert "What the network sees" in panel.input_title.text()


def test_confusion_matrix_fills_its_pane(window):
    window.tabs.setCurrentIndex(2)
    confusion = np.diag(np.full(10, 50)) + 1
    window.tabs.confusion.set_confusion(confusion, [str(d) for d in range(10)])
    item = window.tabs.confusion.plot.getPlotItem()
    assert not item.vb.state["aspectLocked"]
    (x0, x1), (y0, y1) = item.vb.viewRange()
    assert (x0, x1) == pytest.approx((0, 10)) and (y0, y1) == pytest.approx((0, 10))
    width, height = item.vb.width(), item.vb.height()
    assert 0.6 < width / height < 1.6      # cells close to square at the default size


def test_close_stops_every_timer_and_redraws_nothing(window):
    window.redraw.timer.start()
    window.tabs.draw_panel.schedule_prediction()
    window.close()
    assert not window.redraw.timer.isActive() and not window.tabs.draw_panel._timer.isActive()
    window.state.dirty.add("batch")
    window.redraw.redraw(force=True)
    assert "batch" in window.state.dirty      # nothing drawn once the window is closed
