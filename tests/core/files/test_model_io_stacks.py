"""Model files record the layer stack; files saved by earlier versions still load."""
import io
import json

import numpy as np
import pytest

from core.data.normalise import to_float
from core.errors import ModelFileError
from core.files.model_io import load_model, model_metadata, save_model
from core.storage.resources import DEFAULT_MODEL_PATH
from core.nn.network import Network

NAMES = [str(i) for i in range(10)]


def test_a_conv_stack_round_trips(tmp_path):
    net = Network.from_layers("conv4x5,pool2,conv6x3v,dropout0.25,dense12,dense10", (28, 28), "tanh", seed=3)
    path = tmp_path / "cnn.npz"
    save_model(path, net, model_metadata(net, (28, 28), NAMES, config={"layers": "conv4x5,pool2,conv6x3v,"
                                                                                 "dropout0.25,dense12,dense10"}))
    loaded, meta = load_model(path)
    assert meta["version"] == 2
    assert meta["architecture"]["layers"] == "conv4x5,pool2,conv6x3v,dropout0.25,dense12,dense10"
    assert loaded.layers_text == net.layers_text and loaded.activation_name == "tanh"
    assert [p.shape for p in loaded.params] == [p.shape for p in net.params]
    x = np.random.default_rng(0).random((7, 784), dtype=np.float32)
    np.testing.assert_array_equal(loaded.predict_proba(x), net.predict_proba(x))
    assert meta["config"]["layers"].startswith("conv4x5")


def test_fully_connected_models_are_still_written_as_version_1(tmp_path):
    net = Network((64, 12, 10), seed=0)
    meta = model_metadata(net, (8, 8), NAMES)
    assert meta["version"] == 1 and meta["architecture"]["layer_sizes"] == [64, 12, 10]


def write_npz(path, arrays, metadata):
    buffer = io.BytesIO()
    np.savez_compressed(buffer, metadata=np.array(json.dumps(metadata)), **arrays)
    path.write_bytes(buffer.getvalue())


def test_a_file_in_the_old_format_loads(tmp_path):
    """Exactly what version 1 wrote: architecture without 'layers', arrays W1, b1, W2, b2."""
    rng = np.random.default_rng(2)
    arrays = {"W1": rng.standard_normal((64, 12)).astype(np.float32), "b1": rng.standard_normal(12).astype(np.float32),
              "W2": rng.standard_normal((12, 10)).astype(np.float32), "b2": rng.standard_normal(10).astype(np.float32)}
    metadata = {"format": "digitlab-model", "version": 1, "input_shape": [8, 8], "class_names": NAMES,
                "architecture": {"layer_sizes": [64, 12, 10], "activation": "sigmoid", "loss": "cross_entropy",
                                 "output": "softmax", "init": "auto", "init_epsilon": 0.12},
                "normalisation": "zero_one", "config": {"hidden_sizes": [12]}, "history": {}}
    path = tmp_path / "old.npz"
    write_npz(path, arrays, metadata)
    net, meta = load_model(path)
    assert net.layer_sizes == (64, 12, 10) and net.is_mlp
    x = rng.random((4, 64))
    hidden = 1 / (1 + np.exp(-(x @ arrays["W1"] + arrays["b1"])))
    logits = hidden @ arrays["W2"] + arrays["b2"]
    expected = np.exp(logits - logits.max(1, keepdims=True))
    np.testing.assert_allclose(net.predict_proba(x), expected / expected.sum(1, keepdims=True), rtol=1e-4)


def test_the_shipped_default_model_still_loads_and_reads_digits(mnist):
    """The canvas's default model is the `canvas` preset's CNN (scripts/make_default_model.sh)."""
    from core.settings.presets import get_preset
    net, meta = load_model(DEFAULT_MODEL_PATH)
    preset = get_preset("canvas").config
    assert meta["architecture"]["layers"] == preset.layers and meta["input_shape"] == [28, 28]
    assert meta["config"]["augment_elastic_alpha"] == preset.augment_elastic_alpha > 0   # trained augmented
    images, labels = mnist.test_images[:2000], mnist.test_labels[:2000]
    accuracy = np.mean(net.predict(to_float(images.reshape(len(images), -1), meta["normalisation"])) == labels)
    assert accuracy > 0.98


@pytest.mark.parametrize("change,message", [
    (lambda arch, arrays: arrays.pop("W2"), "missing parameter arrays W2"),
    (lambda arch, arrays: arch.update(layers="conv4x5,pool2,dense10"), "do not match"),
    (lambda arch, arrays: arch.update(layers="conv4x5,poolx,dense10"), "not understood"),
    (lambda arch, arrays: arch.update(layers="conv4x5,pool2"), "output layer"),
])
def test_broken_stack_files_are_refused_with_a_reason(tmp_path, change, message):
    net = Network.from_layers("conv4x5,pool2,conv6x3v,dense10", (28, 28), seed=0)
    meta = model_metadata(net, (28, 28), NAMES)
    arrays = {name: p for name, p in zip(net.param_names, net.params)}
    change(meta["architecture"], arrays)
    path = tmp_path / "broken.npz"
    write_npz(path, arrays, meta)
    with pytest.raises(ModelFileError, match=message):
        load_model(path)
