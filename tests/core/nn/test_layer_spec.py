"""The compact layer list: parsing, formatting, and describe_stack's shapes, counts and errors."""
import pytest

from core.errors import ConfigError
from core.nn.layer_spec import LayerSpec, describe_stack, format_layers, parse_layers, with_output_units
from core.nn.network import Network


def test_parse_and_format_round_trip():
    text = "conv16x5,pool2,conv32x5v,pool3,dropout0.25,dense128,flatten,dense10"
    specs = parse_layers(text)
    assert specs[0] == LayerSpec("conv", 16, 5, "same")
    assert specs[2] == LayerSpec("conv", 32, 5, "valid")
    assert specs[3] == LayerSpec("pool", 3) and specs[4] == LayerSpec("dropout", rate=0.25)
    assert format_layers(specs) == text
    assert parse_layers(" Conv8x3 , POOL , dense10 ") == [LayerSpec("conv", 8, 3), LayerSpec("pool", 2),
                                                          LayerSpec("dense", 10)]


def test_describe_stack_shapes_parameters_and_multiply_adds():
    rows = describe_stack("conv16x5,pool2,conv32x5,pool2,dense128,dense10")
    assert [r.name for r in rows] == ["conv1", "pool1", "conv2", "pool2", "dense1", "output"]
    assert [r.shape_text for r in rows] == ["28x28x16", "14x14x16", "14x14x32", "7x7x32", "128", "10"]
    assert [r.n_params for r in rows] == [16 * 26, 0, 32 * (16 * 25 + 1), 0, (1568 + 1) * 128, 129 * 10]
    assert rows[0].mult_adds == 28 * 28 * 16 * 25 and rows[2].mult_adds == 14 * 14 * 32 * 400
    assert rows[4].mult_adds == 1568 * 128
    # the counts are the network's own
    net = Network.from_layers("conv16x5,pool2,conv32x5,pool2,dense128,dense10", (28, 28, 1))
    assert sum(r.n_params for r in rows) == sum(p.size for p in net.params)
    lenet = describe_stack("conv6x5,pool2,conv16x5v,pool2,dense120,dense84,dense10")
    assert [r.shape_text for r in lenet][:4] == ["28x28x6", "14x14x6", "10x10x16", "5x5x16"]


@pytest.mark.parametrize("text,message", [
    ("", "empty"),
    ("conv16x5,pool2", "must be the dense output layer"),
    ("conv8x5,pool2,pool2,pool2,pool2,pool2,dense10", "cannot pool a 1x1 map"),
    ("dense64,conv8x3,dense10", "flat vector"),
    ("conv8x4,dense10", "odd kernel"),
    ("conv8x29v,dense10", "does not fit a 28x28 map"),
    ("dropout1.5,dense10", "below 1"),
    ("dense0", "at least 1"),
    ("conv16x5,poool2,dense10", "layer 2 'poool2' is not understood"),
])
def test_invalid_stacks_are_explained(text, message):
    with pytest.raises(ConfigError, match=message):
        describe_stack(text, (28, 28, 1))


def test_flat_inputs_allow_only_dense_stacks():
    assert describe_stack("dense5,dense2", (10,))[-1].output_shape == (2,)
    with pytest.raises(ConfigError, match="flat vector"):
        describe_stack("conv4x3,dense2", (10,))


def test_with_output_units_resizes_only_a_dense_output_layer_and_keeps_the_rest():
    assert with_output_units("conv8x5,pool2,conv16x5v,pool2,dense64,dense3", 10) == (
        "conv8x5,pool2,conv16x5v,pool2,dense64,dense10", "dense3")
    assert with_output_units("conv8x5, pool2, dense10", 10) is None        # it fits already
    assert with_output_units("", 3) is None                                 # the MLP sizes its own
    assert with_output_units("conv8x5,pool2", 3) is None                    # no output layer to resize
    with pytest.raises(ConfigError):
        with_output_units("conv8x5,pool2,densefoo", 3)
