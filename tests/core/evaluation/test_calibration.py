"""Reliability bins, ECE and temperature scaling on synthetic predictions with known calibration."""
import numpy as np
import pytest

from core.evaluation.calibration import (apply_temperature, as_class_probabilities, calibrate,
                                       expected_calibration_error, fit_temperature, negative_log_likelihood,
                                       reliability_bins)


def synthetic(n, n_classes, rng, sharpen=1.0):
    """Predictions whose confidence c is right with probability c (sharpen=1), then optionally
    made overconfident by raising the logits' scale. Returns (probabilities, labels)."""
    logits = rng.normal(0, 2.0, (n, n_classes))
    calibrated = apply_temperature(logits, 1.0)
    # draw each label from the predicted distribution: then P(correct | confidence) = confidence
    cumulative = calibrated.cumsum(axis=1)
    labels = (rng.random((n, 1)) > cumulative).sum(axis=1)
    labels = np.minimum(labels, n_classes - 1)
    return apply_temperature(logits, 1.0 / sharpen), labels


def test_perfectly_calibrated_predictions_have_ece_near_zero():
    probabilities, labels = synthetic(200_000, 10, np.random.default_rng(0))
    assert expected_calibration_error(probabilities, labels) < 0.01


def test_overconfident_predictions_have_a_large_ece_that_temperature_scaling_removes():
    rng = np.random.default_rng(1)
    probabilities, labels = synthetic(20_000, 10, rng, sharpen=3.0)
    assert expected_calibration_error(probabilities, labels) > 0.1
    report = calibrate(probabilities, labels)
    assert report.temperature == pytest.approx(3.0, rel=0.1)   # undoes the sharpening
    assert report.nll_after < report.nll_before - 0.1
    assert report.after.ece < 0.02 < report.before.ece


def test_underconfident_predictions_get_a_temperature_below_one():
    probabilities, labels = synthetic(20_000, 10, np.random.default_rng(2), sharpen=0.5)
    logits = np.log(probabilities)
    temperature = fit_temperature(logits, labels)
    assert temperature == pytest.approx(0.5, rel=0.1)
    assert negative_log_likelihood(apply_temperature(logits, temperature), labels) < \
        negative_log_likelihood(probabilities, labels)


def test_bins_by_hand():
    probabilities = np.array([[0.95, 0.05], [0.9, 0.1], [0.35, 0.65], [0.5, 0.5]])
    labels = np.array([0, 1, 1, 0])
    bins = reliability_bins(probabilities, labels, n_bins=10)
    assert bins.count.tolist() == [0, 0, 0, 0, 1, 0, 1, 0, 1, 1]   # 0.5 in (0.4, 0.5], 1 in (0.9, 1]
    assert bins.accuracy[9] == 1.0 and bins.accuracy[8] == 0.0 and bins.confidence[9] == pytest.approx(0.95)
    assert np.isnan(bins.accuracy[0])
    # ECE = sum count/n * |acc - conf| = (|1-.5| + |1-.65| + |0-.9| + |1-.95|) / 4
    assert bins.ece == pytest.approx((0.5 + 0.35 + 0.9 + 0.05) / 4)


def test_one_sigmoid_unit_is_read_as_two_classes():
    p = np.array([[0.8], [0.1]])
    np.testing.assert_allclose(as_class_probabilities(p), [[0.2, 0.8], [0.9, 0.1]])
    assert expected_calibration_error(p, np.array([1, 0])) == pytest.approx((0.2 + 0.1) / 2)
