"""A model file whose metadata fields have the wrong JSON type (hand-edited, or written by
something else) is refused with a ModelFileError naming the field, never a Python message such
as "object of type 'int' has no len()" (issue 18)."""
import json

import numpy as np
import pytest

from core.errors import ModelFileError
from core.files.model_io import load_model, model_metadata, save_model
from core.nn.network import Network


def tampered(tmp_path, **changes):
    network = Network((64, 12, 10), "tanh", seed=2)
    path = tmp_path / "model.npz"
    save_model(path, network, model_metadata(network, (8, 8), [str(i) for i in range(10)]))
    with np.load(path) as archive:
        arrays = {name: archive[name] for name in archive.files}
    metadata = json.loads(str(arrays["metadata"]))
    metadata.update(changes)
    arrays["metadata"] = np.array(json.dumps(metadata))
    np.savez(path, **arrays)
    return path


@pytest.mark.parametrize("field, value, message", [
    ("class_names", 10, "class_names must be a list of names, not 10"),
    ("class_names", {"0": "zero"}, "class_names must be a list"),
    ("class_names", [[0], [1]], "class_names must be a list"),
    ("input_shape", 64, "input_shape must be a list"),
    ("input_shape", ["8", "8"], "input_shape must be a list"),
    ("architecture", "64-12-10", "architecture must be a JSON object"),
])
def test_a_wrong_typed_field_is_named(tmp_path, field, value, message):
    path = tampered(tmp_path, **{field: value})
    with pytest.raises(ModelFileError, match="not a usable DigitLab model") as caught:
        load_model(path)
    assert message in str(caught.value) and "has no len" not in str(caught.value)


def test_the_untouched_file_still_loads(tmp_path):
    network, metadata = load_model(tampered(tmp_path))
    assert network.layer_sizes == (64, 12, 10) and metadata["class_names"][3] == "3"
