"""Neuron cards: ablation changes exactly the predictions that depend on the unit, for dense and
conv layers (checked against a network whose outgoing weights of the unit are zeroed)."""
import numpy as np
import pytest

from core.analysis.neuron import NeuronLab, weights_version
from core.analysis.probe import hidden_layer
from core.data.normalise import to_float
from core.errors import DigitLabError
from core.nn.layers import Conv2D, Dense


def predictions(network, images):
    return network.predict(to_float(images, dtype=network.dtype))


def without_outgoing(network, layer_index, unit, per_channel=None):
    """A copy of network where the parameter layer after ``layer_index`` ignores unit ``unit``."""
    copy = network.copy()
    following = next(l for l in copy.layers[layer_index + 1:] if isinstance(l, (Dense, Conv2D)))
    W = following.params[0]
    if isinstance(following, Conv2D):
        W[:, unit] = 0
    elif per_channel:                       # a dense layer reading flattened maps (C, H, W)
        W[unit * per_channel:(unit + 1) * per_channel] = 0
    else:
        W[unit] = 0
    return copy


def test_ablation_matches_the_network_without_the_unit(small_mlp, validation):
    images, labels = validation
    lab = NeuronLab(small_mlp, images, labels)
    base = predictions(small_mlp, images)
    assert np.array_equal(lab.predictions(), base)
    seen_change = False
    for unit in range(0, 32, 3):
        ablation = lab.ablate(1, unit)
        expected = predictions(without_outgoing(small_mlp, 0, unit), images)
        changed = np.flatnonzero(expected != base)
        assert np.array_equal(ablation.changed, changed), unit
        assert np.array_equal(ablation.predicted_after, expected[changed])
        assert ablation.accuracy_after == pytest.approx(np.mean(expected == labels))
        per_class = [np.mean(expected[labels == d] == d) for d in range(10)]
        assert np.allclose(ablation.per_class_after, per_class)
        seen_change |= len(changed) > 0
    assert seen_change, "some unit of a trained network should matter for some image"


def test_a_unit_with_zero_outgoing_weights_changes_nothing(small_mlp, validation):
    images, labels = validation
    network = without_outgoing(small_mlp, 0, 7)
    ablation = NeuronLab(network, images, labels).ablate(1, 7)
    assert len(ablation.changed) == 0
    assert ablation.accuracy_after == ablation.accuracy_before
    assert np.array_equal(ablation.per_class_after, ablation.per_class_before)


def test_card_contents(small_mlp, validation):
    images, labels = validation
    card = NeuronLab(small_mlp, images, labels).card(1, 4)
    x = to_float(images)
    activation = np.maximum(x @ small_mlp.params[0][:, 4] + small_mlp.params[1][4], 0)
    assert np.allclose(card.activations, activation, atol=1e-4)
    assert card.activations[card.top].min() >= np.sort(activation)[-9] - 1e-4
    assert card.activations[card.bottom].max() <= np.sort(activation)[8] + 1e-4
    assert np.allclose(card.mean_per_class, [activation[labels == d].mean() for d in range(10)], atol=1e-4)
    assert card.silent_share == pytest.approx(np.mean(activation <= 1e-6), abs=1e-3)
    assert np.array_equal(card.incoming_image, small_mlp.params[0][:, 4].reshape(28, 28))
    assert np.array_equal(card.outgoing, small_mlp.params[2][4])


def test_dead_unit_is_flagged_and_new_weights_refresh_the_cache(small_mlp, validation):
    images, labels = validation
    lab = NeuronLab(small_mlp, images, labels)
    assert not lab.card(1, 2).dead
    dead = small_mlp.copy()
    dead.params[0][:, 2] = 0
    dead.params[1][2] = -1.0
    assert weights_version(dead) != weights_version(small_mlp)
    lab.set_network(dead)
    card = lab.card(1, 2)
    assert card.dead and card.silent_share == 1.0
    assert len(card.ablation.changed) == 0


def test_conv_channels_ablate_like_zeroed_filters(small_cnn, validation):
    images, labels = validation[0][:500], validation[1][:500]
    lab = NeuronLab(small_cnn, images, labels)
    base = predictions(small_cnn, images)
    conv_indices = [i for i, l in enumerate(small_cnn.layers) if isinstance(l, Conv2D)]
    flat_size = 7 * 7                     # one 7x7 map of the last conv layer after pooling
    total_changed = 0
    for layer, index, channels in ((1, conv_indices[0], 4), (2, conv_indices[1], 6)):
        for unit in range(channels):
            ablation = lab.ablate(layer, unit)
            expected = predictions(without_outgoing(small_cnn, index, unit, per_channel=flat_size if layer == 2 else None),
                                   images)
            assert np.array_equal(ablation.changed, np.flatnonzero(expected != base)), (layer, unit)
            total_changed += len(ablation.changed)
    assert total_changed > 0
    card = lab.card(1, 3)
    assert card.is_conv and card.incoming.shape == (1, 5, 5)
    assert np.array_equal(card.incoming, small_cnn.layers[conv_indices[0]].params[0][3])
    assert card.outgoing.shape == (6, 3, 3)


def test_bad_layer_or_unit_is_a_clear_error(small_mlp, validation):
    lab = NeuronLab(small_mlp, *validation)
    with pytest.raises(DigitLabError, match="hidden layers are numbered 1 to 1"):
        lab.card(2, 0)
    with pytest.raises(DigitLabError, match="units 0 to 31"):
        lab.card(1, 32)


@pytest.mark.parametrize("network_name", ["small_mlp", "small_cnn"])
def test_the_layer_summary_agrees_with_every_units_card(network_name, validation, request):
    network = request.getfixturevalue(network_name)
    images, labels = validation[0][:500], validation[1][:500]
    lab = NeuronLab(network, images, labels)
    for layer in range(1, len(network.weights)):
        summary = lab.layer_summary(layer)
        cards = [lab.card(layer, unit) for unit in range(len(summary.mean_activation))]
        assert summary.layer == layer and summary.n_images == 500
        assert summary.is_conv == cards[0].is_conv == (network_name == "small_cnn")
        np.testing.assert_allclose(summary.mean_activation, [c.activations.mean() for c in cards], rtol=1e-6)
        np.testing.assert_array_equal(summary.silent_share, [c.silent_share for c in cards])
        np.testing.assert_array_equal(summary.dead, [c.dead for c in cards])



@pytest.mark.parametrize("network_name", ["small_mlp", "two_hidden_mlp", "small_cnn"])
def test_the_fast_ablation_equals_the_reference_for_every_unit(network_name, validation, request):
    """Taking the unit's term out of the next layer's cached output (dense -> dense, conv -> conv,
    conv -> flatten -> dense) gives the predictions of re-running every layer above."""
    network = request.getfixturevalue(network_name)
    images, labels = validation[0][:600], validation[1][:600]
    lab = NeuronLab(network, images, labels)
    total_changed = 0
    for layer in range(1, len(network.weights)):
        for unit in range(hidden_layer(network, layer).units):
            fast, reference = lab.ablate(layer, unit), lab.ablate_reference(layer, unit)
            np.testing.assert_array_equal(fast.changed, reference.changed, err_msg=f"layer {layer} unit {unit}")
            np.testing.assert_array_equal(fast.predicted_after, reference.predicted_after)
            assert fast.accuracy_after == reference.accuracy_after
            total_changed += len(fast.changed)
    assert total_changed > 0, "silencing some unit must change some prediction"


def test_one_pass_caches_every_layer_and_a_small_budget_only_the_one_asked_for(small_cnn, validation):
    images, labels = validation[0][:300], validation[1][:300]
    lab = NeuronLab(small_cnn, images, labels)
    first = lab.card(2, 1)
    assert lab.cached_layers == [1, 2]                  # the layer asked for and the others, one pass
    small = NeuronLab(small_cnn, images, labels)
    small.keep_all_bytes = 0
    again = small.card(2, 1)
    assert small.cached_layers == [2]
    np.testing.assert_array_equal(again.activations, first.activations)
    np.testing.assert_array_equal(again.ablation.changed, first.ablation.changed)
    assert small.card(1, 3).ablation.accuracy_after == lab.card(1, 3).ablation.accuracy_after
    assert small.cached_layers == [1, 2]


def test_a_filter_on_several_channels_is_pictured_as_a_grid_of_its_kernels(small_cnn, validation):
    card = NeuronLab(small_cnn, validation[0][:100], validation[1][:100]).card(2, 5)
    kernels = small_cnn.params[2][5]                       # (4 input channels, 3, 3)
    assert card.incoming_image.shape == (7, 7)             # 2x2 kernels of 3x3, 1-pixel NaN gaps
    np.testing.assert_array_equal(card.incoming_image[4:7, 4:7], kernels[3])
    np.testing.assert_array_equal(card.incoming_image[0:3, 4:7], kernels[1])
    assert np.isnan(card.incoming_image[3]).all() and np.isnan(card.incoming_image[:, 3]).all()


def test_new_weights_refill_the_old_arrays_and_give_the_cards_of_a_fresh_lab(small_cnn, validation):
    images, labels = validation[0][:400], validation[1][:400]
    lab = NeuronLab(small_cnn, images, labels)
    lab.card(1, 0)
    changed = small_cnn.copy()
    changed.params[0][2] *= -1.5                  # conv1 filter 2 changes: every layer above changes
    lab.set_network(changed)
    fresh = NeuronLab(changed, images, labels)
    for layer, unit in ((2, 4), (1, 2), (2, 0)):
        card, expected = lab.card(layer, unit), fresh.card(layer, unit)
        np.testing.assert_array_equal(card.activations, expected.activations)
        np.testing.assert_array_equal(card.ablation.changed, expected.ablation.changed)
        assert card.silent_share == expected.silent_share
    np.testing.assert_array_equal(lab.predictions(), fresh.predictions())
