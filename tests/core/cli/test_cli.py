"""The command line, run in-process (main.main) and once as a real subprocess."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import main
from core.data import download

ROOT = Path(__file__).resolve().parents[3]


def run_cli(capsys, *argv):
    try:
        code = main.main(list(argv))
    except SystemExit as exit_:      # argparse exits for --help and bad arguments
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err


def last_json(out):
    return json.loads(out.strip().splitlines()[-1])


def test_train_digits_json_then_evaluate_the_saved_model(capsys, tmp_path):
    model = tmp_path / "m.npz"
    code, out, err = run_cli(capsys, "train", "--dataset", "digits", "--hidden", "32", "--epochs", "15",
                             "--json", "--out", str(model), "--seed", "1")
    assert code == 0, err
    summary = last_json(out)
    assert {"test_accuracy", "train_seconds", "samples_per_second"} <= set(summary)
    assert summary["test_accuracy"] > 0.9 and summary["samples_per_second"] > 0
    assert np.array(summary["test_confusion"]).sum() == summary["n_test"] == 359
    code, out, err = run_cli(capsys, "evaluate", "--model", str(model), "--dataset", "digits", "--json")
    assert code == 0, err
    result = last_json(out)
    assert result["accuracy"] == pytest.approx(summary["test_accuracy"])
    assert result["confusion"] == summary["test_confusion"]
    assert len(result["report"]["classes"]) == 10


def test_train_real_mnist_one_epoch_with_two_hidden_layers(capsys, mnist_dir, tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    code, out, err = run_cli(capsys, "train", "--data", str(mnist_dir), "--hidden", "64,32", "--epochs", "1",
                             "--json")
    assert code == 0, err
    summary = last_json(out)
    assert summary["dataset"] == "mnist" and summary["n_test"] == 10000
    assert summary["network"].startswith("784-64-32-10")
    assert summary["test_accuracy"] > 0.93


def test_readable_output_without_json(capsys):
    code, out, _ = run_cli(capsys, "train", "--dataset", "digits", "--hidden", "16", "--epochs", "1", "--report")
    assert code == 0
    assert "test accuracy" in out and "macro avg" in out


def test_missing_mnist_falls_back_to_digits_and_says_so(capsys, tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path))      # the default location, empty
    code, out, err = run_cli(capsys, "train", "--epochs", "1", "--hidden", "8", "--json")
    assert code == 0
    assert "built-in 8x8 digits" in err
    assert last_json(out)["dataset"] == "digits"
    code, _, err = run_cli(capsys, "train", "--no-fallback", "--epochs", "1")
    assert code == 2 and err.startswith("error:") and len(err.strip().splitlines()) == 1


def test_a_folder_named_with_data_is_never_silently_replaced(capsys, tmp_path):
    code, out, err = run_cli(capsys, "train", "--data", str(tmp_path / "typo"), "--epochs", "1")
    assert code == 2 and "MNIST not found" in err and str(tmp_path / "typo") in err
    assert out == ""


@pytest.mark.parametrize("argv,phrase", [
    (["train", "--lr", "-1", "--dataset", "digits"], "learning rate"),
    (["train", "--hidden", "12,x", "--dataset", "digits"], "hidden layer sizes"),
    (["train", "--activation", "swish", "--dataset", "digits"], "activation"),
    (["train", "--preset", "nope", "--dataset", "digits"], "unknown preset"),
    (["train", "--epochs", "ten"], "invalid int value"),
    (["evaluate", "--model", "/nonexistent/m.npz", "--dataset", "digits"], "no such model file"),
    (["frobnicate"], "invalid choice"),
])
def test_bad_arguments_give_one_clear_line(capsys, argv, phrase):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2
    assert phrase in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_corrupt_data_file_is_an_error_not_a_fallback(capsys, tmp_path, mnist_dir):
    for name in ("train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"):
        (tmp_path / name).write_bytes((mnist_dir / name).read_bytes())
    (tmp_path / "train-images-idx3-ubyte.gz").write_bytes((mnist_dir / "train-images-idx3-ubyte.gz").read_bytes()[:5000])
    code, _, err = run_cli(capsys, "train", "--data", str(tmp_path), "--epochs", "1")
    assert code == 2 and "train-images-idx3-ubyte.gz" in err and "Traceback" not in err


def test_evaluate_refuses_a_model_for_other_images(capsys, tmp_path, mnist_dir):
    model = tmp_path / "digits.npz"
    assert run_cli(capsys, "train", "--dataset", "digits", "--epochs", "1", "--out", str(model))[0] == 0
    code, _, err = run_cli(capsys, "evaluate", "--model", str(model), "--data", str(mnist_dir))
    assert code == 2 and "8x8" in err and "28x28" in err


def test_diverging_run_exits_non_zero_and_saves_nothing(capsys, tmp_path):
    model = tmp_path / "m.npz"
    code, out, err = run_cli(capsys, "train", "--dataset", "digits", "--lr", "1000", "--optimizer", "sgd",
                             "--out", str(model), "--json")
    assert code == 1 and "diverged" in err and "Lower the learning rate" in err
    assert last_json(out)["reason"] == "diverged" and not model.exists()


def test_gradcheck_every_combination_passes(capsys):
    code, out, _ = run_cli(capsys, "gradcheck", "--all", "--json")
    result = last_json(out)
    assert code == 0 and result["passed"] and len(result["results"]) == 16
    assert max(r["max_relative_error"] for r in result["results"]) < 1e-6


def test_download_offline_gives_a_clear_message(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(download, "MNIST_MIRRORS", ["http://127.0.0.1:9/mnist/"])   # port 9: refused
    code, _, err = run_cli(capsys, "download", "--data", str(tmp_path / "mnist"))
    assert code == 2 and err.startswith("error:") and "127.0.0.1:9" in err
    assert not list((tmp_path / "mnist").glob("*.gz"))


@pytest.mark.parametrize("command", ["train", "evaluate", "download", "gradcheck"])
def test_every_command_has_help(capsys, command):
    code, out, _ = run_cli(capsys, command, "--help")
    assert code == 0 and "usage:" in out


def test_real_subprocess_prints_json_last(tmp_path):
    proc = subprocess.run([sys.executable, "main.py", "train", "--dataset", "digits", "--epochs", "1",
                           "--hidden", "8", "--json"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert "test_accuracy" in json.loads(proc.stdout.strip().splitlines()[-1])


def test_track_test_records_test_accuracy_every_epoch(capsys):
    code, out, err = run_cli(capsys, "train", "--dataset", "digits", "--epochs", "3", "--hidden", "16",
                             "--track-test", "--json")
    assert code == 0, err
    summary = last_json(out)
    assert len(summary["history"]["test_accuracy"]) == 3
    assert summary["history"]["test_accuracy"][-1] == pytest.approx(summary["test_accuracy"])
    assert err.count("| test acc ") == 3   # one progress line per epoch


def test_app_without_a_display_explains_instead_of_aborting():
    env = {k: v for k, v in __import__("os").environ.items()
           if k not in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM")}
    proc = subprocess.run([sys.executable, "main.py"], cwd=ROOT, capture_output=True, text=True, timeout=60, env=env)
    assert proc.returncode == 1
    assert "no display found" in proc.stderr and "python main.py --help" in proc.stderr
    assert main.display_missing({"DISPLAY": ":0"}, "linux") is False
    assert main.display_missing({}, "darwin") is False


@pytest.mark.parametrize("argv,phrase", [
    (["train", "--dataset", "digits", "--val-split", "1.5"], "validation"),
    (["train", "--dataset", "digits", "--seed", "-1"], "seed"),
    (["train", "--dataset", "digits", "--batch-size", "1000000000"], "larger than the"),
    (["train", "--dataset", "digits", "--positive-class", "-3"], "positive class"),
    (["train", "--dataset", "digits", "--positive-class", "3"], "--preset logistic-one-digit"),
    (["train", "--dataset", "digits", "--preset", "sigmoid-128-softmax-mse"], "expects MNIST"),
    (["train", "--dataset", "digits", "--out", "/proc/no/such/model.npz"], "cannot write"),
    (["gradcheck", "--epsilon", "0"], "--epsilon"),
    (["gradspeed", "--batch-size", "0"], "--batch-size"),
    (["train", "--dataset", "mat"], "needs a file"),
])
def test_more_bad_inputs_give_one_clear_line(capsys, argv, phrase):
    code, out, err = run_cli(capsys, *argv)
    assert code == 2, err
    assert phrase in err and "Traceback" not in err
    assert len(err.strip().splitlines()) == 1 and out == ""


def test_out_naming_a_folder_is_refused_before_training(capsys, tmp_path):
    code, out, err = run_cli(capsys, "train", "--dataset", "digits", "--out", str(tmp_path))
    assert code == 2 and "is a folder" in err and "test accuracy" not in out + err


def test_json_is_strict_even_without_a_validation_set(capsys):
    code, out, _ = run_cli(capsys, "train", "--dataset", "digits", "--epochs", "1", "--val-split", "0", "--json")

    def refuse(constant):
        raise ValueError(f"non-standard JSON constant {constant}")

    summary = json.loads(out.strip().splitlines()[-1], parse_constant=refuse)
    assert code == 0 and summary["history"]["val_loss"] == [None]


def test_training_on_an_ex4_mat_file(capsys, tmp_path):
    scipy_io = pytest.importorskip("scipy.io")
    rng = np.random.default_rng(0)
    labels = np.repeat(np.arange(1, 11), 30)             # 10 means the digit 0
    images = np.zeros((300, 20, 20))
    for k, label in enumerate(labels):                   # a bar whose row encodes the class
        images[k, 2 * (label % 10), :] = 1.0
    X = images.reshape(300, 400, order="F") + rng.normal(0, 0.05, (300, 400))   # column-major, as in ex4
    path = tmp_path / "ex4.mat"
    scipy_io.savemat(path, {"X": X, "y": labels.reshape(-1, 1)})
    code, out, err = run_cli(capsys, "train", "--data", str(path), "--hidden", "16", "--epochs", "30",
                             "--batch-size", "32", "--json")
    assert code == 0, err
    summary = last_json(out)
    assert summary["dataset"] == "ex4" and summary["network"].startswith("400-16-10")
    assert summary["test_accuracy"] > 0.9      # learnable only if rows and labels were mapped right


def test_predict_save_prepared_into_an_impossible_folder_fails_first(capsys, tmp_path):
    from PIL import Image
    image = tmp_path / "blank.png"
    Image.new("L", (50, 50), 255).save(image)
    code, out, err = run_cli(capsys, "predict", "--save-prepared", "/proc/no/such", str(image))
    assert code == 2 and out == "" and "--save-prepared" in err


def test_divergence_advice_mentions_l2_when_it_is_set(capsys):
    code, _, err = run_cli(capsys, "train", "--dataset", "digits", "--l2", "1e30", "--optimizer", "sgd")
    assert code == 1 and "L2 strength" in err
