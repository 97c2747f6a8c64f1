"""DrawPanel with a real canvas, real mouse events (offscreen) and the shipped default model."""
import numpy as np
import pytest
from PyQt5.QtCore import QEvent, QPointF, Qt
from PyQt5.QtGui import QMouseEvent
from PyQt5.QtWidgets import QApplication

from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH
from gui.draw.draw_panel import DrawPanel

SEVEN = [[(60, 50), (200, 50), (120, 240)]]
ONE = [[(140, 30), (140, 250)]]
FOUR = [[(150, 30), (60, 170), (220, 170)], [(170, 40), (170, 260)]]


@pytest.fixture
def panel(qtbot):
    widget = DrawPanel()
    widget.resize(820, 460)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


def send(widget, kind, x, y, button, buttons):
    QApplication.sendEvent(widget, QMouseEvent(kind, QPointF(x, y), button, buttons, Qt.NoModifier))


def draw(canvas, strokes, steps=12):
    """Drag the mouse along each polyline: press, moves with the left button held, release."""
    for polyline in strokes:
        send(canvas, QEvent.MouseButtonPress, *polyline[0], Qt.LeftButton, Qt.LeftButton)
        for (x0, y0), (x1, y1) in zip(polyline[:-1], polyline[1:]):
            for t in np.linspace(0, 1, steps)[1:]:
                send(canvas, QEvent.MouseMove, x0 + t * (x1 - x0), y0 + t * (y1 - y0), Qt.NoButton, Qt.LeftButton)
        send(canvas, QEvent.MouseButtonRelease, *polyline[-1], Qt.LeftButton, Qt.NoButton)


def wait_for_prediction(qtbot, panel):
    with qtbot.waitSignal(panel.predicted, timeout=2000) as blocker:
        pass
    return blocker.args[0]


def test_default_model_is_loaded_and_empty_canvas_shows_no_prediction(panel):
    assert panel.network is not None and "default model" in panel.model_label.text()
    panel.predict_now()
    assert panel.probability_view.state == "empty"
    assert panel.probability_view.probabilities is None
    assert "draw a digit" in panel.probability_view.top_label.text()


@pytest.mark.parametrize("strokes, digit", [(SEVEN, 7), (ONE, 1), (FOUR, 4)])
def test_drawing_gives_a_live_prediction(qtbot, panel, strokes, digit):
    with qtbot.waitSignal(panel.predicted, timeout=2000, check_params_cb=lambda p: p is not None):
        draw(panel.canvas, strokes)
    qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=1000)   # the last points included
    view = panel.probability_view
    heights = np.asarray(view.bars.opts["height"])
    # ten digits and the shipped model's eleventh class, "not a digit"
    assert heights.shape == (11,) and abs(heights.sum() - 1.0) < 1e-5 and heights.min() >= 0
    assert view.top_index == digit == int(np.argmax(heights))
    assert view.state == "confident" and view.top_label.text().count(str(digit)) >= 1
    assert panel.last_image.shape == (28, 28) and not panel.input_view.pixmap().isNull()
    assert len(panel.canvas.strokes()) == len(strokes)


def test_undo_and_clear(qtbot, panel):
    draw(panel.canvas, FOUR)
    assert len(panel.canvas.strokes()) == 2
    panel.undo_button.click()
    strokes = panel.canvas.strokes()
    assert len(strokes) == 1 and strokes[0][0].tolist() == [150.0, 30.0]
    panel.predict_now()
    # half a 4 is read (as a digit, unsurely, or as no digit: all three are answers)
    assert panel.probability_view.state in ("confident", "unsure", "not a digit")
    assert panel.last_probabilities is not None
    panel.clear_button.click()
    assert panel.canvas.is_empty() and panel.canvas.strokes() == []
    qtbot.waitUntil(lambda: panel.probability_view.state == "empty", timeout=1000)
    assert panel.canvas.ink_image().max() == 0.0


def test_canvas_keeps_pixels_and_interpolates_points(panel):
    draw(panel.canvas, [[(20, 140), (260, 140)]], steps=3)   # 2 moves of 120 px each
    stroke = panel.canvas.strokes()[0]
    assert len(stroke) > 100 and np.max(np.diff(stroke[:, 0])) <= 2.5
    ink = panel.canvas.ink_image()
    assert ink.shape == (panel.canvas.height(), panel.canvas.width())
    assert ink[140, 140] > 0.9 and ink[20, 140] == 0.0


def test_not_sure_state_below_threshold(panel):
    panel.canvas.set_strokes([np.array([[110.0, 60.0], [170.0, 60.0], [120.0, 230.0]])])   # a hasty 7
    panel.threshold_slider.setValue(99)
    panel.predict_now()
    view = panel.probability_view
    unsure = view.probabilities.max() < 0.99
    assert (view.state == "unsure") == unsure
    assert ("not sure" in view.top_label.text()) == unsure
    panel.threshold_slider.setValue(10)
    assert view.state == "confident"


def test_set_model_switches_source_and_predicts_with_it(qtbot, panel):
    network, metadata = load_model(DEFAULT_MODEL_PATH)
    draw(panel.canvas, SEVEN)
    panel.predict_now()
    before = panel.last_probabilities.copy()
    flipped = network.copy()
    flipped.params[-1][...] = 0
    flipped.params[-2][...] = 0          # all-zero output layer: uniform probabilities
    for epoch in range(5):               # many calls in a row must stay cheap and coalesced
        panel.set_model(flipped, metadata, f"model being trained (epoch {epoch})")
    assert "epoch 4" in panel.model_label.text()
    probabilities = wait_for_prediction(qtbot, panel)
    n = len(metadata["class_names"])
    assert np.allclose(probabilities, 1 / n, atol=1e-6) and not np.allclose(before, probabilities)
    assert panel.probability_view.state == "unsure"


def test_8x8_model_gets_8x8_input(qtbot, panel):
    from core.nn.network import Network
    from core.files.model_io import model_metadata
    small = Network((64, 10, 10), seed=1)
    panel.set_model(small, model_metadata(small, (8, 8), [str(d) for d in range(10)]), "digits model")
    draw(panel.canvas, ONE)
    panel.predict_now()
    assert panel.last_image.shape == (8, 8) and "8x8" in panel.input_caption.text()


@pytest.mark.parametrize("content", [b"not a model at all", None])
def test_missing_or_corrupt_default_model_shows_a_message(qtbot, tmp_path, content):
    path = tmp_path / "broken.npz"
    if content is not None:
        path.write_bytes(content)
    panel = DrawPanel(default_model_path=path)
    qtbot.addWidget(panel)
    assert panel.network is None
    assert "broken.npz" in panel.message_label.text() and not panel.message_label.isHidden()
    draw(panel.canvas, SEVEN)
    panel.predict_now()                       # drawing without a model: no crash, no prediction
    assert panel.probability_view.state == "message"
    network, metadata = load_model(DEFAULT_MODEL_PATH)
    panel.set_model(network, metadata, "loaded from file default_model.npz")
    panel.predict_now()
    assert panel.message_label.isHidden() and panel.probability_view.top_index == 7


def test_user_like_digits_drawn_through_the_real_canvas(panel):
    """One drawing per digit from the benchmark's templates, replayed as mouse events."""
    from bench.drawn_digits import draw_digit
    rng = np.random.default_rng(5)
    side = min(panel.canvas.width(), panel.canvas.height())
    correct = 0
    for digit in range(10):
        sample = draw_digit(digit, digit % 2, rng, size=side)
        panel.canvas.clear()
        panel.brush_spin.setValue(int(sample.brush_width))
        for stroke in sample.strokes:
            points = [tuple(p) for p in stroke]
            send(panel.canvas, QEvent.MouseButtonPress, *points[0], Qt.LeftButton, Qt.LeftButton)
            for x, y in points[1:]:
                send(panel.canvas, QEvent.MouseMove, x, y, Qt.NoButton, Qt.LeftButton)
            send(panel.canvas, QEvent.MouseButtonRelease, *points[-1], Qt.LeftButton, Qt.NoButton)
        panel.predict_now()
        correct += panel.probability_view.top_index == digit
    assert correct >= 9


# ----- "not a digit" (issue 22) ------------------------------------------------------------------
DASH = [[(50, 150), (230, 140)]]
SCRIBBLE = [[(60, 60), (220, 90), (70, 130), (210, 170), (80, 220), (200, 240), (120, 60), (150, 250)]]
CROSS = [[(60, 60), (220, 220)], [(220, 60), (60, 220)]]


def test_a_dot_is_not_a_digit_and_the_network_is_not_asked(qtbot, panel):
    """Scaled up to 20 pixels a dot would be a blob the network reads as some digit."""
    with qtbot.waitSignal(panel.predicted, timeout=2000) as blocker:
        draw(panel.canvas, [[(140, 140), (143, 141)]])
    qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=1000)
    view = panel.probability_view
    assert blocker.args[0] is None and panel.last_probabilities is None
    assert view.state == "not a digit" and "not a digit" in view.top_label.text()
    assert "too small" in view.detail_label.text()
    assert float(np.max(view.bars.opts["height"])) == 0.0           # no bars: nothing was read


@pytest.mark.parametrize("strokes", [DASH, SCRIBBLE, CROSS], ids=["dash", "scribble", "cross"])
def test_the_shipped_model_says_not_a_digit(qtbot, panel, strokes):
    """The issue's dash was read as '7, 71%'; the shipped model has a not-a-digit class."""
    names = panel.metadata["class_names"]
    assert names[-1] == "not a digit" and len(names) == 11
    with qtbot.waitSignal(panel.predicted, timeout=2000, check_params_cb=lambda p: p is not None):
        draw(panel.canvas, strokes)
    qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=1000)
    view = panel.probability_view
    assert view.state == "not a digit", (view.state, view.top_label.text())
    assert view.top_index == 10 and "looks like no digit" in view.detail_label.text()
    ticks = view.plot.getPlotItem().getAxis("bottom")._tickLevels[0]
    assert [label for _, label in ticks][-1] == "other"           # the class's bar, labelled short
