"""The invariance plot follows the model the window shows: when another model becomes current
(a file opened, a run finished) the old curves go at once and the new model is measured, at once
while the Evaluation tab is visible, else when it is shown. A real window, real model files and
real worker threads; the expected curves are computed here with core.analysis.invariance."""
import numpy as np
import pytest

from core.analysis.invariance import curves_for_model, fixed_subset
from core.files.model_io import load_model
from core.training.snapshots import validation_set
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def train(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=60000) as finished:
        window.actions.trigger("start")
    return finished.args[0]


@pytest.fixture
def two_models(qtbot, mnist_small, tmp_path):
    """A window and two model files: a.npz reads all ten digits (chance about 11%), b.npz tells 3
    from the rest (chance about 90%), so their chance lines are far apart."""
    window = make_window(qtbot, mnist_small, epochs=1, hidden_sizes=(16,), val_split=300)
    assert train(qtbot, window) == "finished"
    a = window.actions.trigger("save_model", str(tmp_path / "a.npz"))
    window.actions.trigger("set_setting", "positive_class", 3)
    window.actions.trigger("set_setting", "loss", "binary_cross_entropy")
    window.actions.trigger("set_setting", "output", "sigmoid")
    assert train(qtbot, window) == "finished"
    b = window.actions.trigger("save_model", str(tmp_path / "b.npz"))
    return window, a, b


def expected_curves(window, path):
    """The curves of the model file at ``path`` on the window's validation subset, by core alone."""
    network, metadata = load_model(path)
    images, labels = validation_set(window.model_info, window.dataset)
    subset = fixed_subset(labels)
    return curves_for_model(network, metadata, images[subset], labels[subset])


def assert_shows(view, expected, name):
    curves = view.curves()
    assert view.legend_names() == [name]
    for field in ("shifts", "horizontal", "vertical", "angles", "rotation"):
        np.testing.assert_array_equal(getattr(curves, field), getattr(expected, field))
    entry = view._entries["current"]
    np.testing.assert_array_equal(entry.horizontal.getData()[1], expected.horizontal)   # what is drawn
    np.testing.assert_array_equal(entry.rotation.getData()[1], expected.rotation)


def open_model(qtbot, window, path):
    window.actions.trigger("open_model", path)
    qtbot.waitUntil(lambda: window.loaded_model_name == path.rsplit("/", 1)[-1]
                    and window.tabs.invariance._current is not None
                    and window.tabs.invariance._current[2] == window.loaded_model_name, timeout=20000)


def test_another_model_made_current_is_measured_and_never_shown_against_the_old_curves(qtbot, two_models):
    window, a, b = two_models
    view = window.tabs.invariance
    window.actions.trigger("show_tab", "Evaluation")
    open_model(qtbot, window, a)
    assert view.curves() is None and not view.busy          # nothing measured before the user asked
    with qtbot.waitSignal(view.measured, timeout=60000):
        view.compute_button.click()
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    curves_a = view.curves()
    assert_shows(view, expected_curves(window, a), "a.npz")
    chance_a = view.chance_lines[0].value()
    assert chance_a < 0.2

    seen = []        # at every change of the chance line or of the curves: what stands beside what
    look = lambda *_: seen.append((view.chance_lines[0].value(), view.curves(), view.legend_names()))
    view.chance_lines[0].sigPositionChanged.connect(look)
    view.measured.connect(look)
    with qtbot.waitSignal(view.measured, timeout=60000):     # the Evaluation tab is shown: at once
        open_model(qtbot, window, b)
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    assert_shows(view, expected_curves(window, b), "b.npz")
    chance_b = view.chance_lines[0].value()
    assert chance_b > 0.85
    assert seen and seen[-1][1] is view.curves()
    for chance, curves, names in seen:
        assert curves is not curves_a and "a.npz" not in names, (chance, names)   # never A's beside B's line
        assert chance == pytest.approx(chance_b)


def test_a_model_made_current_while_the_tab_is_hidden_is_measured_when_it_is_shown(qtbot, two_models):
    window, a, b = two_models
    view = window.tabs.invariance
    window.actions.trigger("show_tab", "Evaluation")
    open_model(qtbot, window, b)
    with qtbot.waitSignal(view.measured, timeout=60000):
        view.compute_button.click()
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)

    window.actions.trigger("show_tab", "Training")
    assert not view.isVisible()
    open_model(qtbot, window, a)
    assert view.curves() is None and view.legend_names() == [] and not view.busy   # B's went, no CPU spent
    assert "a.npz is the model shown now: it is measured when this tab is shown" in view.status.text()
    with qtbot.waitSignal(view.measured, timeout=60000):
        window.actions.trigger("show_tab", "Evaluation")
    qtbot.waitUntil(lambda: not view.busy, timeout=10000)
    assert_shows(view, expected_curves(window, a), "a.npz")

    window.actions.trigger("reset")                           # no model shown: no curves of one
    assert view.curves() is None and view.legend_names() == []
    assert "Train or open a model: it is measured when it arrives" in view.status.text()
