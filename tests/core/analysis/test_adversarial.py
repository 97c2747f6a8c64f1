"""Fool it: the network answers the target, within the bound, with valid pixels."""
import numpy as np
import pytest

from core.analysis.adversarial import fool
from core.data.normalise import to_float
from core.errors import DigitLabError
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH


def check_result(network, x, result, bound, norm):
    assert result.success
    assert network.predict(result.model_input[None])[0] == result.target == result.answer_after
    assert result.image.shape == result.change.shape == (28, 28)
    assert result.image.min() >= 0 and result.image.max() <= 1
    assert np.allclose(result.change, result.image - x.reshape(result.image.shape))
    size = result.linf if norm == "linf" else result.l2
    assert size <= bound + 1e-6
    assert result.l2 == pytest.approx(np.linalg.norm(result.change))
    assert result.pixels_changed == np.count_nonzero(np.abs(result.change) >= 1 / 255 - 1e-9)
    assert result.probabilities_after[result.target] == result.probabilities_after.max()


@pytest.mark.parametrize("which", ["mlp", "cnn"])
@pytest.mark.parametrize("norm, bound", [("linf", 0.3), ("l2", 5.0)])
def test_fool_reaches_the_target_within_the_bound(which, norm, bound, small_mlp, small_cnn, mnist):
    network = small_mlp if which == "mlp" else small_cnn
    x = to_float(mnist.test_images[:4], dtype=np.float64)
    predicted = network.predict(x)
    for k in range(4):
        target = (int(predicted[k]) + 3) % 10
        result = fool(network, x[k], target, norm=norm, bound=bound, max_steps=300)
        assert result.answer_before == predicted[k]
        check_result(network, x[k], result, bound, norm)


def test_default_model_and_minus_one_one_inputs(small_mlp, mnist):
    network, metadata = load_model(DEFAULT_MODEL_PATH)      # the shipped CNN (canvas preset)
    x01 = to_float(mnist.test_images[:1], dtype=np.float64)[0]
    result = fool(network, x01, 3)
    check_result(network, x01, result, 0.3, "linf")
    # the same image in [-1, 1] model units: bounds and sizes stay in pixel units. The rescaling
    # folds into an MLP's first layer exactly (a 'same' convolution's zero padding would not), so
    # this half uses the small MLP.
    scaled = small_mlp.copy()
    scaled.params[1][...] = small_mlp.params[1] + 0.5 * small_mlp.params[0].sum(axis=0)   # W(x/2+1/2)+b
    scaled.params[0][...] = small_mlp.params[0] / 2
    x11 = x01 * 2 - 1
    other = fool(scaled, x11, 3, normalisation="minus_one_one")
    assert other.success and other.linf <= 0.3 + 1e-6
    assert other.model_input.min() >= -1 and other.model_input.max() <= 1


def test_a_tiny_budget_fails_honestly(small_mlp, mnist):
    x = to_float(mnist.test_images[:1], dtype=np.float64)[0]
    result = fool(small_mlp, x, (int(small_mlp.predict(x[None])[0]) + 1) % 10, bound=0.002, max_steps=20)
    assert not result.success and result.steps == 20
    assert result.linf <= 0.002 + 1e-9


def test_bad_target_is_a_clear_error(small_mlp):
    with pytest.raises(DigitLabError, match="target 10"):
        fool(small_mlp, np.zeros(784), 10)


def test_a_model_read_with_test_time_turns_is_fooled_as_it_is_read(mnist):
    """The shipped model averages three turned views: the change must fool that reading, which a
    change found on one view alone need not."""
    from core.drawing.test_time import read_proba, turns_of
    network, metadata = load_model(DEFAULT_MODEL_PATH)
    turns = turns_of(metadata)
    assert turns > 0
    x01 = to_float(mnist.test_images[:1], dtype=np.float64)[0]
    result = fool(network, x01, 3, turns=turns)
    assert result.success and result.linf <= 0.3 + 1e-6
    read = read_proba(network, metadata, result.model_input[None, :])[0]
    assert int(np.argmax(read)) == 3
    np.testing.assert_allclose(result.probabilities_after, read, rtol=1e-5, atol=1e-7)
