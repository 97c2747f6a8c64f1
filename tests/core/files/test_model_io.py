import io
import json
import zipfile

import numpy as np
import pytest

from core.errors import ModelFileError
from core.files.model_io import check_compatible, load_model, model_metadata, save_model
from core.nn.network import Network

NAMES = [str(i) for i in range(10)]


def saved(tmp_path, network=None, **extra):
    network = network or Network((64, 12, 10), "tanh", seed=2)
    path = tmp_path / "model.npz"
    save_model(path, network, model_metadata(network, (8, 8), NAMES, "minus_one_one", "digits",
                                              {"epochs": 3}, {"val_accuracy": [0.9]}, **extra))
    return path, network


def test_round_trip_keeps_weights_predictions_and_metadata(tmp_path):
    path, network = saved(tmp_path, test_accuracy=0.93)
    loaded, meta = load_model(path)
    assert loaded.layer_sizes == (64, 12, 10) and loaded.activation_name == "tanh"
    assert all(np.array_equal(p, q) for p, q in zip(network.params, loaded.params))
    x = np.random.default_rng(0).random((5, 64), dtype=np.float32)
    np.testing.assert_array_equal(network.predict_proba(x), loaded.predict_proba(x))
    assert meta["input_shape"] == [8, 8] and meta["normalisation"] == "minus_one_one"
    assert meta["class_names"] == NAMES and meta["dataset"] == "digits"
    assert meta["history"] == {"val_accuracy": [0.9]} and meta["test_accuracy"] == 0.93


def test_saving_over_an_existing_file_is_atomic(tmp_path):
    path, _ = saved(tmp_path)
    before = path.read_bytes()
    with pytest.raises(TypeError):   # metadata that cannot be written: the save fails
        save_model(path, Network((64, 12, 10)), {"format": "digitlab-model", "bad": object()})
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["model.npz"]


def corrupt_variants(tmp_path, good):
    raw = good.read_bytes()
    data = dict(np.load(good))
    meta = json.loads(str(data["metadata"]))

    def npz(**arrays):
        buffer = io.BytesIO()
        np.savez(buffer, **arrays)
        return buffer.getvalue()

    wrong_shape = dict(data, W1=np.zeros((10, 12), np.float32))
    nan_weights = dict(data, W2=np.full((12, 10), np.nan, np.float32))
    other_format = dict(data, metadata=np.array(json.dumps(dict(meta, format="keras"))))
    missing = {k: v for k, v in data.items() if k != "b2"}
    newer = dict(data, metadata=np.array(json.dumps(dict(meta, version=99))))
    return {
        "garbage": (b"this is not a model", "not a zip archive"),
        "truncated": (raw[: len(raw) // 2], "not a zip archive|corrupt"),
        "empty": (b"", "not a zip archive"),
        "no metadata": (npz(W1=np.zeros(3)), "no DigitLab metadata"),
        "wrong shape": (npz(**wrong_shape), "do not match"),
        "nan": (npz(**nan_weights), "NaN"),
        "other format": (npz(**other_format), "format"),
        "missing array": (npz(**missing), "missing parameter arrays b2"),
        "newer": (npz(**newer), "newer DigitLab"),
    }


def test_every_kind_of_bad_file_gives_a_clear_error(tmp_path):
    good, _ = saved(tmp_path)
    for label, (content, message) in corrupt_variants(tmp_path, good).items():
        path = tmp_path / f"{label}.npz"
        path.write_bytes(content)
        with pytest.raises(ModelFileError, match=message) as info:
            load_model(path)
        assert str(path) in str(info.value), label
    with pytest.raises(ModelFileError, match="no such model file"):
        load_model(tmp_path / "absent.npz")
    with pytest.raises(ModelFileError):
        load_model(tmp_path)


def test_zip_that_is_not_npz(tmp_path):
    path = tmp_path / "archive.npz"
    with zipfile.ZipFile(path, "w") as archive:
        archive.writestr("readme.txt", "hello")
    with pytest.raises(ModelFileError):
        load_model(path)


def test_model_from_another_input_geometry_is_refused(tmp_path):
    path, _ = saved(tmp_path)
    _, meta = load_model(path)
    check_compatible(meta, (8, 8))
    with pytest.raises(ModelFileError, match="trained on 8x8 images, but this data is 28x28"):
        check_compatible(meta, (28, 28), path)


@pytest.mark.parametrize("change,message", [
    (lambda meta: [meta], "not a JSON object"),
    (lambda meta: dict(meta, normalisation="bogus"), "normalisation"),
    (lambda meta: dict(meta, positive_class="x"), "positive_class"),
    (lambda meta: dict(meta, config={"hidden_sizes": "abc"}), "training settings"),
    (lambda meta: dict(meta, history=[1, 2]), "JSON objects"),
])
def test_odd_metadata_is_a_model_file_error(tmp_path, change, message):
    good, _ = saved(tmp_path)
    data = dict(np.load(good))
    meta = json.loads(str(data["metadata"]))
    data["metadata"] = np.array(json.dumps(change(meta)))
    path = tmp_path / "odd.npz"
    np.savez(path, **data)
    with pytest.raises(ModelFileError, match=message):
        load_model(path)


def test_saving_into_a_missing_place_is_a_model_file_error(tmp_path):
    network = Network((4, 2))
    meta = model_metadata(network, (2, 2), ["a", "b"])
    with pytest.raises(ModelFileError, match="is a folder"):
        save_model(tmp_path, network, meta)
    with pytest.raises(ModelFileError, match="could not save"):
        save_model("/proc/no/such/model.npz", network, meta)
