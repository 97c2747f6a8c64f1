import numpy as np
import pytest
from sklearn.metrics import classification_report as sk_report
from sklearn.metrics import confusion_matrix as sk_confusion

from core.evaluation.metrics import accuracy, classification_report, confusion_matrix, format_report, row_normalised


@pytest.fixture
def labels():
    rng = np.random.default_rng(0)
    true = rng.integers(0, 4, 300)
    pred = np.where(rng.random(300) < 0.7, true, rng.integers(0, 4, 300))
    pred[pred == 3] = 2          # class 3 is never predicted: precision must be 0, not NaN
    return true, pred


def test_confusion_matrix_matches_scikit_learn(labels):
    true, pred = labels
    cm = confusion_matrix(true, pred, 4)
    np.testing.assert_array_equal(cm, sk_confusion(true, pred, labels=range(4)))
    assert cm.sum() == 300
    assert accuracy(true, pred) == pytest.approx(np.trace(cm) / 300)


def test_report_matches_scikit_learn(labels):
    true, pred = labels
    ours = classification_report(confusion_matrix(true, pred, 4), ["a", "b", "c", "d"])
    theirs = sk_report(true, pred, labels=range(4), output_dict=True, zero_division=0)
    for i, row in enumerate(ours["classes"]):
        for key in ("precision", "recall", "f1"):
            assert row[key] == pytest.approx(theirs[str(i)][key if key != "f1" else "f1-score"])
        assert row["support"] == theirs[str(i)]["support"]
    assert ours["classes"][3]["precision"] == 0.0
    assert ours["macro_avg"]["f1"] == pytest.approx(theirs["macro avg"]["f1-score"])
    assert ours["weighted_avg"]["recall"] == pytest.approx(theirs["weighted avg"]["recall"])
    text = format_report(ours)
    assert "macro avg" in text and text.count("\n") == 4 + 3


def test_two_by_two_report_by_hand():
    cm = np.array([[90, 10], [5, 45]])
    report = classification_report(cm, ["not 0", "0"])
    positive = report["classes"][1]
    assert positive["precision"] == pytest.approx(45 / 55)
    assert positive["recall"] == pytest.approx(45 / 50)
    assert report["accuracy"] == pytest.approx(135 / 150)


def test_row_normalised_handles_empty_rows():
    normalised = row_normalised(np.array([[3, 1], [0, 0]]))
    np.testing.assert_allclose(normalised, [[0.75, 0.25], [0, 0]])
    assert accuracy([], []) == 0.0
