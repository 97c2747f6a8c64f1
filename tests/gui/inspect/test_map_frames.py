"""The Map tab draws as little as it can (it must never stall the window while training): one plot
item for all dots, placed without pyqtgraph's per-point loops yet exactly as setData would place
them, one paint per new map, nothing redrawn for what did not change. Real widgets, real MNIST,
a real network, real mouse events."""
import dataclasses

import numpy as np
import pyqtgraph as pg
import pytest
from PyQt5.QtCore import QEvent, QObject, QPoint, QPointF, Qt
from PyQt5.QtGui import QMouseEvent
from PyQt5.QtTest import QTest
from PyQt5.QtWidgets import QApplication

from core.analysis.embedding import subset
from gui.inspect.embedding_view import EmbeddingView
from gui.inspect.map_data import compute_map
from gui.inspect.map_dots import DotStyles, place_dots, reference_place_dots

pytestmark = pytest.mark.usefixtures("themed_app")
N = 300


class PaintCounter(QObject):
    """Counts the paint events a widget receives."""

    def __init__(self, widget):
        super().__init__()
        self.count = 0
        widget.installEventFilter(self)

    def eventFilter(self, obj, event):
        if event.type() == QEvent.Paint:
            self.count += 1
        return False


def settle():
    for _ in range(5):
        QApplication.processEvents()


def make_map(qtbot, holder):
    view = EmbeddingView(lambda: holder[0], n_points=N)
    qtbot.addWidget(view)
    view.resize(900, 600)
    with qtbot.waitSignal(view.map_ready, timeout=30000):
        view.show()
    settle()
    return view


def dot_pixel(view, index):
    """The viewport pixel (QPoint) of map point ``index``."""
    x, y = view.points()[0][index]
    scene = view.plot.getPlotItem().getViewBox().mapViewToScene(pg.Point(float(x), float(y)))
    return view.plot.mapFromScene(scene)


def later_context(context):
    """The same validation images seen by changed weights, as after another epoch."""
    network = context.network.copy()
    network.params[0][...] *= 1.3
    return dataclasses.replace(context, network=network, epoch=context.epoch + 1)


def plot_with(place, xy, digits, qtbot):
    widget = pg.PlotWidget()
    qtbot.addWidget(widget)
    widget.resize(400, 300)
    widget.hideAxis("left")
    widget.hideAxis("bottom")
    dots = pg.ScatterPlotItem(size=7)
    widget.addItem(dots)
    place(dots, xy, digits, DotStyles())
    widget.getPlotItem().getViewBox().setRange(xRange=(-3, 3), yRange=(-3, 3), padding=0)
    widget.show()
    settle()
    return widget, dots


def test_place_dots_draws_exactly_what_setdata_draws(qtbot, trained_context):
    data = compute_map(trained_context, 1, subset(trained_context.digits, N))
    xy = data.pca.points / np.abs(data.pca.points).max() * 2.5
    fast, dots = plot_with(place_dots, xy, data.digits, qtbot)
    slow, reference = plot_with(reference_place_dots, xy, data.digits, qtbot)
    for field in ("x", "y", "size", "symbol", "pen", "brush", "visible", "data", "hovered"):
        assert list(dots.data[field]) == list(reference.data[field]), field
    rects = dots.data["sourceRect"].copy()
    dots.data["sourceRect"] = 0
    dots.updateSpots()                          # pyqtgraph resolves every point's atlas entry itself
    np.testing.assert_array_equal(dots.data["sourceRect"], rects)
    assert fast.grab().toImage() == slow.grab().toImage()      # the same pixels


def test_the_same_subset_only_moves_and_a_new_one_is_restyled(qtbot, trained_context):
    data = compute_map(trained_context, 1, subset(trained_context.digits, N))
    widget, dots = plot_with(place_dots, data.pca.points, data.digits, qtbot)
    records = dots.data
    moved = data.pca.points + 1.0
    assert not place_dots(dots, moved, data.digits, DotStyles())
    assert dots.data is records                                      # written in place
    np.testing.assert_allclose(np.c_[dots.getData()], moved)
    other = np.roll(data.digits, 1)
    assert place_dots(dots, moved, other, DotStyles())
    colours = [brush.color().getRgb()[:3] for brush in dots.data["brush"]]
    assert colours == [DotStyles().brushes[d].color().getRgb()[:3] for d in other]


def test_a_new_map_moves_the_dots_and_paints_the_plot_once(qtbot, trained_context):
    holder = [trained_context]
    view = make_map(qtbot, holder)
    records = view.dots.data
    paints = PaintCounter(view.plot.viewport())
    holder[0] = later_context(trained_context)
    with qtbot.waitSignal(view.map_ready, timeout=30000):
        view.model_changed()                           # an epoch ended: PCA again, in the worker
    qtbot.waitUntil(lambda: paints.count >= 1, timeout=5000)
    settle()
    assert paints.count == 1
    assert view.dots.data is records                   # the same subset: the dots only moved
    np.testing.assert_allclose(view.points()[0], view.data.pca.points)


def test_what_did_not_change_is_not_redrawn(qtbot, trained_context):
    view = make_map(qtbot, [trained_context])
    paints = PaintCounter(view.plot.viewport())
    moved = []
    view.marker_moved.connect(moved.append)
    view.set_drawing(None)                # the Draw tab says "no drawing" at every weights refresh
    settle()
    assert moved == [] and paints.count == 0
    view.set_drawing(trained_context.images[3].astype(np.float32) / 255)
    qtbot.waitUntil(lambda: paints.count >= 1, timeout=5000)
    assert moved[-1] is not None
    view.set_drawing(None)
    view.set_drawing(None)
    assert len(moved) == 2 and moved[-1] is None     # the star went away once


def test_hover_and_click_with_the_mouse(qtbot, trained_context, monkeypatch):
    view = make_map(qtbot, [trained_context])
    monkeypatch.setitem(pg.CONFIG_OPTIONS, "mouseRateLimit", 0)   # pyqtgraph drops moves < 10 ms apart
    viewport = view.plot.viewport()

    def move_to(pixel):
        QApplication.sendEvent(viewport, QMouseEvent(QEvent.MouseMove, QPointF(pixel), Qt.NoButton, Qt.NoButton,
                                                     Qt.NoModifier))
        settle()

    target = 11
    move_to(dot_pixel(view, target))
    hovered = view._hover_shown[0]
    assert (dot_pixel(view, hovered) - dot_pixel(view, target)).manhattanLength() <= 8   # a dot under the cursor
    image = view.data.indices[hovered]
    assert view.hover_tile.isVisible() and f"image #{image}:" in view.hover_text.text()
    assert view.dots.data["hovered"][hovered]                # drawn in the hover style
    key = view.hover_tile.picture.pixmap().cacheKey()
    move_to(dot_pixel(view, target))                         # the mouse moves on the same dot
    assert view.hover_tile.picture.pixmap().cacheKey() == key        # the panel is not rebuilt
    far = int(np.argmax(np.linalg.norm(view.points()[0] - view.points()[0][target], axis=1)))
    move_to(dot_pixel(view, far))
    assert view._hover_shown[0] != hovered and view.hover_tile.picture.pixmap().cacheKey() != key
    QTest.mouseClick(viewport, Qt.LeftButton, Qt.NoModifier, QPoint(dot_pixel(view, far)))
    clicked = view.pinned_index
    assert clicked is not None and (dot_pixel(view, clicked) - dot_pixel(view, far)).manhattanLength() <= 8
    assert f"says <b>{view.data.predictions[clicked]}</b>" in view.pinned_text.text()
    np.testing.assert_allclose(np.c_[view.pinned_marker.getData()][0], view.points()[0][clicked])
