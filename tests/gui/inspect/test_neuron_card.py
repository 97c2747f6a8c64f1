"""The neuron card with real widgets, real MNIST, networks trained in the test, real workers."""
import dataclasses

import numpy as np
import pytest

from core.analysis.neuron import NeuronLab
from core.settings.config import TrainConfig
from gui.inspect.neuron_card import NeuronCardWindow
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def open_card(qtbot, context, layer, unit):
    card = NeuronCardWindow(lambda: context)
    qtbot.addWidget(card)
    with qtbot.waitSignal(card.shown, timeout=30000):
        card.open_card(layer, unit)
        assert card.jobs.busy          # computed in a worker, not on the GUI thread
    return card


def test_clicking_a_weight_tile_opens_that_units_card(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, hidden_sizes=(24,), epochs=1, batch_size=64, learning_rate=0.1,
                         val_split=0.2, track_test=False)
    with qtbot.waitSignal(window.run_finished, timeout=120000):
        window.start_training()
    qtbot.waitUntil(lambda: not window.inspect.map.pca_jobs.busy, timeout=30000)
    window.tabs.setCurrentIndex(1)
    assert window.tabs.weights.tiles.shape[0] == 24
    window.tabs.weights.select_unit(7)                  # what a click on tile 7 does
    card = window.inspect.card
    assert card is not None and card.isVisible()
    qtbot.waitUntil(lambda: card.data is not None, timeout=30000)
    data = card.data
    assert (data.card.layer, data.card.unit) == (1, 7)
    np.testing.assert_allclose(data.card.incoming, window.state.network.params[0][:, 7])
    assert [bool(t.picture.pixmap() and not t.picture.pixmap().isNull()) for t in card.top_tiles] == [True] * 9
    assert all(t.caption.text() for t in card.top_tiles + card.bottom_tiles)
    # the top tiles show the most active images, best first, with their digit and activation
    digits = data.digits
    first = data.card.top[0]
    assert card.top_tiles[0].caption.text() == f"{digits[first]} · {data.card.activations[first]:.2f}"
    heights = card.mean_bars.opts["height"]
    assert len(heights) == 10
    np.testing.assert_allclose(heights, np.nan_to_num(data.mean_per_digit))
    assert len(card.outgoing_bars.opts["height"]) == 10      # to the 10 output units
    assert "Layer 1" in card.title.text() and "unit 7" in card.title.text()
    assert "%" in card.status.text()
    window.close()


def test_silencing_a_unit_without_outgoing_weights_changes_nothing(qtbot, trained_context):
    network = trained_context.network.copy()
    network.params[2][5, :] = 0                  # W2 row 5: unit 5 reaches no output
    context = dataclasses.replace(trained_context, network=network)
    card = open_card(qtbot, context, 1, 5)
    card.silence_button.setChecked(True)
    data = card.data
    assert data.changed == 0 and data.accuracy_after == data.accuracy_before
    np.testing.assert_array_equal(data.per_digit_after, data.per_digit_before)
    np.testing.assert_array_equal(card.accuracy_after.opts["height"], card.accuracy_before.opts["height"])
    assert card.accuracy_after.isVisible()
    assert "0 predictions change" in card.accuracy_label.text()


def test_silencing_a_strong_unit_changes_accuracy_and_both_numbers_are_shown(qtbot, trained_context):
    lab = NeuronLab(trained_context.network, trained_context.images, trained_context.task_labels)
    effects = [len(lab.ablate(1, unit).changed) for unit in range(32)]
    strong = int(np.argmax(effects))
    assert effects[strong] > 0
    card = open_card(qtbot, trained_context, 1, strong)
    data = card.data
    assert data.changed == effects[strong]
    assert data.accuracy_after != data.accuracy_before
    # as it is: one bar per digit, no "after" bars
    assert not card.accuracy_after.isVisible()
    assert f"{100 * data.accuracy_before:.2f}%" in card.accuracy_label.text()
    card.silence_button.setChecked(True)
    text = card.accuracy_label.text()
    assert f"{100 * data.accuracy_before:.2f}%" in text and f"{100 * data.accuracy_after:.2f}%" in text
    assert card.accuracy_after.isVisible()
    np.testing.assert_allclose(card.accuracy_after.opts["height"], 100 * np.nan_to_num(data.per_digit_after))
    assert not np.array_equal(data.per_digit_after, data.per_digit_before)
    card.silence_button.setChecked(False)                # switched back
    assert not card.accuracy_after.isVisible()
    assert "Silence this unit" == card.silence_button.text()


def test_a_dead_unit_is_said_plainly(qtbot, trained_context):
    network = trained_context.network.copy()
    network.params[0][:, 3] = 0
    network.params[1][..., 3] = -1.0                     # ReLU(-1) = 0 for every image
    card = open_card(qtbot, dataclasses.replace(trained_context, network=network), 1, 3)
    assert card.data.card.dead
    assert card.status.text().startswith("Dead unit")


def test_the_card_refreshes_after_another_epoch(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, hidden_sizes=(16,), epochs=2, batch_size=64, learning_rate=0.1,
                         val_split=0.2, track_test=False)
    window.tabs.setCurrentIndex(1)
    opened = []

    def on_snapshot(snapshot):
        if snapshot.kind == "epoch" and not opened:
            opened.append(window.inspect.open_card(1, 2))

    window.snapshot_received.connect(on_snapshot)
    with qtbot.waitSignal(window.run_finished, timeout=120000):
        window.start_training()
    card = opened[0]
    qtbot.waitUntil(lambda: card.data is not None and "epoch 2" in card.data.source and not card.busy,
                    timeout=30000)
    assert "epoch 2" in card.title.text()
    np.testing.assert_allclose(card.data.card.incoming, window.state.network.params[0][:, 2])
    window.close()


def test_the_card_and_the_map_work_on_a_loaded_model(qtbot, small_mnist, tmp_path):
    from core.files.model_io import model_metadata, save_model
    from core.training.minibatch import Trainer
    from gui.shell.file_actions import open_model
    quick = TrainConfig(hidden_sizes=(32,), epochs=1, batch_size=64, learning_rate=0.1, val_split=0.2)
    trainer = Trainer.from_dataset(quick, small_mnist)
    for _ in trainer.run():
        pass
    path = tmp_path / "mine.npz"
    save_model(path, trainer.network, model_metadata(trainer.network, (28, 28), small_mnist.class_names,
                                                     config=quick.to_dict()))
    window = make_window(qtbot, small_mnist)
    assert open_model(window, str(path)) is not None
    window.tabs.setCurrentIndex(1)
    window.tabs.weights.select_unit(4)
    card = window.inspect.card
    qtbot.waitUntil(lambda: card.data is not None and not card.busy, timeout=30000)
    assert card.data.source == "mine.npz" and "mine.npz" in card.title.text()
    np.testing.assert_allclose(card.data.card.incoming, trainer.network.params[0][:, 4])
    assert card.data.accuracy_before == pytest.approx(
        np.mean(trainer.network.predict(trainer.val_images.reshape(len(trainer.val_labels), -1) / 255.0)
                == trainer.val_labels), abs=1e-9)
    view = window.inspect.map
    view.n_points = 200
    with qtbot.waitSignal(view.map_ready, timeout=30000):
        window.tabs.setCurrentWidget(view)
    assert "mine.npz" in view.explain.text()
    window.close()
