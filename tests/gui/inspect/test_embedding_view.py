"""The Map tab with real widgets, real MNIST, a network trained in the test and real workers."""
import multiprocessing

import numpy as np
import pytest

from core.analysis.embedding import PcaMap, layer_features
from core.data.normalise import to_float
from gui.inspect.embedding_view import EmbeddingView
from gui.inspect.map_data import drawing_features
from gui.inspect.pictures import DIGIT_COLOURS, DIGIT_SYMBOLS
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")
N = 300


def tsne_children():
    return sum(child.name == "digitlab-tsne" for child in multiprocessing.active_children())


def make_map(qtbot, context):
    view = EmbeddingView(lambda: context, n_points=N)
    qtbot.addWidget(view)
    view.resize(900, 600)
    with qtbot.waitSignal(view.map_ready, timeout=30000):
        view.show()                     # shown: the map computes itself, in the worker
        assert view.pca_jobs.busy
    return view


def test_the_map_fills_with_points_coloured_by_digit(qtbot, trained_context):
    view = make_map(qtbot, trained_context)
    data = view.data
    xy, shown_digits = view.points()
    x, y = xy.T
    assert len(x) == N and len(set(data.indices)) == N
    features = layer_features(trained_context.network,
                              to_float(trained_context.images[data.indices], "zero_one"), 1)
    expected = PcaMap.fit(features).points
    np.testing.assert_allclose(np.c_[x, y], expected, atol=1e-4)
    digits = trained_context.digits[data.indices]
    np.testing.assert_array_equal(shown_digits, digits)
    assert len(view.dots.data) == N                             # one item holds every dot
    colours = [brush.color().getRgb()[:3] for brush in view.dots.data["brush"]]
    assert colours == [DIGIT_COLOURS[d] for d in digits]        # each dot in its digit's colour
    assert list(view.dots.data["symbol"]) == [DIGIT_SYMBOLS[d] for d in digits]    # and shape
    legend = view.legend.text()
    assert all(f"#{r:02x}{g:02x}{b:02x}" in legend for r, g, b in DIGIT_COLOURS)
    assert "PCA of layer 1" in view.explain.text()
    point = view.dots.points()[7]
    assert point.data() == 7
    view.dots.sigHovered.emit(view.dots, [point], None)          # what pyqtgraph emits on hover
    assert view.hover_tile.isVisible() and f"image #{data.indices[7]}:" in view.hover_text.text()
    view.pin(4)                                    # a click: the image and the network's answer
    assert f"digit <b>{digits[4]}</b>" in view.pinned_text.text()
    assert f"says <b>{data.predictions[4]}</b>" in view.pinned_text.text()
    assert not view.pinned_tile.picture.pixmap().isNull()


def test_tsne_runs_in_a_worker_and_is_shown(qtbot, trained_context):
    view = make_map(qtbot, trained_context)
    pca_points = view.points()[0]
    with qtbot.waitSignal(view.tsne_finished, timeout=120000) as finished:
        view.run_tsne()
        assert view.tsne_jobs.busy and view.tsne_button.text() == "Cancel t-SNE"
        assert view.progress.isVisible()
    assert finished.args == ["done"]
    layout, data = view.tsne
    assert layout.shape == (N, 2) and data is view.data
    np.testing.assert_allclose(view.points()[0], layout)
    assert not np.allclose(view.points()[0], pca_points)
    assert "t-SNE of layer 1" in view.explain.text() and view.pca_button.isEnabled()
    view.show_pca()
    np.testing.assert_allclose(view.points()[0], pca_points)


def test_tsne_can_be_cancelled(qtbot, trained_context):
    view = make_map(qtbot, trained_context)
    pca_points = view.points()[0]
    progress = []
    view.tsne_jobs.progress.connect(lambda values, _: progress.append(values))
    view.run_tsne()
    qtbot.waitUntil(lambda: tsne_children() == 1, timeout=30000)     # the child process is at work
    with qtbot.waitSignal(view.tsne_finished, timeout=10000) as finished:
        view.tsne_button.click()                   # now "Cancel t-SNE"
    assert finished.args == ["cancelled"]
    qtbot.waitUntil(lambda: not view.tsne_jobs.busy, timeout=10000)   # the worker thread ends
    assert tsne_children() == 0                                       # and the child is gone
    assert view.tsne is None and not view.showing_tsne and not progress   # nothing reaches the view after Cancel
    np.testing.assert_allclose(view.points()[0], pca_points)
    assert view.tsne_button.text() == "Run t-SNE" and "cancelled" in view.status.text()


def test_the_drawing_marker_follows_the_drawing(qtbot, trained_context):
    view = make_map(qtbot, trained_context)
    assert view.marker.getData()[0].size == 0
    moved = []
    view.marker_moved.connect(moved.append)
    first = trained_context.images[0].astype(np.float32) / 255
    view.set_drawing(first)
    np.testing.assert_allclose(np.c_[view.marker.getData()][0],
                               view.data.pca.project_point(drawing_features(view.data, first)))
    second = trained_context.images[1].astype(np.float32) / 255
    view.set_drawing(second)
    assert not np.allclose(moved[0], moved[1])
    view.set_drawing(None)
    assert moved[-1] is None and view.marker.getData()[0].size == 0


def test_the_draw_tab_moves_the_marker_and_closing_during_tsne_ends_cleanly(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, hidden_sizes=(16,), epochs=1, batch_size=64, learning_rate=0.1,
                         val_split=0.2, track_test=False)
    view = window.inspect.map
    view.n_points = N
    with qtbot.waitSignal(window.run_finished, timeout=120000):
        window.start_training()
    with qtbot.waitSignal(view.map_ready, timeout=30000):
        window.tabs.setCurrentWidget(view)           # shown: computed for the finished model
    panel = window.tabs.draw_panel
    with qtbot.waitSignal(view.marker_moved, timeout=5000) as first:
        panel.canvas.set_strokes([np.array([[140.0, 40.0], [140.0, 240.0]])])
    with qtbot.waitSignal(view.marker_moved, timeout=5000) as second:
        panel.canvas.set_strokes([np.array([[80.0, 60.0], [200.0, 60.0], [80.0, 230.0], [200.0, 230.0]])])
    assert first.args[0] is not None and not np.allclose(first.args[0], second.args[0])
    np.testing.assert_allclose(second.args[0], view.marker_xy)
    view.n_points = 800                              # long enough that the close comes mid-run
    view.recompute()
    qtbot.waitUntil(lambda: not view.pca_jobs.busy and len(view.data.indices) == 800, timeout=30000)
    view.run_tsne()
    handle = view.tsne_jobs._active[0]
    qtbot.waitUntil(lambda: handle.thread.isRunning(), timeout=5000)
    window.close()
    assert handle.wait(0)                            # the window waited for the worker to end
    assert tsne_children() == 0
    assert not view.tsne_jobs.busy or view.tsne_jobs._closed
