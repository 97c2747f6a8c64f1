"""The card and the map on a convolutional network trained in the window on real MNIST."""
import numpy as np
import pytest

from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def test_a_filter_tile_opens_the_filters_card_and_the_map_uses_the_conv_layer(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, layers="conv4x5,pool2,dense10", epochs=1, batch_size=64,
                         learning_rate=0.05, val_split=0.2, track_test=False)
    with qtbot.waitSignal(window.run_finished, timeout=180000):
        window.start_training()
    window.tabs.setCurrentIndex(1)
    assert window.tabs.conv_filters.tiles.shape == (4, 1, 5, 5)     # 4 filters x 1 input channel
    window.tabs.conv_filters.select_filter(0, 2)
    card = window.inspect.card
    qtbot.waitUntil(lambda: card.data is not None and not card.busy, timeout=60000)
    data = card.data.card
    assert data.is_conv and (data.layer, data.unit) == (1, 2)
    np.testing.assert_allclose(data.incoming, window.state.network.params[0][2])   # (1, 5, 5) kernel
    assert card.incoming_image.image.shape == (5, 5)
    assert card.outgoing_stack.currentIndex() == 1                 # per-position maps, as an image
    assert len(card.mean_bars.opts["height"]) == 10
    assert "filter 2" in card.title.text()
    view = window.inspect.map
    view.n_points = 300
    with qtbot.waitSignal(view.map_ready, timeout=60000):
        window.tabs.setCurrentWidget(view)
    assert view.layer_combo.currentText().startswith("1: conv")
    assert view.data.features.shape == (300, 4 * 14 * 14)
    assert len(view.points()[0]) == 300
    window.close()
