"""The invariance plot with real widgets, real MNIST, real model files and real worker threads."""
import dataclasses

import numpy as np
import pytest

from core.data.transforms import subsample
from core.files.model_io import model_metadata, save_model
from core.settings.config import TrainConfig
from core.evaluation.evaluate import evaluate_network
from core.training.minibatch import Trainer
from core.training.trainers import make_trainer
from core.training.snapshots import validation_set
from gui.views.invariance_view import CURRENT, InvarianceView
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")

QUICK = TrainConfig(hidden_sizes=(32,), epochs=1, batch_size=64, learning_rate=0.1, val_split=0.2,
                    schedule="constant")


@pytest.fixture(scope="module")
def small_mnist(mnist):
    return subsample(mnist, 5000, 500, seed=1)


@pytest.fixture(scope="module")
def trained(small_mnist):
    """(network, metadata, validation images (n, 28, 28), digit labels) of a quick 784-32-10 run."""
    trainer = Trainer.from_dataset(QUICK, small_mnist)
    for _ in trainer.run():
        pass
    metadata = model_metadata(trainer.network, (28, 28), small_mnist.class_names, config=QUICK.to_dict())
    images, labels = validation_set(trainer, small_mnist)
    return trainer.network, metadata, images, labels


def make_view(qtbot):
    view = InvarianceView()
    qtbot.addWidget(view)
    view.resize(1000, 340)
    view.show()
    return view


def finish(qtbot, view):
    qtbot.waitUntil(lambda: not view.busy, timeout=60000)


def test_compute_runs_in_a_worker_and_fills_both_plots(qtbot, trained):
    network, metadata, images, labels = trained
    view = make_view(qtbot)
    view.set_current_model(network, metadata, images, labels, name="current model (epoch 1)")
    assert "press Compute" in view.status.text()
    with qtbot.waitSignal(view.measured, timeout=60000) as signal:
        view.compute()
        assert view.jobs.active.handle.thread.isRunning()   # measured off the GUI thread
    assert signal.args == [CURRENT]
    finish(qtbot, view)
    curves = view.curves()
    entry = view._entries[CURRENT]
    x, y = entry.horizontal.getData()
    np.testing.assert_array_equal(x, np.arange(-6, 7))
    np.testing.assert_array_equal(y, curves.horizontal)
    assert len(entry.vertical.getData()[1]) == 13 and len(entry.rotation.getData()[1]) == 19
    # the validation images are all of them here (fewer than 2,000): the unmoved point is the
    # plain validation accuracy, and six pixels away a dense network has lost most of it
    plain = evaluate_network(network, images, labels, metadata["class_names"])["accuracy"]
    assert curves.n_images == len(labels)
    assert y[6] == pytest.approx(plain, abs=1e-12)
    assert max(y[0], y[-1]) < 0.6 * y[6]
    assert view.legend_names() == ["current model (epoch 1)"]
    commonest = np.bincount(labels).max() / len(labels)   # the dotted "chance" line
    assert [line.value() for line in view.chance_lines] == [pytest.approx(commonest)] * 2
    assert f"{100 * plain:.1f}% unmoved" in view.status.text()
    assert view.shift_plot.getPlotItem().getAxis("bottom").labelText.startswith("shift (pixels)")
    assert view.rotation_plot.getPlotItem().getAxis("bottom").labelText.startswith("rotation (degrees")
    assert view.shift_plot.getPlotItem().viewRange()[1] == pytest.approx([-0.06, 1.06])


def test_a_saved_model_is_overlaid_with_its_name_in_the_legend(qtbot, trained, small_mnist, tmp_path):
    network, metadata, images, labels = trained
    other = Trainer.from_dataset(dataclasses.replace(QUICK, hidden_sizes=(16,), seed=3), small_mnist)
    for _ in other.run():
        pass
    path = tmp_path / "narrow-dense.npz"
    save_model(path, other.network, model_metadata(other.network, (28, 28), small_mnist.class_names))
    view = make_view(qtbot)
    view.set_current_model(network, metadata, images, labels, name="current model (epoch 1)")
    view.compute()
    view.add_model_file(path)   # queued behind the first measurement
    finish(qtbot, view)
    assert view.legend_names() == ["current model (epoch 1)", "narrow-dense.npz"]
    saved, current = view.curves(str(path)), view.curves()
    assert saved is not None and not np.array_equal(saved.rotation, current.rotation)
    entry = view._entries[str(path)]
    np.testing.assert_array_equal(entry.rotation.getData()[1], saved.rotation)
    assert entry.rotation.opts["pen"].color() != view._entries[CURRENT].rotation.opts["pen"].color()
    view.clear()
    assert view.legend_names() == [] and view.curves() is None
    assert not view.rotation_plot.getPlotItem().listDataItems()


def test_a_corrupt_model_file_gives_a_message_and_the_view_stays_usable(qtbot, trained, tmp_path):
    network, metadata, images, labels = trained
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 not really a zip archive")
    view = make_view(qtbot)
    view.set_current_model(network, metadata, images, labels)
    with qtbot.waitSignal(view.job_failed, timeout=30000) as signal:
        view.add_model_file(bad)
    assert "broken.npz" in signal.args[0] and "not a DigitLab model file" in signal.args[0]
    assert view.status.text() == signal.args[0] and "b3261e" in view.status.styleSheet()
    assert view.legend_names() == []
    with qtbot.waitSignal(view.measured, timeout=60000):
        view.compute()
    finish(qtbot, view)
    assert view.legend_names() == ["current model"] and view.status.styleSheet() == ""


def test_a_model_for_other_images_is_refused_with_both_sizes(qtbot, trained, digits, tmp_path):
    network, metadata, images, labels = trained
    small = Trainer.from_dataset(dataclasses.replace(QUICK, val_split=0.1), digits)
    for _ in small.run():
        pass
    path = tmp_path / "digits-8x8.npz"
    save_model(path, small.network, model_metadata(small.network, (8, 8), digits.class_names))
    view = make_view(qtbot)
    view.set_current_model(network, metadata, images, labels)
    with qtbot.waitSignal(view.job_failed, timeout=30000) as signal:
        view.add_model_file(path)
    assert "digits-8x8.npz" in signal.args[0] and "8x8" in signal.args[0] and "28x28" in signal.args[0]


def test_without_a_model_the_buttons_explain_what_is_missing(qtbot, tmp_path):
    view = make_view(qtbot)
    view.compute_button.click()
    assert "train one or open a model" in view.status.text() and not view.busy
    view.add_model_file(tmp_path / "model.npz")
    assert "train or open one first" in view.status.text() and not view.busy


def test_update_at_every_epoch_remeasures_the_new_weights(qtbot, trained):
    network, metadata, images, labels = trained
    view = make_view(qtbot)
    view.set_current_model(network, metadata, images, labels, name="epoch 1")
    with qtbot.waitSignal(view.measured, timeout=60000):
        view.compute()
    finish(qtbot, view)
    first = view.curves()
    changed = network.copy()
    changed.params[0][:] *= -1   # other weights: other curves
    view.set_current_model(changed, metadata, images, labels, name="epoch 2")
    assert not view.busy and "has changed" in view.status.text()
    view.auto_check.setChecked(True)
    with qtbot.waitSignal(view.measured, timeout=60000):
        view.set_current_model(changed, metadata, images, labels, name="epoch 2")
    finish(qtbot, view)
    assert view.legend_names() == ["epoch 2"]
    assert not np.array_equal(view.curves().horizontal, first.horizontal)


def test_binary_runs_keep_the_digits_for_other_models(small_mnist):
    config = dataclasses.replace(QUICK, positive_class=3, output="sigmoid")
    trainer = make_trainer(config, small_mnist)
    images, labels = validation_set(trainer, small_mnist)
    assert set(np.unique(trainer.val_labels)) == {0, 1}
    assert set(np.unique(labels)) == set(range(10))
    np.testing.assert_array_equal(labels == 3, trainer.val_labels == 1)
    assert images.shape == (len(labels), 28, 28)


def test_the_window_hands_each_epochs_model_to_the_plot(qtbot, small_mnist):
    window = make_window(qtbot, dataset=small_mnist, epochs=1, hidden_sizes=(16,), batch_size=64)
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.start_training()
    view = window.tabs.invariance
    qtbot.waitUntil(lambda: "current model (epoch 1)" in view.status.text(), timeout=10000)
    with qtbot.waitSignal(view.measured, timeout=60000):
        view.compute_button.click()
    finish(qtbot, view)
    assert view.legend_names() == ["current model (epoch 1)"]
    assert view.curves().n_images == len(window.model_info.val_labels)


def test_an_opened_model_is_measured_under_its_file_name(qtbot, small_mnist, tmp_path):
    from gui.shell import file_actions
    window = make_window(qtbot, dataset=small_mnist, epochs=1, hidden_sizes=(16,), batch_size=64)
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.start_training()
    path = file_actions.save_model(window, str(tmp_path / "sixteen.npz"))
    window.reset()
    file_actions.open_model(window, path)
    view = window.tabs.invariance
    assert "sixteen.npz: press Compute" in view.status.text()
    with qtbot.waitSignal(view.measured, timeout=60000):
        view.compute_button.click()
    finish(qtbot, view)
    assert view.legend_names() == ["sixteen.npz"]


def test_closing_the_window_mid_measurement_stops_it_and_joins_the_thread(qtbot, small_mnist):
    window = make_window(qtbot, dataset=small_mnist, epochs=1, hidden_sizes=(16,), batch_size=64)
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.start_training()
    view = window.tabs.invariance
    view.compute()
    handle = view.jobs.active.handle
    assert handle.running
    window.close()
    assert handle.wait(0)   # closeEvent cancelled the job and joined its thread
    assert not view.curves()


def test_clear_during_a_measurement_drops_its_curves(qtbot, trained):
    network, metadata, images, labels = trained
    view = make_view(qtbot)
    view.set_current_model(network, metadata, images, labels)
    view.compute()
    view.clear_button.click()
    finish(qtbot, view)
    assert view.curves() is None and view.legend_names() == []
    assert not view.shift_plot.getPlotItem().listDataItems()
    with qtbot.waitSignal(view.measured, timeout=60000):   # and it measures again afterwards
        view.compute()
    finish(qtbot, view)
    assert view.legend_names() == ["current model"]
