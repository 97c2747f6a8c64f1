"""The unit list (Weights tab): real windows, real MNIST, real mouse clicks on its cells; the cards
it opens are checked against core.analysis.neuron computed directly, and its numbers against
activations computed by hand."""
import numpy as np
import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QApplication

from core.analysis.neuron import NeuronLab
from core.data.normalise import to_float
from core.storage.resources import DEFAULT_MODEL_PATH
from gui.inspect.context import context_from_shown
from gui.shell.file_actions import open_model
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def cell_of(units, unit):
    cells = units.cells
    return next(cells.item(i) for i in range(cells.count()) if cells.item(i).data(Qt.UserRole) == unit)


def click_unit(qtbot, units, unit):
    """A real left click on the cell of ``unit``."""
    item = cell_of(units, unit)
    units.cells.scrollToItem(item)
    rect = units.cells.visualItemRect(item)
    assert units.cells.viewport().rect().contains(rect.center())
    qtbot.mouseClick(units.cells.viewport(), Qt.LeftButton, pos=rect.center())


def show_layer(qtbot, units, number):
    """Choose hidden layer ``number`` and wait until its numbers are drawn."""
    with qtbot.waitSignal(units.summary_shown, timeout=60000,
                          check_params_cb=lambda data: data.summary.layer == number):
        units.select_layer(number)


def wait_for_card(qtbot, window, layer, unit):
    card = window.inspect.card
    assert card is not None and card.isVisible()
    qtbot.waitUntil(lambda: card.data is not None and (card.data.card.layer, card.data.card.unit) == (layer, unit)
                    and not card.busy, timeout=60000)
    return card


def assert_same_card(shown, direct):
    """The card the window shows equals the one core.analysis.neuron computes directly."""
    assert (shown.layer, shown.unit, shown.layer_name, shown.is_conv) == (direct.layer, direct.unit,
                                                                          direct.layer_name, direct.is_conv)
    np.testing.assert_array_equal(shown.incoming, direct.incoming)
    np.testing.assert_array_equal(shown.outgoing, direct.outgoing)
    np.testing.assert_allclose(shown.activations, direct.activations, rtol=1e-6, atol=1e-7)
    np.testing.assert_array_equal(shown.top, direct.top)
    np.testing.assert_array_equal(shown.bottom, direct.bottom)
    assert shown.silent_share == direct.silent_share
    assert shown.ablation.accuracy_after == direct.ablation.accuracy_after
    np.testing.assert_array_equal(shown.ablation.changed, direct.ablation.changed)


def direct_lab(window):
    context = context_from_shown(window.shown_model(), window.dataset)
    return NeuronLab(context.network, context.images, context.task_labels, context.normalisation), context


def test_a_click_on_a_second_layer_unit_opens_its_card(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, hidden_sizes=(32, 16), epochs=1, batch_size=64, learning_rate=0.1,
                         val_split=0.2, track_test=False)
    with qtbot.waitSignal(window.run_finished, timeout=120000):
        window.start_training()
    window.tabs.setCurrentIndex(1)
    units = window.tabs.unit_list
    assert [units.layer_combo.itemText(i) for i in range(units.layer_combo.count())] == [
        "1 · dense1 · 32 units", "2 · dense2 · 16 units"]
    show_layer(qtbot, units, 2)
    assert units.cells.count() == 16

    # the numbers: activations of the second hidden layer computed by hand (float64)
    network = window.state.network
    context = context_from_shown(window.shown_model(), window.dataset)
    W1, b1, W2, b2 = (np.asarray(p, np.float64) for p in network.params[:4])
    x = to_float(context.images, context.normalisation, np.float64)
    second = np.maximum(np.maximum(x @ W1 + b1, 0) @ W2 + b2, 0)                     # (n, 16)
    summary = units.data.summary
    np.testing.assert_allclose(summary.mean_activation, second.mean(axis=0), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(summary.silent_share, (second <= 1e-6).mean(axis=0), atol=2 / len(x))
    unit = 5
    assert f"mean activation {summary.mean_activation[unit]:.3g}" in cell_of(units, unit).toolTip()
    assert "Layer 2 (dense2), 16 units" in units.caption.text()

    click_unit(qtbot, units, unit)
    card = wait_for_card(qtbot, window, 2, unit)
    lab, _ = direct_lab(window)
    direct = lab.card(2, unit)
    assert_same_card(card.data.card, direct)
    np.testing.assert_array_equal(direct.incoming, network.params[2][:, unit])      # W2 column 5
    np.testing.assert_allclose(card.data.card.activations, second[:, unit], rtol=1e-4, atol=1e-5)
    assert "Layer 2 (dense2), unit 5" in card.title.text()
    assert card.data.card.outgoing.shape == (10,)                                  # to the 10 outputs

    # "most active first": the first cell is the unit with the highest mean
    units.order_combo.setCurrentIndex(1)
    assert units.cells.item(0).data(Qt.UserRole) == int(np.argmax(summary.mean_activation))
    first = int(units.cells.item(0).data(Qt.UserRole))
    click_unit(qtbot, units, first)
    card = wait_for_card(qtbot, window, 2, first)
    assert_same_card(card.data.card, lab.card(2, first))

    # the keyboard: arrow to the next cell, Return opens its card
    units.cells.setFocus()
    qtbot.keyClick(units.cells, Qt.Key_Right)
    second = int(units.cells.currentItem().data(Qt.UserRole))
    assert second == int(units.cells.item(1).data(Qt.UserRole))
    qtbot.keyClick(units.cells, Qt.Key_Return)
    card = wait_for_card(qtbot, window, 2, second)
    assert_same_card(card.data.card, lab.card(2, second))
    window.close()


def test_the_loaded_cnn_model_lists_conv_and_dense_layers_and_opens_their_cards(qtbot, mnist):
    window = make_window(qtbot, mnist)         # the shipped model keeps 5,000 training images for validation
    assert open_model(window, str(DEFAULT_MODEL_PATH)) is not None
    window.tabs.setCurrentIndex(1)
    units = window.tabs.unit_list
    conv1, conv2 = (w.shape[0] for w in window.state.network.params[0:4:2])   # the shipped model's filter counts
    assert [units.layer_combo.itemText(i) for i in range(units.layer_combo.count())] == [
        f"1 · conv1 · {conv1} filters", f"2 · conv2 · {conv2} filters", "3 · dense1 · 256 units"]
    lab, _ = direct_lab(window)

    show_layer(qtbot, units, 3)                       # the dense layer after the conv stack
    assert units.cells.count() == 256
    click_unit(qtbot, units, 100)
    card = wait_for_card(qtbot, window, 3, 100)
    assert_same_card(card.data.card, lab.card(3, 100))
    cols = int(np.ceil(np.sqrt(conv2)))               # conv2 maps of 5x5 in a near-square grid, 1-pixel gaps
    rows = int(np.ceil(conv2 / cols))
    assert card.data.card.incoming_image.shape == (rows * 6 - 1, cols * 6 - 1)
    r, c = divmod(6, cols)                            # map 6
    np.testing.assert_array_equal(card.data.card.incoming_image[r * 6:r * 6 + 5, c * 6:c * 6 + 5],
                                  window.state.network.params[4][6 * 25:7 * 25, 100].reshape(5, 5))
    assert card.data.source == "default_model.npz"

    show_layer(qtbot, units, 2)                       # a deeper conv layer: its filters
    summary = units.data.summary
    assert summary.is_conv and len(summary.mean_activation) == conv2
    direct = lab.layer_summary(2)
    np.testing.assert_allclose(summary.mean_activation, direct.mean_activation)
    np.testing.assert_array_equal(summary.silent_share, direct.silent_share)
    click_unit(qtbot, units, 11)
    card = wait_for_card(qtbot, window, 2, 11)
    assert_same_card(card.data.card, lab.card(2, 11))
    np.testing.assert_array_equal(card.data.card.incoming, window.state.network.params[2][11])   # (conv1, 5, 5)
    assert "filter 11" in card.title.text()
    window.close()


def test_dead_units_are_grey_and_struck_through(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, hidden_sizes=(12, 8), epochs=1, batch_size=64, learning_rate=0.1,
                         val_split=0.2, track_test=False)
    with qtbot.waitSignal(window.run_finished, timeout=120000):
        window.start_training()
    network = window.state.network.copy()
    network.params[2][:, 3] = 0
    network.params[3][..., 3] = -1.0                  # layer 2 unit 3: ReLU(-1) = 0 on every image
    window.show_loaded_model(network, window.model_info, "edited.npz")
    window.tabs.setCurrentIndex(1)
    units = window.tabs.unit_list
    show_layer(qtbot, units, 2)
    qtbot.waitUntil(lambda: units.data.source == "edited.npz", timeout=60000)
    dead = units.data.summary.dead
    assert dead[3] and not dead.all()
    # exactly the dead units are struck through and say so
    assert [cell_of(units, u).font().strikeOut() for u in range(8)] == dead.tolist()
    assert ["dead" in cell_of(units, u).toolTip() for u in range(8)] == dead.tolist()
    assert f"{int(dead.sum())} dead" in units.caption.text()
    window.close()


def test_during_training_the_list_follows_the_model_and_opens_cards(qtbot, small_mnist):
    # many epochs: the run must still be going when the first epoch's snapshot reaches the window
    window = make_window(qtbot, small_mnist, hidden_sizes=(24, 12), epochs=100, batch_size=64, learning_rate=0.1,
                         val_split=0.2, track_test=False)
    window.tabs.setCurrentIndex(1)
    units = window.tabs.unit_list
    units.select_layer(2)

    def pause_after_the_first_epoch(snapshot):
        if snapshot.kind == "epoch" and snapshot.epoch == 0 and not window.training.is_paused:
            window.toggle_pause()

    window.snapshot_received.connect(pause_after_the_first_epoch)
    window.start_training()
    qtbot.waitUntil(lambda: window.training.is_paused and window.training.control.waiting, timeout=120000)
    QApplication.processEvents()          # what the loop posted before it held
    assert window.is_training
    qtbot.waitUntil(lambda: units.data is not None and units.network is window.state.network
                    and not units.jobs.busy, timeout=60000)
    assert units.data.source == f"model being trained, epoch {window.state.network_epoch}"
    assert units.layer == 2 and units.cells.count() == 12
    click_unit(qtbot, units, 7)
    card = wait_for_card(qtbot, window, 2, 7)
    assert card.data.source == units.data.source
    lab, _ = direct_lab(window)
    assert_same_card(card.data.card, lab.card(2, 7))
    shown = units.data.source
    window.toggle_pause()                 # resumed: the list follows the next epochs
    qtbot.waitUntil(lambda: units.data.source != shown and not units.jobs.busy, timeout=60000)
    # the model being trained, or (on a busy machine the 100 epochs may be over by now) the run's last
    assert units.data.source.startswith(("model being trained, epoch ", "last run's model ("))
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        window.stop_training()
    window.close()
