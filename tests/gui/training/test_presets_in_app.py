"""Every preset in the app: the form takes all of its settings, and the window trains it to the
end (full-batch cg on 20x20 MNIST, sampled batches with a test curve, numerical gradients)."""
import dataclasses

import numpy as np
import pytest

from core.settings.config import TrainConfig
from core.data.transforms import subsample
from core.nn.numerical_training import MAX_NUMERICAL_PARAMS
from core.settings.presets import PRESETS
from core.settings.fields import settings_of
from gui.views.gallery import MAX_EXAMPLES
from gui.training.settings_form import SettingsForm
from gui_helpers import collect, digits, make_window

pytestmark = pytest.mark.usefixtures("themed_app")
NOT_IN_FORM = {"on_divergence", "snapshot_every"}   # the window sets both for every run
AUGMENTATION = {info.name for info in settings_of(TrainConfig) if info.group == "augmentation"}


@pytest.fixture(scope="module")
def small_mnist(mnist):
    """3,000 real MNIST training / 500 test images (28x28), from the session's real MNIST
    (tests/conftest.py: it fails with the missing folder's path rather than skipping)."""
    return subsample(mnist, 3000, 500)


def preset_window(qtbot, name, dataset=None, **changes):
    """A window with the preset selected and some fields changed through their widgets."""
    window = make_window(qtbot, dataset)
    window.form.select_preset(name)
    form = window.form
    for key, value in changes.items():
        widget = {"iterations": form.iterations_spin, "epochs": form.epochs_spin, "batch": form.batch_spin}.get(key)
        if widget is not None:
            widget.setValue(value)
        elif key == "val":
            form.val_edit.setText(str(value))
        elif key == "hidden":
            form.hidden_edit.setText(value)
    return window


def train(qtbot, window, timeout=30000):
    assert window.start_button.isEnabled(), window.form_error.text()
    with qtbot.waitSignal(window.run_finished, timeout=timeout) as blocker:
        window.start_button.click()
    return blocker.args[0]


@pytest.mark.parametrize("name", list(PRESETS))
def test_selecting_a_preset_sets_every_field(qtbot, name):
    form = SettingsForm()
    qtbot.addWidget(form)
    form.select_preset("default" if name != "default" else "logistic-one-digit")
    form.select_preset(name)
    kept = form.config()
    assert all(getattr(kept, field) == getattr(PRESETS[name].config, field) for field in AUGMENTATION)
    # Forget the preset as the base: whatever config() returns now came from the widgets.
    form.base_config = TrainConfig()
    got, want = form.config(), PRESETS[name].config
    for field in dataclasses.fields(TrainConfig):
        if field.name not in NOT_IN_FORM:
            assert getattr(got, field.name) == getattr(want, field.name), field.name
    assert form.preset_combo.toolTip() == PRESETS[name].title
    assert form.advanced.expanded == (name != "default")   # presets using rarer settings show them


def test_presets_stay_editable_and_the_form_follows_the_optimiser(qtbot):
    form = SettingsForm()
    qtbot.addWidget(form)
    form.select_preset("ng-ex4-400-25-10-cg")
    assert form.optimizer_combo.currentText() == "cg"
    assert not form.learning_rate_edit.isEnabled() and "line search" in form.learning_rate_edit.toolTip()
    assert not form.epochs_spin.isEnabled() and form.epochs_note.isVisibleTo(form)
    assert "100 optimiser iterations" in form.epochs_note.text()
    assert form.advanced.init_epsilon_edit.isEnabled()              # uniform init uses its epsilon
    form.optimizer_combo.setCurrentText("lbfgs")
    assert form.config().optimizer == "lbfgs"
    form.optimizer_combo.setCurrentText("momentum")
    form.iterations_spin.setValue(0)
    form.advanced.init_combo.setCurrentText("xavier")
    form.advanced.image_size_combo.setCurrentIndex(0)
    assert form.learning_rate_edit.isEnabled() and form.epochs_spin.isEnabled()
    assert not form.epochs_note.isVisibleTo(form) and not form.advanced.init_epsilon_edit.isEnabled()
    config = form.config()
    assert (config.optimizer, config.iterations, config.init) == ("momentum", 0, "xavier")
    assert config.image_size == ()
    # the closed preset combo elides its long title; the open list is wide enough for all of them
    form.resize(380, 800)
    form.show()
    qtbot.waitExposed(form)
    form.select_preset("ng-ex4-400-25-10-cg")
    assert form.preset_combo.displayed_text().endswith("…")
    metrics = form.preset_combo.fontMetrics()
    assert form.preset_combo.view().minimumWidth() > max(metrics.horizontalAdvance(p.title) for p in PRESETS.values())


@pytest.mark.parametrize("change, reason", [
    (dict(optimizer="cg", gradients="numerical"), "numerical gradients are for the mini-batch trainer"),
    (dict(hidden="128", gradients="numerical"), f"limit {MAX_NUMERICAL_PARAMS:,}"),
    (dict(val="5000"), "validation count 5000"),
])
def test_invalid_combinations_disable_start_with_the_reason(qtbot, change, reason):
    window = preset_window(qtbot, "numerical-gradients-tiny", digits())
    assert window.start_button.isEnabled()
    form = window.form
    if "optimizer" in change:
        form.optimizer_combo.setCurrentText(change["optimizer"])
    if "hidden" in change:
        form.hidden_edit.setText(change["hidden"])
    if "val" in change:
        form.val_edit.setText(change["val"])
    assert not window.start_button.isEnabled()
    assert reason in window.form_error.text() and window.form_error.isVisibleTo(window)
    assert reason in window.start_button.toolTip()


def test_numerical_limit_counts_the_loaded_images(qtbot, small_mnist):
    """64-16-10 on 8x8 is fine; the same form at the data's native 28x28 is 12,730 parameters."""
    window = preset_window(qtbot, "numerical-gradients-tiny", small_mnist)
    assert window.start_button.isEnabled()
    window.form.advanced.image_size_combo.setCurrentIndex(0)   # native (as loaded): 784 inputs
    assert not window.start_button.isEnabled()
    assert "784-16-10 network: it has 12,730 parameters" in window.form_error.text()


def test_full_batch_cg_on_20x20_mnist_trains_to_the_end(qtbot, small_mnist):
    window = preset_window(qtbot, "ng-ex4-400-25-10-cg", small_mnist, iterations=3, val=500)
    snapshots = collect(window)
    assert train(qtbot, window) == "finished"
    info = window.state.start
    assert info.image_shape == (20, 20) and window.run_config.optimizer == "cg"
    epochs = [s for s in snapshots if s.kind == "epoch"]
    assert len(epochs) == 3
    accuracy = window.tabs.training.accuracy_plot
    steps, val = accuracy.val_curve.getOriginalDataset()
    np.testing.assert_array_equal(steps, [1, 2, 3])
    np.testing.assert_allclose(val, [100 * s.val_accuracy for s in epochs])
    _, loss = window.tabs.training.loss_plot.raw_curve.getOriginalDataset()
    assert len(loss) == 3 and np.all(np.isfinite(loss))
    assert not window.form.learning_rate_edit.isEnabled()
    assert window.progress.values["rate"].text() == "n/a"
    assert "iteration" in window.tabs.training.loss_plot.getPlotItem().getAxis("bottom").labelText
    assert window.tabs.weights.tiles.shape == (25, 20, 20)
    table = window.tabs.layer_stats.table
    assert [table.item(r, 3).text() for r in range(2)] == ["n/a", "n/a"]   # no mini-batch gradient
    assert table.item(0, 2).text() not in ("n/a", "nan")
    assert window.tabs.confusion.confusion.sum() == 500
    window.redraw.show_misclassified()
    assert window.tabs.gallery.list.count() > 0
    metadata = window.current_metadata()
    assert list(metadata["input_shape"]) == [20, 20]
    panel = window.tabs.draw_panel
    assert panel.geometry.out_shape == (20, 20) and panel.network is window.state.network


def test_sampled_preset_shows_the_test_curve_from_the_history(qtbot):
    window = preset_window(qtbot, "two-layer-50-sampled", digits(), iterations=40, val=200)
    assert window.form.config().track_test
    assert train(qtbot, window) == "finished"
    history = window.state.history
    assert len(history["test_accuracy"]) == len(history["epoch"]) >= 3
    plot = window.tabs.training.accuracy_plot
    steps, test = plot.test_curve.getOriginalDataset()
    np.testing.assert_allclose(test, 100 * np.asarray(history["test_accuracy"]))
    np.testing.assert_array_equal(steps, history["step"])
    assert plot.test_in_legend
    window.reset()
    assert not plot.test_in_legend and plot.test_curve.getOriginalDataset()[0] is None


def test_without_track_test_there_is_no_test_curve(qtbot):
    window = preset_window(qtbot, "two-layer-50-sampled", digits(), iterations=20, val=200)
    window.form.advanced.track_test_box.setChecked(False)
    assert train(qtbot, window) == "finished"
    assert "test_accuracy" not in window.state.history
    assert window.tabs.training.accuracy_plot.test_curve.getOriginalDataset()[0] is None
    assert not window.tabs.training.accuracy_plot.test_in_legend


def test_numerical_gradients_train_a_few_steps_in_the_window(qtbot):
    window = preset_window(qtbot, "numerical-gradients-tiny", digits(), iterations=6, val=200)
    snapshots = collect(window)
    assert train(qtbot, window) == "finished"
    assert window.state.end.step == 6 and window.run_config.gradients == "numerical"
    batches = [s for s in snapshots if s.kind == "batch"]
    assert batches and all(np.isfinite(s.batch_loss) for s in batches)
    table = window.tabs.layer_stats.table
    assert table.item(0, 3).text() not in ("n/a", "nan")   # numerical gradients have an rms


def test_logistic_regression_one_unit_binary_views(qtbot, small_mnist):
    window = preset_window(qtbot, "logistic-one-digit", small_mnist, epochs=1, val=500)
    window.tabs.setCurrentIndex(1)
    assert train(qtbot, window) == "finished"
    assert window.state.start.class_names == ("not 0", "0")
    confusion = window.tabs.confusion.confusion
    assert confusion.shape == (2, 2) and confusion.sum() == 500
    assert window.tabs.report.rowCount() == 2 + 3
    weights = window.tabs.weights
    assert weights.tiles.shape == (1, 28, 28) and weights.kind == "output unit"
    # the single 28x28 tile fills the pane: each weight at least 8 screen pixels wide
    def tile_side():
        rect = weights.graphics.mapFromScene(weights.image.sceneBoundingRect()).boundingRect()
        return min(rect.width(), rect.height())
    qtbot.waitUntil(lambda: tile_side() >= 8 * 28, timeout=2000)   # once the posted layout ran
    window.redraw.show_misclassified()
    predictions = window.state.last_epoch.val_predictions
    wrong = int(np.sum(predictions != window.state.start.val_labels))
    assert wrong > 0 and window.tabs.gallery.list.count() == min(wrong, MAX_EXAMPLES)


def test_gradient_speed_panel_measures_in_a_thread(qtbot):
    window = make_window(qtbot, digits(), hidden_sizes=(32,))
    window.actions["gradient_speed"].trigger()
    dialog = window.gradient_dialog
    with qtbot.waitSignal(dialog.measured, timeout=20000) as blocker:
        pass
    result = blocker.args[0]
    assert result["n_params"] == (64 + 1) * 32 + (32 + 1) * 10
    assert result["backprop_seconds"] > 0 and result["numerical_seconds"] > 0 and result["speedup"] > 1
    assert dialog.values["params"].text() == f"{result['n_params']:,}"
    assert "times faster" in dialog.values["speedup"].text()
    assert "two forward passes per parameter" in dialog.explanation.text()
    assert dialog.isVisible() and dialog.wait(3000)


def test_the_cnn_preset_trains_in_the_window_and_shows_its_filters(qtbot, small_mnist, tmp_path):
    window = preset_window(qtbot, "cnn", small_mnist, iterations=12, val=500)
    assert train(qtbot, window, timeout=60000) == "finished"
    network = window.state.network
    assert network.layers_text == PRESETS["cnn"].config.layers and network.first_layer_kind == "conv"
    view = window.tabs.conv_filters          # the Weights tab shows the conv filters view
    assert window.tabs.weights_pane.currentIndex() == 1
    filters = network.conv_filters()
    assert view.layer_combo.count() == len(filters) == 2
    np.testing.assert_array_equal(view.tiles, filters[0][1])   # (8, 1, 5, 5), the first layer shown
    assert window.tabs.confusion.confusion.sum() == 500
    window.tabs.setCurrentIndex(1)                       # the Weights tab
    qtbot.wait(20)
    assert window.grab().save(str(tmp_path / "cnn_window.png"))
