"""`train --resume MODEL.npz` whose saved training state is damaged (issue 18, item 6), and
`--resume ''` / `--fork ''`: one line on stderr, exit code 2, never a traceback."""
import json

import numpy as np
import pytest

import main
from cli_helpers import run_cli

DIGITS = ("--dataset", "digits", "--hidden", "16", "--schedule", "constant", "--seed", "3", "--lr", "0.1")


def rewrite(path, change):
    """Rewrite the .npz at path: change(arrays, metadata) edits both in place."""
    with np.load(path, allow_pickle=False) as data:
        arrays = {key: data[key] for key in data.files}
    metadata = json.loads(str(arrays.pop("metadata")))
    change(arrays, metadata)
    np.savez(path, metadata=np.array(json.dumps(metadata)), **arrays)


def state(key, value):
    def change(arrays, metadata):
        metadata["training_state"][key] = value
    return change


def whole_state(value):
    def change(arrays, metadata):
        metadata["training_state"] = value
    return change


def velocity_shape(arrays, metadata):
    arrays["resume.optimizer.velocity.0"] = np.zeros((3, 3), np.float32)


def velocity_text(arrays, metadata):
    arrays["resume.optimizer.velocity.1"] = np.array(["a"] * arrays["resume.optimizer.velocity.1"].size).reshape(
        arrays["resume.optimizer.velocity.1"].shape)


def velocity_of_no_parameter(arrays, metadata):
    arrays["resume.optimizer.velocity.9"] = np.zeros(3, np.float32)
    metadata["training_state"]["optimizer"]["arrays"].append("velocity.9")


def other_optimizer(arrays, metadata):
    metadata["training_state"]["optimizer"]["name"] = "adam"


def history_not_lists(arrays, metadata):
    metadata["history"]["val_loss"] = 0.5


DAMAGES = {
    "array-shape": velocity_shape, "array-text": velocity_text, "array-of-no-parameter": velocity_of_no_parameter,
    "state-text": whole_state("resume me"), "state-list": whole_state([1, 2]), "state-number": whole_state(3),
    "epochs-text": state("epochs_done", "two"), "epochs-negative": state("epochs_done", -1),
    "step-null": state("step", None), "optimizer-text": state("optimizer", "momentum"),
    "optimizer-arrays-number": state("optimizer", {"name": "momentum", "arrays": 4}),
    "order-rng-garbage": state("order_rng", {"bit_generator": "PCG64", "state": "x"}),
    "order-rng-text": state("order_rng", "seeded"), "rate-text": state("base_learning_rate", "fast"),
    "extra-list": state("extra", [1]), "augment-rng-garbage": state("extra", {"augment_rng": [1, 2]}),
    "other-optimizer": other_optimizer, "history-not-lists": history_not_lists,
}


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory):
    path = tmp_path_factory.mktemp("model") / "two.npz"
    assert main.main(["train", *DIGITS, "--epochs", "2", "--no-record", "--out", str(path)]) == 0
    return path.read_bytes()


@pytest.mark.parametrize("kind", sorted(DAMAGES))
def test_a_damaged_training_state_is_one_line(capsys, tmp_path, saved_model, kind):
    path = tmp_path / "model.npz"
    path.write_bytes(saved_model)
    rewrite(path, DAMAGES[kind])
    code, out, err = run_cli(capsys, "train", "--resume", str(path), "--epochs", "1", "--dataset", "digits")
    assert code == 2 and err.startswith("error:") and err.count("\n") == 1, err
    assert "training state" in err or "not a usable DigitLab model" in err, err


def test_the_undamaged_file_resumes(capsys, tmp_path, saved_model):
    path = tmp_path / "model.npz"
    path.write_bytes(saved_model)
    rewrite(path, lambda arrays, metadata: None)   # rewriting alone changes nothing
    code, _, err = run_cli(capsys, "train", "--resume", str(path), "--epochs", "1", "--dataset", "digits")
    assert code == 0, err


@pytest.mark.parametrize("option", ["--resume", "--fork"])
def test_an_empty_resume_or_fork_is_refused_not_a_fresh_run(capsys, digitlab_home, option):
    extra = ("--from-epoch", "1") if option == "--fork" else ()
    code, out, err = run_cli(capsys, "train", *DIGITS, "--epochs", "1", option, "", *extra)
    assert code == 2 and err.count("\n") == 1 and "needs a run" in err, err
    assert not (digitlab_home / "data" / "runs").exists() or not any((digitlab_home / "data" / "runs").iterdir())
