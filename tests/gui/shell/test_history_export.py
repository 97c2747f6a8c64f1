"""File > Export metric history writes every column of the history: the test columns the
previous version dropped included."""
import csv

from core.settings.config import TrainConfig
from gui.ground import model_files


def test_export_keeps_test_loss_and_test_accuracy(tmp_path):
    history = {"epoch": [1, 2, 3], "step": [5, 10, 15], "train_loss": [0.9, 0.5, 0.4],
               "train_accuracy": [0.7, 0.8, 0.85], "val_loss": [1.0, 0.6, 0.5], "val_accuracy": [0.6, 0.75, 0.8],
               "learning_rate": [0.1, 0.1, 0.1], "elapsed": [0.5, 1.0, 1.5],
               "test_loss": [1.1, 0.7, 0.55], "test_accuracy": [0.55, 0.72, 0.79]}
    path = tmp_path / "history.csv"
    assert model_files.export_history_csv(path, history, TrainConfig(track_test=True)) == 3
    lines = path.read_text(encoding="utf-8").splitlines()
    assert "# track_test = True" in lines
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert list(rows[0]) == list(history)
    assert [float(r["test_accuracy"]) for r in rows] == history["test_accuracy"]
    assert [float(r["test_loss"]) for r in rows] == history["test_loss"]
