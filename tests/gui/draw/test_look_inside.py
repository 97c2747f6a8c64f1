"""The Draw tab's look-inside column with real mouse strokes and the shipped default model: the
evidence map (method, "why not"), Fool it, and drawing on top of the fooled image."""
import numpy as np
import pytest

from core.analysis.adversarial import fool
from core.analysis.evidence import gradient_times_input, integrated_gradients, occlusion
from core.data.normalise import to_float
from core.drawing.layered import strokes_on_grid
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH
from core.training.blas import limited_blas_threads
from core.nn.network import Network
from gui.draw.draw_panel import DrawPanel
from tests.gui.draw.test_draw_panel import SEVEN, draw


@pytest.fixture
def panel(qtbot):
    widget = DrawPanel()
    widget.resize(980, 860)
    qtbot.addWidget(widget)
    widget.show()
    qtbot.waitExposed(widget)
    return widget


@pytest.fixture(scope="module")
def default_model():
    return load_model(DEFAULT_MODEL_PATH)


def wait_for_map(qtbot, view, check=lambda evidence: True):
    with qtbot.waitSignal(view.shown, timeout=5000, check_params_cb=check) as blocker:
        pass
    return blocker.args[0]


def draw_seven(qtbot, panel):
    view = panel.look_inside.evidence
    with qtbot.waitSignal(view.shown, timeout=5000):
        draw(panel.canvas, SEVEN)
    qtbot.waitUntil(lambda: not panel._timer.isActive() and not view.job.busy, timeout=5000)
    return view


def test_evidence_map_appears_after_drawing_and_changes_with_the_picked_digit(qtbot, panel, default_model):
    view = draw_seven(qtbot, panel)
    network, _ = default_model
    evidence = view.evidence
    shown = view.map_view.values
    assert shown.shape == panel.last_image.shape == (28, 28)
    assert evidence.map.target == 7 and evidence.map.versus is None and "Why 7?" == view.title.text()
    assert np.array_equal(evidence.image, panel.last_image)           # the map of the drawing shown now
    with limited_blas_threads():   # as the worker computes it: ReLU kinks make sums of other order differ
        expected = integrated_gradients(network, panel.last_image.reshape(-1), 7)
    assert np.allclose(shown, expected.values, atol=1e-6)
    assert abs(evidence.map.gap) < 0.05 * abs(evidence.map.score - evidence.map.baseline_score)   # sum rule
    assert f"{evidence.map.total:.2f}" in view.sum_label.text()
    # the sum only approximates the change of score: "about", and by how much (walkthrough at 1366x768)
    change = evidence.map.score - evidence.map.baseline_score
    assert "about the score of 7 for your drawing" in view.sum_label.text()
    assert f"{change:.2f}. It is an estimate, {abs(evidence.map.gap):.2f} " in view.sum_label.text()
    assert view.map_view.limit == pytest.approx(np.abs(shown).max())  # symmetric range
    assert not view.versus_picker.buttons[7].isEnabled()               # no "why 7 and not 7"

    view.versus_picker.buttons[1].click()
    contrast = wait_for_map(qtbot, view, lambda e: e.map.versus == 1)
    assert view.title.text() == "Why 7 and not 1?"
    assert view.map_view.values.shape == (28, 28)
    assert not np.allclose(view.map_view.values, shown)
    with limited_blas_threads():
        expected = integrated_gradients(network, panel.last_image.reshape(-1), 7, versus=1)
    assert np.allclose(contrast.map.values, expected.values, atol=1e-6)

    view.method_combo.setCurrentIndex(view.method_combo.findData("gradient_x_input"))
    gxi = wait_for_map(qtbot, view, lambda e: e.map.method.key == "gradient_x_input")
    assert "Gradient x input" in view.method_text.text()
    expected = gradient_times_input(network, panel.last_image.reshape(-1), 7, versus=1)
    assert np.allclose(gxi.map.values, expected.values, atol=1e-6)


def test_the_sum_rule_is_said_as_an_estimate_with_its_size_in_plain_words():
    from gui.draw.evidence_view import approximation_words
    assert approximation_words(-0.07, 13.22) == "It is an estimate, 0.07 short (0.5%)."
    assert approximation_words(0.3, 6.0) == "It is an estimate, 0.30 over (5.0%)."
    assert approximation_words(0.001, 13.22) == "It is an estimate, here right to two decimals."


DOT = [np.array([[140.0, 140.0], [143.0, 141.0]])]


def test_a_dot_after_a_drawing_clears_the_map_and_says_why_there_is_nothing_to_explain(qtbot, panel):
    """A dot is too small to read (core.drawing.reading): never shown to the network, so the page
    must not keep the previous drawing's map and colour bar (walkthrough at 1366x768)."""
    view = draw_seven(qtbot, panel)
    assert view.map_view.values is not None and view.map_view.colour_bar.isVisible()
    assert panel.draw(DOT) is None                                   # read as too small: no probabilities
    qtbot.waitUntil(lambda: not view.job.busy, timeout=5000)
    assert view.evidence is None and view.map_view.values is None
    assert not view.map_view.colour_bar.isVisible() and view.map_view.limit == 1.0
    assert view.title.text() == "Nothing to explain" and view.sum_label.text() == "" and view.legend.text() == ""
    assert "too small" in view.status.text() and "not shown to the network" in view.status.text()
    assert view.status.isVisibleTo(view)
    panel.canvas.clear()                                             # an empty canvas asks for a drawing
    qtbot.waitUntil(lambda: view.status.text().startswith("Draw on the canvas"), timeout=3000)
    evidence = draw_seven(qtbot, panel).evidence                     # a real drawing brings map and bar back
    assert evidence.map.target == 7 and view.map_view.colour_bar.isVisible() and view.title.text() == "Why 7?"


def test_evidence_waits_while_hidden_and_catches_up(qtbot, panel):
    view = draw_seven(qtbot, panel)
    before = view.evidence
    panel.look_inside.setCurrentIndex(1)           # Fool it in front: the map is hidden
    panel.canvas.set_strokes([np.array([[140.0, 30.0], [140.0, 250.0]])])   # a 1
    qtbot.waitUntil(lambda: view._dirty, timeout=2000)
    assert view.evidence is before and not view.job.busy
    panel.look_inside.setCurrentIndex(0)
    evidence = wait_for_map(qtbot, view)
    assert evidence.map.target == 1 and view.title.text() == "Why 1?"


def test_occlusion_is_offered_for_conv_networks_only(qtbot, panel, mnist, default_model):
    view = draw_seven(qtbot, panel)
    occlusion_item = view.method_combo.model().item(view.method_combo.findData("occlusion"))
    _, metadata = default_model
    metadata = dict(metadata, class_names=[str(d) for d in range(10)])    # ten outputs, not the shipped eleven
    panel.set_model(Network((784, 16, 10), seed=3), metadata, "small dense net")   # the shipped model is a CNN
    qtbot.waitUntil(lambda: not occlusion_item.isEnabled(), timeout=3000)
    cnn = Network.from_layers("conv4x5,pool2,dense10", (28, 28), seed=3)
    x, y = to_float(mnist.train_images[:2000]), cnn.targets(mnist.train_labels[:2000])
    for i in range(0, 2000, 50):                   # a few plain SGD steps: a net that reads digits a bit
        _, grads = cnn.loss_and_gradients(x[i:i + 50], y[i:i + 50])
        for p, g in zip(cnn.params, grads):
            p -= 0.05 * g
    panel.set_model(cnn, metadata, "small conv net")
    qtbot.waitUntil(lambda: occlusion_item.isEnabled(), timeout=3000)
    view.method_combo.setCurrentIndex(view.method_combo.findData("occlusion"))
    evidence = wait_for_map(qtbot, view, lambda e: e.map.method.key == "occlusion")
    top = int(np.argmax(cnn.predict_proba(panel.last_image.reshape(1, -1))[0]))
    expected = occlusion(cnn, panel.last_image.reshape(-1), top)
    assert np.allclose(evidence.map.values, expected.values, atol=1e-6)
    assert "Occlusion" in view.method_text.text()


def test_fool_it_reaches_the_target_and_shows_the_size_of_the_change(qtbot, panel, default_model):
    draw_seven(qtbot, panel)
    view = panel.look_inside.fool
    panel.look_inside.setCurrentIndex(1)
    assert not view.target_picker.buttons[7].isEnabled()      # already the answer
    view.target_picker.buttons[3].click()
    with qtbot.waitSignal(view.fooled, timeout=5000) as blocker:
        view.fool_button.click()
    result = blocker.args[0].result
    network, metadata = default_model
    assert result.success and result.target == 3 == result.answer_after
    # an independent check: the model read as the Draw tab reads it (its test-time turns) says 3
    from core.drawing.test_time import read_proba, turns_of
    assert read_proba(network, metadata, result.image.reshape(1, -1).astype(np.float32)).argmax() == 3
    assert "now says <b>3</b>" in view.answer_label.text()
    assert f"({result.probabilities_after[3]:.0%})" in view.answer_label.text()
    change = result.image - panel.last_image
    assert np.allclose(view.change_view.values, change, atol=1e-6)
    l2, linf = np.linalg.norm(change), np.abs(change).max()
    pixels = np.count_nonzero(np.abs(change) >= 1 / 255 - 1e-6)
    size_text = view.size_label.text()
    assert f"L2 {l2:.2f}" in size_text and f"L∞ {linf:.2f}" in size_text and f"<b>{pixels}</b> of 784" in size_text
    assert linf <= 0.3 + 1e-6
    again = fool(network, panel.last_image.reshape(-1), 3, turns=turns_of(metadata))   # the same search, run here
    assert again.l2 == pytest.approx(result.l2) and again.pixels_changed == result.pixels_changed
    heights = np.asarray(view.after_bars.opts["height"])
    assert int(np.argmax(heights)) == 3 and np.allclose(heights, result.probabilities_after)


def test_draw_on_top_keeps_the_fooled_image_under_new_strokes(qtbot, panel):
    draw_seven(qtbot, panel)
    view = panel.look_inside.fool
    view.target_picker.buttons[3].click()
    with qtbot.waitSignal(view.fooled, timeout=5000) as blocker:
        view.fool_button.click()
    changed = blocker.args[0].result.image
    qtbot.waitUntil(lambda: view.draw_on_top_button.isEnabled(), timeout=3000)
    with qtbot.waitSignal(panel.predicted, timeout=3000, check_params_cb=lambda p: p is not None):
        view.draw_on_top_button.click()
    assert panel.canvas.background is not None and panel.canvas.strokes() == []
    assert np.allclose(panel.last_image, changed, atol=1e-6)
    assert panel.probability_view.top_index == 3                      # the network still says the target
    assert "now the changed image" in view.status.text()

    panel.brush_spin.setValue(50)                                      # a thick pen: over two input pixels wide
    stroke = [[(40, 200), (240, 200)]]                                 # a line across the lower part
    with qtbot.waitSignal(panel.predicted, timeout=3000):
        draw(panel.canvas, stroke)
    qtbot.waitUntil(lambda: not panel._timer.isActive(), timeout=1000)
    size = (panel.canvas.width(), panel.canvas.height())
    ink = strokes_on_grid(panel.canvas.strokes(), panel.canvas.stroke_widths(), size, (28, 28))
    assert ink.max() > 0.9
    assert np.allclose(panel.last_image, np.clip(changed + ink, 0, 1), atol=1e-6)
    row, column = int(200 * 28 / size[1]), int(140 * 28 / size[0])   # the grid cell under canvas (140, 200)
    assert panel.last_image[row, column] > 0.9 and ink[row, column] > 0.9   # the new ink is where it was drawn

    panel.clear_button.click()
    assert panel.canvas.background is None and panel.canvas.is_empty()
    qtbot.waitUntil(lambda: panel.probability_view.state == "empty", timeout=2000)


def test_after_a_dot_fool_it_asks_for_a_digit_not_for_a_press_of_its_disabled_button(qtbot, panel):
    draw_seven(qtbot, panel)
    view = panel.look_inside.fool
    view.target_picker.buttons[3].click()
    with qtbot.waitSignal(view.fooled, timeout=5000):
        view.fool_button.click()
    qtbot.waitUntil(lambda: not view.job.busy, timeout=3000)
    panel.canvas.clear()
    assert panel.draw(DOT) is None                      # too small to read: nothing for the network
    qtbot.waitUntil(lambda: "earlier drawing" in view.status.text(), timeout=3000)
    assert not view.fool_button.isEnabled()
    assert "draw a digit, then press Fool it" in view.status.text() and "press Fool it again" not in view.status.text()
    draw_seven(qtbot, panel)                            # a readable drawing: the button is the way on
    qtbot.waitUntil(lambda: view.fool_button.isEnabled(), timeout=3000)
    assert "press Fool it again" in view.status.text()
