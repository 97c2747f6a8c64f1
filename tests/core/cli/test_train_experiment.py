"""A shareable experiment from the command line: `train --save-experiment FILE` writes one,
`train --from FILE` repeats the run to the last bit on the same data and says when the data
differs. Real MNIST (the first 1,500 training images), a small network with dropout (its masks
must repeat too), two epochs."""
import numpy as np
import pytest

from core.files.experiment_io import load_experiment
from core.files.model_io import load_model
from tests.cli_helpers import run_cli

SMALL = ["--train-examples", "1500", "--val-split", "300", "--epochs", "2", "--layers", "dense32,dropout0.3,dense10",
         "--optimizer", "adam", "--lr", "0.003", "--seed", "7", "--no-record"]


@pytest.fixture
def saved(tmp_path, capsys, mnist_dir):
    experiment, model = tmp_path / "shared" / "exp.npz", tmp_path / "first.npz"
    code, _out, err = run_cli(capsys, "train", "--data", str(mnist_dir), *SMALL, "--save-experiment", str(experiment),
                              "--out", str(model))
    assert code == 0, err
    assert f"experiment saved to {experiment}" in err
    return experiment, model


def weights(path):
    network, _ = load_model(path)
    return network.params


def test_training_from_the_experiment_gives_identical_weights(saved, tmp_path, capsys, mnist_dir):
    experiment, first = saved
    again = tmp_path / "again.npz"
    code, _out, err = run_cli(capsys, "train", "--from", str(experiment), "--data", str(mnist_dir),
                              "--no-record", "--out", str(again))
    assert code == 0, err
    assert "same data as the experiment (checksum matches)" in err
    for a, b in zip(weights(first), weights(again)):
        assert a.dtype == b.dtype and np.array_equal(a, b)   # bit for bit, not close
    loaded = load_experiment(experiment)
    assert loaded.seed == 7 and loaded.config.epochs == 2 and loaded.config.layers == "dense32,dropout0.3,dense10"
    assert loaded.dataset["name"] == "mnist" and loaded.dataset["n_train"] == 60000
    assert loaded.dataset["checksum"].startswith("sha256:") and len(loaded.dataset["checksum"]) == 7 + 64
    # the initial weights, not the trained ones
    assert not np.array_equal(loaded.network.params[0], weights(first)[0])


def test_other_data_is_said_and_a_plain_model_or_changed_settings_are_refused(saved, tmp_path, capsys, mnist,
                                                                              mnist_dir):
    experiment, first = saved
    # the same MNIST with one pixel changed: trains, but says it is not the experiment's data
    from core.data.idx import write_idx
    other = tmp_path / "mnist-changed"
    other.mkdir()
    images = mnist.train_images.copy()
    images[0, 14, 14] ^= 1
    for name, array in (("train-images-idx3-ubyte", images), ("train-labels-idx1-ubyte", mnist.train_labels),
                        ("t10k-images-idx3-ubyte", mnist.test_images), ("t10k-labels-idx1-ubyte", mnist.test_labels)):
        write_idx(other / name, array)
    code, _out, err = run_cli(capsys, "train", "--from", str(experiment), "--data", str(other), "--no-record")
    assert code == 0, err
    assert "is not the data the experiment was made on" in err and "bit for bit" in err
    # a model file is not an experiment; settings cannot be changed; another image size is refused
    for argv, said in ((["--from", str(first)], "a model file, not an experiment"),
                       (["--from", str(experiment), "--lr", "0.1"], "to change learning_rate"),
                       (["--from", str(experiment), "--dataset", "digits"], "8x8 images")):
        code, _out, err = run_cli(capsys, "train", *argv, "--data", str(mnist_dir), "--no-record") \
            if "digits" not in argv else run_cli(capsys, "train", *argv, "--no-record")
        assert code == 2 and said in err and "Traceback" not in err, (argv, err)
        assert err.count("\n") == err.count("note:") + 1   # the notes and one line of error


def test_a_broken_experiment_file_is_one_sentence_and_nothing_half_written(tmp_path, capsys, mnist_dir):
    broken = tmp_path / "broken.npz"
    broken.write_bytes(b"PK\x03\x04 not really")
    code, _out, err = run_cli(capsys, "train", "--from", str(broken), "--data", str(mnist_dir), "--no-record")
    assert code == 2 and err.startswith("error: ") and err.count("\n") == 1
    # --save-experiment into a folder: refused before training, nothing written
    folder = tmp_path / "a-folder"
    folder.mkdir()
    code, _out, err = run_cli(capsys, "train", "--data", str(mnist_dir), *SMALL, "--save-experiment", str(folder))
    assert code == 2 and "--save-experiment" in err and "is a folder" in err
    assert list(folder.iterdir()) == []
