"""Compare window on two runs recorded for real (core API, MNIST subset, records in tmp)."""
from dataclasses import replace

import numpy as np
import pytest

from core.data.normalise import to_float
from core.data.splits import train_val_split
from core.files.model_io import load_model
from core.settings.config import TrainConfig
from core.records.compare import compare_records
from core.records.reader import open_run
from gui.runs.compare_window import open_compare
from gui.runs.compare_picker import CompareRunsPicker as PickRunsDialog

from .conftest import record_run

BASE = TrainConfig(hidden_sizes=(32,), epochs=3, batch_size=50, learning_rate=0.1, schedule="constant",
                   val_split=300, seed=4)


@pytest.fixture
def two_runs(mnist_small):
    a, _ = record_run(BASE, mnist_small, "slow")
    b, _ = record_run(replace(BASE, learning_rate=0.5, l2=1e-4), mnist_small, "fast")
    return a, b


def independent_confusion(record, dataset):
    """Confusion of a record's last checkpoint on its validation split, computed here directly."""
    config = TrainConfig.from_dict(record.settings["config"])
    _, val_idx = train_val_split(len(dataset.train_labels), config.val_split, config.seed)
    network, _ = load_model(record.checkpoints[max(record.checkpoints)])
    inputs = to_float(dataset.train_images[val_idx].reshape(len(val_idx), -1), config.normalisation, network.dtype)
    predicted = network.predict_proba(inputs).argmax(axis=1)
    confusion = np.zeros((10, 10), int)
    np.add.at(confusion, (dataset.train_labels[val_idx], predicted), 1)
    return confusion


def test_compare_window_shows_curves_diff_confusion_difference_and_disagreements(qtbot, two_runs, mnist_small):
    window = open_compare(two_runs, mnist_small)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.evaluated, timeout=30000):
        pass
    # two runs: a train and a validation curve each, in both plots
    assert window.curve_count("loss") == 4 and window.curve_count("accuracy") == 4
    # exactly the changed settings, the B cell highlighted
    assert list(window.diff) == ["l2", "learning_rate"]
    assert window.settings.rowCount() == 2
    assert [window.settings.item(r, 1).text() for r in range(2)] == ["0.0001", "0.5"]
    assert window.settings.item(1, 1).background().color().name() != window.settings.item(1, 0).background().color().name()
    a, b = (open_run(run_id) for run_id in two_runs)
    expected = independent_confusion(b, mnist_small) - independent_confusion(a, mnist_small)
    assert np.array_equal(window.difference.difference, expected)
    # the numbers in the cells are those differences (blank for 0)
    texts = window.difference.displayed_texts()
    assert all(texts[r][c] == ("" if expected[r, c] == 0 else f"{expected[r, c]:+d}") for r in range(10) for c in range(10))
    # each run's recorded validation accuracy is its confusion's diagonal: B - A on the diagonal
    n_val = 300
    assert np.trace(expected) == round((b.rows[-1]["val_accuracy"] - a.rows[-1]["val_accuracy"]) * n_val)
    result = compare_records(a, b, mnist_small)
    assert len(window.gallery.indices) == window.gallery.list.count() == result.disagreements > 0
    assert f"disagree on {result.disagreements:,} of 300" in window.gallery.title.text()
    caption = window.gallery.list.item(0).text()
    assert caption.startswith("A\u00a0") and "B\u00a0" in caption and "true\u00a0" in caption


def test_x_axis_switch_puts_samples_seen_and_time_on_x(qtbot, two_runs, mnist_small):
    window = open_compare(two_runs, mnist_small)
    qtbot.addWidget(window)
    a = open_run(two_runs[0])
    window.set_x_axis("samples")
    x = window.curves[0, "val_loss"].xData
    assert list(x) == [row["step"] * 50 for row in a.rows] == [1200, 2400, 3600]   # 1,200 training images
    window.set_x_axis("time")
    assert list(window.curves[0, "val_loss"].xData) == [row["elapsed"] for row in a.rows]
    assert window.plots["loss"].getPlotItem().getAxis("bottom").labelText == "training time (s)"
    window.close()


def test_menu_dialog_lists_records_and_needs_two(qtbot, two_runs, mnist_small):
    dialog = PickRunsDialog()
    qtbot.addWidget(dialog)
    assert dialog.list.count() == 2
    ok = dialog.buttons.buttons()[0]
    dialog.check(two_runs[1])
    assert not ok.isEnabled()
    dialog.check(two_runs[0])
    assert ok.isEnabled() and dialog.selected_run_ids() == [two_runs[1], two_runs[0]]


def test_runs_from_other_data_are_refused_with_a_message(qtbot, two_runs, digits):
    window = open_compare(two_runs, digits)
    qtbot.addWidget(window)
    with qtbot.waitSignal(window.failed, timeout=30000) as blocker:
        pass
    assert "trained on mnist" in blocker.args[0] and window.evaluation is None
