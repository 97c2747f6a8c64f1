"""A short CNN run in the real window on real MNIST: the Weights tab shows every conv layer's
filters, and the Feature maps tab shows a drawing (real mouse strokes) layer by layer."""
import numpy as np
import pytest

from core.analysis.feature_maps import feature_stages
from core.data.transforms import subsample
from core.drawing.model_input import model_input
from core.training.training_run import build_network
from gui.views.conv_filters_view import filter_mosaic
from gui.views.feature_maps_view import MAP_GAP
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")
STACK = "conv4x5,pool2,conv6x3,pool2,dense10"
SEVEN = [[(60, 50), (200, 50), (120, 240)]]
ONE = [[(140, 30), (140, 250)]]


@pytest.fixture(scope="module")
def few_mnist(mnist):
    return subsample(mnist, 600, 200)


def trained_window(qtbot, dataset):
    """A window that trained STACK for one epoch on dataset (through the editor's text line)."""
    window = make_window(qtbot, dataset, epochs=1, val_split=200, batch_size=32)
    editor = window.form.layers_editor
    editor.mode_combo.setCurrentIndex(editor.mode_combo.findData("stack"))
    editor.text_edit.clear()
    qtbot.keyClicks(editor.text_edit, STACK)
    assert window.form.config().layers == STACK and window.start_button.isEnabled()
    window.tabs.setCurrentIndex(1)   # the Weights tab, as a user watching the filters
    with qtbot.waitSignal(window.run_finished, timeout=60000) as blocker:
        window.start_button.click()
    assert blocker.args[0] == "finished"
    return window


def draw(canvas, strokes, steps=12):
    from PyQt5.QtCore import QEvent, QPointF, Qt
    from PyQt5.QtGui import QMouseEvent
    from PyQt5.QtWidgets import QApplication

    def send(kind, x, y, button, buttons):
        QApplication.sendEvent(canvas, QMouseEvent(kind, QPointF(x, y), button, buttons, Qt.NoModifier))
    for polyline in strokes:
        send(QEvent.MouseButtonPress, *polyline[0], Qt.LeftButton, Qt.LeftButton)
        for (x0, y0), (x1, y1) in zip(polyline[:-1], polyline[1:]):
            for t in np.linspace(0, 1, steps)[1:]:
                send(QEvent.MouseMove, x0 + t * (x1 - x0), y0 + t * (y1 - y0), Qt.NoButton, Qt.LeftButton)
        send(QEvent.MouseButtonRelease, *polyline[-1], Qt.LeftButton, Qt.NoButton)


def test_filter_mosaic_puts_filter_o_channel_i_at_row_o_column_i():
    filters = np.arange(3 * 2 * 3 * 3, dtype=np.float32).reshape(3, 2, 3, 3)
    mosaic, columns = filter_mosaic(filters)
    assert mosaic.shape == (3 * 4 - 1, 2 * 4 - 1) and columns == 2
    np.testing.assert_array_equal(mosaic[4:7, 4:7], filters[1, 1])
    assert np.all(mosaic[3, :] == 0) and np.all(mosaic[:, 3] == 0)      # gaps
    first, columns = filter_mosaic(filters[:, :1])                       # one input channel: a square grid
    assert columns == 2 and first.shape == (2 * 4 - 1, 2 * 4 - 1)


def test_a_short_cnn_run_shows_the_filters_of_every_conv_layer(qtbot, few_mnist, tmp_path):
    window = trained_window(qtbot, few_mnist)
    tabs, network = window.tabs, window.state.network
    assert tabs.weights_pane.currentIndex() == 1 and tabs.conv_filters.isVisible()
    assert not tabs.weights.isVisible()
    view = tabs.conv_filters
    filters = network.conv_filters()
    assert [view.layer_combo.itemText(i).split(":")[0] for i in range(view.layer_combo.count())] == ["conv1", "conv2"]
    image_item = view.image
    np.testing.assert_array_equal(view.tiles, filters[0][1])
    assert view.mosaic.shape == (2 * 6 - 1, 2 * 6 - 1)                     # 4 filters of 5x5 in a 2x2 grid
    # the filters shown are the trained ones, not the initial weights
    initial = build_network(window.run_config, 784, 10, image_shape=(28, 28)).conv_filters()
    assert not np.allclose(view.tiles, initial[0][1])
    view.layer_combo.setCurrentIndex(1)
    np.testing.assert_array_equal(view.tiles, filters[1][1])                 # (6, 4, 3, 3)
    assert view.mosaic.shape == (6 * 4 - 1, 4 * 4 - 1)                     # rows: filters, columns: channels
    np.testing.assert_array_equal(view.mosaic[4:7, 8:11], filters[1][1][1, 2])
    low, high = view.image.levels
    assert low == -high and high > 0                                         # white is zero
    assert view.image is image_item and view.plot.getAxis("bottom").labelText == "input channel"
    # File > Export > weights saves the filters as shown
    from PyQt5.QtGui import QImage
    from gui.shell.file_actions import export_png
    path = export_png(window, "weights", str(tmp_path / "filters.png"))
    saved = QImage(path)
    assert (saved.width(), saved.height()) == (view.graphics.width(), view.graphics.height())
    # Reset: the Weights tab goes back to its empty state
    window.reset()
    assert view.layer_combo.count() == 0 and tabs.weights_pane.currentIndex() == 0


def test_feature_maps_follow_the_drawing(qtbot, few_mnist):
    window = trained_window(qtbot, few_mnist)
    tabs, controller = window.tabs, window.feature_maps
    panel, view = tabs.draw_panel, tabs.feature_maps
    tabs.setCurrentWidget(panel)
    qtbot.waitExposed(panel.canvas)
    with qtbot.waitSignal(panel.predicted, timeout=3000, check_params_cb=lambda p: p is not None):
        draw(panel.canvas, SEVEN)
    qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=2000)
    before = controller.draws
    tabs.setCurrentWidget(view)
    qtbot.waitUntil(lambda: controller.draws > before, timeout=2000)

    def expected():
        return {s.name: s.values for s in feature_stages(panel.network, model_input(panel.last_image))}
    want = expected()
    assert list(view.shown) == ["input", "conv1", "pool1", "conv2", "pool2", "output"]
    for name, channels, side in (("conv1", 4, 28), ("pool1", 4, 14), ("conv2", 6, 14), ("pool2", 6, 7)):
        maps = view.shown[name]
        assert maps.shape == (channels, side, side)                       # one image per channel
        rows, columns = view.tiles[name]
        assert rows * columns >= channels > (rows - 1) * columns
        image = view.rows[name][1].image
        assert image.shape == (rows * (side + MAP_GAP) - MAP_GAP, columns * (side + MAP_GAP) - MAP_GAP)
        np.testing.assert_allclose(maps, want[name], rtol=1e-5)
    np.testing.assert_allclose(view.shown["input"][0], panel.last_image)
    np.testing.assert_allclose(view.shown["output"], panel.last_probabilities, rtol=1e-5)
    assert "Your drawing" in view.caption.text()
    image_items = {name: row[1] for name, row in view.rows.items()}

    # a different drawing, drawn while the Feature maps tab is shown: the maps follow it
    first = view.shown["conv1"].copy()
    panel.canvas.clear()
    drawn = controller.draws
    draw(panel.canvas, ONE)
    qtbot.waitUntil(lambda: controller.draws > drawn and not panel._timer.isActive()
                    and not controller._timer.isActive(), timeout=3000)
    qtbot.waitUntil(lambda: np.allclose(view.shown["conv1"], expected()["conv1"], rtol=1e-5), timeout=3000)
    assert not np.allclose(view.shown["conv1"], first)
    assert {name: row[1] for name, row in view.rows.items()} == image_items     # items reused, not rebuilt

    # a validation image chosen by number
    view.validation_radio.setChecked(True)
    view.index_spin.setValue(7)
    images = window.model_info.val_images
    np.testing.assert_allclose(view.shown["input"][0], images[7] / 255.0)
    assert "Validation image #7" in view.caption.text()


def test_hovering_a_kernel_names_its_filter_and_channel(qtbot):
    from gui.views.conv_filters_view import ConvFiltersView
    view = ConvFiltersView()
    qtbot.addWidget(view)
    view.resize(500, 500)
    view.show()
    qtbot.waitExposed(view)
    filters = np.random.default_rng(0).normal(size=(6, 4, 3, 3)).astype(np.float32)
    view.set_filters([("conv1", filters[:, :1]), ("conv2", filters)])
    assert view.columns == 3 and view.cell_at(4 + 1, 4 + 1) == (4, 0)               # row 1, column 1 of 3
    assert view.cell_at(3, 1) is None and view.cell_at(1, 9) is None                # a gap; past filter 5
    view.layer_combo.setCurrentIndex(1)
    assert view.cell_at(8 + 2, 4 + 1) == (1, 2)                                      # row: filter, column: channel
    scene_pos = view.plot.vb.mapViewToScene(pg_point(9.5, 5.5))
    view._on_mouse_moved(scene_pos)
    assert view.caption.text().startswith("filter 1, input channel 2: weights from "
                                          f"{filters[1, 2].min():+.3g} to {filters[1, 2].max():+.3g}")
    view._on_mouse_moved(view.plot.vb.mapViewToScene(pg_point(-5, -5)))
    assert view.caption.text() == view.summary and "6 filters of 3x3" in view.summary


def pg_point(x, y):
    from PyQt5.QtCore import QPointF
    return QPointF(x, y)
