"""The metric history CSV: its columns come from the history (test columns included), the run's
settings head the file, and a failed write leaves the previous file as it was."""
import csv
import os

import numpy as np
import pytest

from core.files.history_csv import history_columns, write_history_csv
from core.settings.config import TrainConfig
from core.training.trainers import make_trainer


def read(path):
    lines = open(path, encoding="utf-8").read().splitlines()
    comments = [line[2:] for line in lines if line.startswith("# ")]
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    return comments, rows


@pytest.fixture(scope="module")
def tracked_run(digits):
    """A real 3-epoch run on the 8x8 digits that also evaluates the test set every epoch."""
    config = TrainConfig(hidden_sizes=(12,), epochs=3, val_split=300, track_test=True, seed=2)
    trainer = make_trainer(config, digits, test_images=digits.test_images, test_labels=digits.test_labels)
    end = list(trainer.run())[-1]
    assert end.reason == "finished"
    return config, end.history


def test_test_loss_and_accuracy_are_exported(tracked_run, tmp_path):
    config, history = tracked_run
    assert {"test_loss", "test_accuracy"} <= set(history)
    path = tmp_path / "history.csv"
    assert write_history_csv(path, history, config) == 3
    comments, rows = read(path)
    assert list(rows[0]) == history_columns(history)
    assert {"test_loss", "test_accuracy", "val_accuracy", "learning_rate"} <= set(rows[0])
    for key in ("test_loss", "test_accuracy", "train_loss", "val_accuracy"):
        np.testing.assert_allclose([float(r[key]) for r in rows], history[key], rtol=1e-15)
    assert [int(r["epoch"]) for r in rows] == history["epoch"]
    assert comments[0] == "DigitLab metric history"
    settings = dict(line.split(" = ", 1) for line in comments[1:])
    assert list(settings) == list(config.to_dict())           # every declared setting, in order
    assert settings["hidden_sizes"] == "12" and settings["track_test"] == "True"


def test_columns_follow_the_history_whatever_it_holds(tmp_path):
    history = {"epoch": [1, 2], "step": [10, 20], "train_loss": [0.5, 0.25], "val_loss": [None, float("nan")],
               "a_new_metric": [3.5, 4.0], "not_per_epoch": [1], "note": "text"}
    assert history_columns(history) == ["epoch", "step", "train_loss", "val_loss", "a_new_metric"]
    path = tmp_path / "h.csv"
    write_history_csv(path, history)
    lines = path.read_text().splitlines()
    assert lines == ["epoch,step,train_loss,val_loss,a_new_metric", "1,10,0.5,,3.5", "2,20,0.25,nan,4"]
    assert write_history_csv(tmp_path / "empty.csv", {}) == 0 and (tmp_path / "empty.csv").read_text() == "\n"


def test_a_failed_export_leaves_the_old_file_and_no_temporary_files(tmp_path, tracked_run):
    config, history = tracked_run
    path = tmp_path / "history.csv"
    write_history_csv(path, history, config)
    before = path.read_bytes()
    broken = dict(history, test_loss=history["test_loss"][:-1] + [object()])   # not a number
    with pytest.raises(TypeError):
        write_history_csv(path, broken, config)
    assert path.read_bytes() == before
    assert os.listdir(tmp_path) == ["history.csv"]
