"""Calibration: does a confidence of 0.8 mean right 80% of the time?

Reliability bins and the expected calibration error (Guo et al. 2017, "On Calibration of Modern
Neural Networks"), and temperature scaling fitted on validation data by minimising the negative
log-likelihood over T (scipy.optimize).

Probabilities are (n_ex, n_classes) rows summing to 1; a one-unit sigmoid network's (n_ex, 1)
output means P(class 1) and is widened to two columns [1 - p, p] first.
"""
from dataclasses import dataclass

import numpy as np
from scipy.optimize import minimize_scalar

DEFAULT_BINS = 10
_TINY = 1e-12


def as_class_probabilities(probabilities):
    """(n_ex, n_classes) float64; (n_ex, 1) sigmoid outputs become [1 - p, p]."""
    p = np.asarray(probabilities, dtype=np.float64)
    if p.ndim == 1 or p.shape[1] == 1:
        p = p.reshape(-1, 1)
        p = np.hstack([1.0 - p, p])
    return p


@dataclass(frozen=True)
class ReliabilityBins:
    """Equal-width confidence bins over [0, 1]. edges: (n_bins + 1,); count: (n_bins,) examples
    whose top probability falls in each bin; confidence / accuracy: (n_bins,) mean top
    probability and fraction correct in each bin (NaN where the bin is empty)."""
    edges: np.ndarray
    count: np.ndarray
    confidence: np.ndarray
    accuracy: np.ndarray

    @property
    def ece(self):
        """sum over bins of (count / n) * |accuracy - confidence|."""
        filled = self.count > 0
        total = self.count.sum()
        if total == 0:
            return float("nan")
        gaps = np.abs(self.accuracy[filled] - self.confidence[filled])
        return float(np.sum(self.count[filled] / total * gaps))


def reliability_bins(probabilities, labels, n_bins=DEFAULT_BINS):
    """ReliabilityBins of predictions (top class and its probability) against labels (n_ex,)."""
    p = as_class_probabilities(probabilities)
    labels = np.asarray(labels)
    confidence = p.max(axis=1)
    correct = (p.argmax(axis=1) == labels).astype(np.float64)
    edges = np.linspace(0.0, 1.0, n_bins + 1)
    # Bins are (lo, hi], the first also takes 0: a confidence of exactly 1 lands in the last bin.
    index = np.clip(np.searchsorted(edges, confidence, side="left") - 1, 0, n_bins - 1)
    count = np.bincount(index, minlength=n_bins).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean_confidence = np.bincount(index, weights=confidence, minlength=n_bins) / count
        accuracy = np.bincount(index, weights=correct, minlength=n_bins) / count
    return ReliabilityBins(edges, count, mean_confidence, accuracy)


def expected_calibration_error(probabilities, labels, n_bins=DEFAULT_BINS):
    return reliability_bins(probabilities, labels, n_bins).ece


def negative_log_likelihood(probabilities, labels):
    """Mean -log p(true class) (probabilities clipped away from 0)."""
    p = as_class_probabilities(probabilities)
    labels = np.asarray(labels)
    return float(-np.mean(np.log(np.maximum(p[np.arange(len(labels)), labels], _TINY))))


def logits_from_probabilities(probabilities):
    """log p: softmax(log p) == p, and softmax(log p / T) is exactly temperature scaling."""
    return np.log(np.maximum(as_class_probabilities(probabilities), _TINY))


def apply_temperature(logits, temperature):
    """softmax(logits / T), (n_ex, n_classes) float64. T > 1 softens, T < 1 sharpens."""
    z = np.asarray(logits, dtype=np.float64) / float(temperature)
    z = z - z.max(axis=1, keepdims=True)
    e = np.exp(z)
    return e / e.sum(axis=1, keepdims=True)


def fit_temperature(logits, labels, bounds=(0.05, 20.0)):
    """The T in bounds minimising the NLL of softmax(logits / T) on (validation) labels.

    Searched over log T (bounded scalar minimisation): the NLL is smooth and unimodal in T in
    practice, and log T makes 0.5 and 2 equally far from 1.
    """
    logits = np.asarray(logits, dtype=np.float64)
    labels = np.asarray(labels)

    def nll(log_t):
        return negative_log_likelihood(apply_temperature(logits, np.exp(log_t)), labels)

    result = minimize_scalar(nll, bounds=(np.log(bounds[0]), np.log(bounds[1])), method="bounded",
                             options={"xatol": 1e-4})
    return float(np.exp(result.x))


@dataclass(frozen=True)
class CalibrationReport:
    """Before/after temperature scaling on the same data."""
    temperature: float
    before: ReliabilityBins
    after: ReliabilityBins
    nll_before: float
    nll_after: float


def calibrate(probabilities, labels, n_bins=DEFAULT_BINS):
    """Fit a temperature on (probabilities, labels) and report reliability before and after."""
    logits = logits_from_probabilities(probabilities)
    temperature = fit_temperature(logits, labels)
    scaled = apply_temperature(logits, temperature)
    return CalibrationReport(temperature, reliability_bins(probabilities, labels, n_bins),
                             reliability_bins(scaled, labels, n_bins),
                             negative_log_likelihood(probabilities, labels), negative_log_likelihood(scaled, labels))
