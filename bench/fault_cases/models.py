"""Damaged model files and images for evaluate / predict, models whose training state is damaged
for `train --resume MODEL.npz` (issue 18 item 6), and a model whose class_names is an int."""
import numpy as np

from fault_cases.builders import edited_model, flat_png, load_model, seven_png, write_model
from fault_cases.harness import WRONG, case

EVALUATE = ("evaluate", "--dataset", "digits", "--model")


def damaged_model_case(name, make, about, commands=("evaluate", "predict")):
    """A case: make(trial, path) writes a bad model; evaluate and predict with it must refuse it
    in one line, and leave it as it was."""
    @case(name, about=about)
    def run(trial):
        path = trial.work / "model.npz"
        make(trial, path)
        trial.protect(path)
        if "evaluate" in commands:
            trial.cli(*EVALUATE, path.name, expect="fail")
        if "predict" in commands:
            seven_png(trial.work / "seven.png")
            trial.cli("predict", "--model", path.name, "seven.png", expect="fail")
        return trial.verdict()
    return run


def truncated(trial, path):
    data = trial.session.digits_model().read_bytes()
    path.write_bytes(data[: len(data) // 2])


def without_metadata(trial, path):
    arrays, _ = load_model(trial.session.digits_model())
    write_model(path, arrays, None)


def metadata_not_json(trial, path):
    arrays, _ = load_model(trial.session.digits_model())
    write_model(path, arrays, "{this is not json")


def with_edit(edit):
    def make(trial, path):
        edited_model(trial.session.digits_model(), path, edit)
    return make


def pickled(trial, path):
    """An object array whose unpickling would create a file: loading it must refuse, never run it."""
    marker = trial.root / "PICKLE-RAN"
    payload = np.empty(1, dtype=object)
    payload[0] = _Marker(str(marker))
    arrays, metadata = load_model(trial.session.digits_model())
    arrays["W1"] = payload
    write_model(path, arrays, metadata)


class _Marker:
    def __init__(self, path):
        self.path = path

    def __reduce__(self):
        return (open, (self.path, "w"))


def wrong_shape(arrays, metadata):
    arrays["W1"] = np.zeros((3, 3), np.float32)


def newer_version(arrays, metadata):
    metadata["version"] = 99


def architecture_garbage(arrays, metadata):
    metadata["architecture"] = "dense16"


def input_shape_garbage(arrays, metadata):
    metadata["input_shape"] = "eight by eight"


damaged_model_case("model-empty-file", lambda trial, path: path.write_bytes(b""), "a 0-byte model file")
damaged_model_case("model-truncated", truncated, "the first half of a real model file")
damaged_model_case("model-random-bytes", lambda trial, path: path.write_bytes(bytes(range(256)) * 64),
                   "16 kB of random bytes as a model")
damaged_model_case("model-text-file", lambda trial, path: path.write_text("W1 = [[1, 2], [3, 4]]\n"),
                   "a text file named model.npz")
damaged_model_case("model-without-metadata", without_metadata, "the weights of a real model, no metadata")
damaged_model_case("model-metadata-not-json", metadata_not_json, "metadata that is not JSON")
damaged_model_case("model-weight-wrong-shape", with_edit(wrong_shape), "W1 of the wrong shape")
damaged_model_case("model-newer-version", with_edit(newer_version), "a model file format version 99")
damaged_model_case("model-architecture-string", with_edit(architecture_garbage), "'architecture' is a string")
damaged_model_case("model-input-shape-string", with_edit(input_shape_garbage), "'input_shape' is a string")


@case("model-pickle-never-runs", about="evaluating a model with a pickled object never unpickles it")
def pickle_never_runs(trial):
    path = trial.work / "model.npz"
    pickled(trial, path)
    trial.cli(*EVALUATE, path.name, expect="fail")
    trial.cli("predict", "--model", path.name, seven_png(trial.work / "seven.png").name, expect="fail")
    if (trial.root / "PICKLE-RAN").exists():
        trial.problem(WRONG, "the pickle in the model file was unpickled (code ran)")
    return trial.verdict()


@case("model-is-a-directory", about="--model names a folder")
def model_is_directory(trial):
    (trial.work / "model.npz").mkdir()
    trial.cli(*EVALUATE, "model.npz", expect="fail")
    return trial.verdict()


@case("model-class-names-int", issue="18.smaller")
def class_names_int(trial):
    """A model whose class_names is an int: refused in the app's words, not Python's."""
    path = edited_model(trial.session.digits_model(), trial.work / "model.npz",
                        lambda arrays, metadata: metadata.update(class_names=10))
    seven_png(trial.work / "seven.png")
    for result in (trial.cli(*EVALUATE, path.name, expect="fail"),
                   trial.cli("predict", "--model", path.name, "seven.png", expect="fail")):
        if "has no len()" in result.message or "object of type" in result.message:
            trial.problem(WRONG, f"`{result.label}`: Python's words, not a reason: {result.message}")
    return trial.verdict()


# ----- images for predict -------------------------------------------------------------------
def image_case(name, make, about, expect="fail"):
    @case(name, about=about)
    def run(trial):
        image = trial.work / "digit.png"
        make(image)
        trial.cli("predict", image.name, expect=expect)
        return trial.verdict()
    return run


image_case("predict-text-as-image", lambda path: path.write_text("this is not a picture\n"), "a text file as a PNG")
image_case("predict-empty-image", lambda path: path.write_bytes(b""), "a 0-byte PNG")
image_case("predict-truncated-png", lambda path: path.write_bytes(seven_png(path).read_bytes()[:80]),
           "the first 80 bytes of a real PNG")
image_case("predict-decompression-bomb", lambda path: path.write_bytes(flat_png(14000, 14000, 255)),
           "a 14000x14000 PNG (past Pillow's pixel limit)")
image_case("predict-blank-image", lambda path: path.write_bytes(flat_png(50, 50, 255)),
           "an all-white image (no ink): any answer, no traceback", expect="any")
image_case("predict-directory-as-image", lambda path: path.mkdir(), "a folder named digit.png")


# ----- issue 18 item 6: resume from a model whose training state is damaged ------------------
def state_case(name, edit, about):
    @case(name, issue="18.6", about=about)
    def run(trial):
        path = edited_model(trial.session.digits_model(), trial.work / "model.npz", edit)
        trial.protect(path)
        trial.cli("train", "--resume", path.name, "--epochs", "1", "--no-record", expect="fail")
        return trial.verdict()
    return run


def state_array_wrong_shape(arrays, metadata):
    name = next(key for key in arrays if key.startswith("resume."))
    arrays[name] = np.zeros((3, 3), np.float32)


def state_string(arrays, metadata):
    metadata["training_state"] = "abc"


def state_list(arrays, metadata):
    metadata["training_state"] = [1, 2, 3]


def state_array_missing(arrays, metadata):
    del arrays[sorted(key for key in arrays if key.startswith("resume."))[-1]]


def state_rng_garbage(arrays, metadata):
    metadata["training_state"]["order_rng"] = {"bit_generator": "PCG64", "state": "not a state"}


def state_optimizer_unknown(arrays, metadata):
    metadata["training_state"]["optimizer"] = {"name": "nope", "scalars": {}, "arrays": []}


def state_epochs_string(arrays, metadata):
    metadata["training_state"]["epochs_done"] = "one"


state_case("resume-model-state-array-wrong-shape", state_array_wrong_shape, "an optimiser array of the wrong shape")
state_case("resume-model-state-is-string", state_string, "training_state is the string 'abc'")
state_case("resume-model-state-is-list", state_list, "training_state is a list")
state_case("resume-model-state-array-missing", state_array_missing, "an optimiser array is missing")
state_case("resume-model-state-rng-garbage", state_rng_garbage, "the batch-order generator's state is garbage")
state_case("resume-model-state-optimizer-unknown", state_optimizer_unknown, "the optimiser is named 'nope'")
state_case("resume-model-state-epochs-string", state_epochs_string, "epochs_done is 'one'")
