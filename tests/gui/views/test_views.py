"""The view widgets and buffers on their own."""
import numpy as np
import pytest

from gui.ground.widgets.buffers import EmaTracker, GrowingArray
from gui.ground.pictures import tile_mosaic
from gui.views.weights_view import WeightGrid

pytestmark = pytest.mark.usefixtures("themed_app")


def test_growing_array_keeps_every_value_across_growth():
    buffer = GrowingArray(capacity=2)
    for i in range(1000):
        buffer.append(i * 0.5)
    np.testing.assert_array_equal(buffer.view(), np.arange(1000) * 0.5)
    assert not buffer.view().flags.writeable


def test_ema_is_debiased_and_recomputes_for_a_new_weight():
    ema = EmaTracker(0.9)
    for value in (2.0, 2.0, 2.0):
        ema.append(value)
    np.testing.assert_allclose(ema.values.view(), 2.0)   # no pull towards zero at the start
    ema.recompute([1.0, 3.0], 0.0)
    np.testing.assert_allclose(ema.values.view(), [1.0, 3.0])


def test_mosaic_places_each_tile_and_maps_hover_back_to_the_unit(qtbot):
    tiles = np.arange(5 * 3 * 2, dtype=np.float32).reshape(5, 3, 2) - 10
    mosaic, columns = tile_mosaic(tiles)
    assert columns == 3 and mosaic.shape == (2 * 4 - 1, 3 * 3 - 1)
    np.testing.assert_array_equal(mosaic[4:7, 3:5], tiles[4])
    grid = WeightGrid()
    qtbot.addWidget(grid)
    grid.set_tiles(tiles)
    assert grid.unit_at(3.5, 4.5) == 4
    assert grid.unit_at(2.5, 0.5) == -1   # the gap between tiles
    assert grid.unit_at(6.5, 4.5) == -1   # an empty slot
    limit = np.percentile(np.abs(tiles), 99.5)
    assert grid.image.levels[1] == pytest.approx(limit) and grid.image.levels[0] == pytest.approx(-limit)
    grid.select_unit(4)
    assert grid.caption.text().startswith("Selected hidden unit 4: |w| max 19")


def test_gallery_captions_fit_long_class_names(qtbot):
    from gui.views.gallery import Gallery
    gallery = Gallery()
    qtbot.addWidget(gallery)
    gallery.resize(380, 400)
    gallery.show()
    images = np.zeros((4, 28, 28), np.uint8)
    gallery.show_misclassified(images, np.array([1, 1, 0, 0]), np.array([0, 0, 1, 1]), ["not 0", "0"])
    assert gallery.list.count() == 4
    item = gallery.list.item(0)
    lines = item.text().split("\n")
    assert [line.replace("\u00a0", " ") for line in lines] == ["pred not 0", "true 0"]
    metrics = gallery.list.fontMetrics()
    widest = max(metrics.horizontalAdvance(line) for line in lines)
    assert gallery.list.visualItemRect(item).width() >= widest   # nothing elided or wrapped away


def test_the_confusion_cells_show_the_new_counts_after_a_clear_and_unchanged_ones_stay(qtbot):
    """Cells are set again only when their text changes; a cleared matrix shows every count again."""
    import numpy as np
    from gui.ground.widgets.confusion_view import ConfusionView
    view = ConfusionView()
    qtbot.addWidget(view)
    names = [str(d) for d in range(10)]
    first = np.diag(np.arange(1, 11))
    view.set_confusion(first, names)
    assert [view.texts[i * 11].toPlainText() for i in range(10)] == [str(v) for v in range(1, 11)]
    second = first.copy()
    second[0, 1] = 4
    view.set_confusion(second, names)
    assert view.texts[1].toPlainText() == "4" and view.texts[0].toPlainText() == "1"
    view.clear()
    assert view.texts[0].toPlainText() == ""
    view.set_confusion(second, names)   # the same counts as before the clear: drawn again
    assert view.texts[0].toPlainText() == "1" and view.texts[1].toPlainText() == "4"
