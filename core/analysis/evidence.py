"""Evidence maps for one prepared input: which pixels push the answer towards a digit, and
"why this digit and not digit K".

The score explained is the network's output score before the softmax (the logit) of the
digit, or for a contrast the difference of two logits, which is the log of the ratio of the
two probabilities (log p_top - log p_K): a map that sums to it says how each pixel moved the
odds between the two digits. Three methods, each with its name and a one-line reading the
view shows (METHODS):

- integrated gradients (Sundararajan et al. 2017): the gradient averaged along the straight
  path from a black image to the drawing, times the change of each pixel. Its values add up
  to score(drawing) - score(black image) (the completeness rule; ``gap`` reports how closely,
  it shrinks with ``steps``). The main map, honest for dense and conv networks alike.
- gradient x input: the gradient at the drawing times the pixel's change from black; one
  backward pass, exact for a linear network, a first-order guess otherwise.
- occlusion (Zeiler & Fergus 2014), for conv networks: cover a patch with black and measure
  how much the score drops; no gradients, just forward passes.

Shapes: x is one input row (n_inputs,) (or (H, W)) in the model's normalisation, as the
network receives it; every map is (H, W) float64 (channels summed).
"""
from dataclasses import dataclass

import numpy as np

from core.analysis.probe import class_scores, image_shape, logits, score_gradient
from core.errors import DigitLabError
from core.nn.layers import Conv2D


@dataclass(frozen=True)
class Method:
    key: str
    name: str
    how_to_read: str


INTEGRATED_GRADIENTS = Method(
    "integrated_gradients", "Integrated gradients",
    "Red pixels push the network towards its answer, blue pixels away from it; all values add up to how much "
    "more the network favours that answer for this drawing than for a blank image.")
GRADIENT_X_INPUT = Method(
    "gradient_x_input", "Gradient x input",
    "Each pixel's ink times how strongly the score reacts to it right now: red helps the answer, blue hurts it "
    "(a quick first-order estimate).")
OCCLUSION = Method(
    "occlusion", "Occlusion",
    "Each patch was covered with black in turn: red where covering it lowers the answer's score (that ink was "
    "evidence for it), blue where covering it raises the score.")
METHODS = {m.key: m for m in (INTEGRATED_GRADIENTS, GRADIENT_X_INPUT, OCCLUSION)}


@dataclass
class EvidenceMap:
    """One map. values: (H, W) float64 attributions in score units; target / versus: the class
    explained (versus None: the plain score of target, else target's score minus versus's);
    score / baseline_score: that score for the input and for the black baseline; gap: sum of
    values minus (score - baseline_score) (integrated gradients: near 0)."""
    method: Method
    values: np.ndarray
    target: int
    versus: object
    score: float
    baseline_score: float

    @property
    def total(self):
        return float(self.values.sum())

    @property
    def gap(self):
        return self.total - (self.score - self.baseline_score)


def black_baseline(network, normalisation="zero_one"):
    """The model input of an all-black image (n_inputs,): 0, or -1 for [-1, 1] inputs."""
    return np.full(network.n_inputs, -1.0 if normalisation == "minus_one_one" else 0.0)


def _class_weights(network, n, target, versus):
    weights = np.zeros((n, network.n_classes))
    weights[:, target] = 1.0
    if versus is not None:
        if versus == target:
            raise DigitLabError("pick a different digit to compare with")
        weights[:, versus] = -1.0
    return weights


def _check(network, x, target, versus):
    x = np.asarray(x, np.float64).reshape(-1)
    if x.size != network.n_inputs:
        raise DigitLabError(f"the input has {x.size} values but the model takes {network.n_inputs}")
    for c in (target, versus):
        if c is not None and not 0 <= int(c) < network.n_classes:
            raise DigitLabError(f"class {c} does not exist (0 to {network.n_classes - 1})")
    return x


def explained_score(network, rows, target, versus=None):
    """(n,) the score explained, for input rows (n, n_inputs)."""
    s = class_scores(network, logits(network, rows))
    return s[:, target] - (s[:, versus] if versus is not None else 0.0)


def _as_map(network, row):
    """A row (n_inputs,) in (H, W, C) order -> (H, W), channels summed."""
    return row.reshape(*image_shape(network), -1).sum(axis=2)


def gradient_times_input(network, x, target, versus=None, baseline=None):
    """(x - baseline) * gradient of the score at x, as an EvidenceMap."""
    x = _check(network, x, target, versus)
    base = np.zeros_like(x) if baseline is None else np.asarray(baseline, np.float64).reshape(-1)
    scores, grad = score_gradient(network, np.stack([x, base]), _class_weights(network, 2, target, versus))
    values = (x - base) * grad[0]
    s = scores[:, target] - (scores[:, versus] if versus is not None else 0.0)
    return EvidenceMap(GRADIENT_X_INPUT, _as_map(network, values), target, versus, float(s[0]), float(s[1]))


def integrated_gradients(network, x, target, versus=None, baseline=None, steps=64):
    """Integrated gradients from baseline (default black) to x, midpoint rule with ``steps``
    points, all in one batch: (x - baseline) * mean of the gradients along the path."""
    x = _check(network, x, target, versus)
    base = np.zeros_like(x) if baseline is None else np.asarray(baseline, np.float64).reshape(-1)
    alphas = (np.arange(steps) + 0.5) / steps
    path = base + alphas[:, None] * (x - base)
    rows = np.vstack([path, x, base])
    scores, grad = score_gradient(network, rows, _class_weights(network, len(rows), target, versus))
    values = (x - base) * grad[:steps].mean(axis=0)
    s = scores[:, target] - (scores[:, versus] if versus is not None else 0.0)
    return EvidenceMap(INTEGRATED_GRADIENTS, _as_map(network, values), target, versus, float(s[-2]), float(s[-1]))


def _starts(size, patch, stride):
    starts = list(range(0, max(size - patch, 0) + 1, stride))
    if starts[-1] != max(size - patch, 0):
        starts.append(size - patch)          # the last patch reaches the edge
    return starts


def occlusion(network, x, target, versus=None, baseline=None, patch=4, stride=2):
    """Occlusion map: every patch x patch square (step ``stride``) set to the baseline in turn;
    each pixel gets the mean, over the squares covering it, of (score drop / patch area), so
    a 1x1 patch gives exactly score(x) - score(x with that pixel black)."""
    x = _check(network, x, target, versus)
    base = np.zeros_like(x) if baseline is None else np.asarray(baseline, np.float64).reshape(-1)
    height, width = image_shape(network)
    x3, b3 = x.reshape(height, width, -1), base.reshape(height, width, -1)
    windows = [(i, j) for i in _starts(height, patch, stride) for j in _starts(width, patch, stride)]
    rows = np.repeat(x3[None], len(windows) + 2, axis=0)
    for k, (i, j) in enumerate(windows):
        rows[k, i:i + patch, j:j + patch] = b3[i:i + patch, j:j + patch]
    rows[-1] = b3
    s = explained_score(network, rows.reshape(len(rows), -1), target, versus)
    total, cover = np.zeros((height, width)), np.zeros((height, width))
    for k, (i, j) in enumerate(windows):
        total[i:i + patch, j:j + patch] += (s[-2] - s[k]) / (patch * patch)
        cover[i:i + patch, j:j + patch] += 1
    return EvidenceMap(OCCLUSION, total / cover, target, versus, float(s[-2]), float(s[-1]))


def is_convolutional(network):
    return any(isinstance(layer, Conv2D) for layer in network.layers)


def explain(network, x, versus=None, normalisation="zero_one", target=None):
    """The maps the Draw tab shows for input x: {method key: EvidenceMap} towards the top class
    (or ``target``), integrated gradients and gradient x input, plus occlusion for conv nets;
    with ``versus`` the contrast "why target and not versus". Also returns the probabilities."""
    x = _check(network, x, 0, None)
    probabilities = network.predict_proba(x.reshape(1, -1).astype(network.dtype))[0].astype(np.float64)
    target = int(np.argmax(probabilities)) if target is None else int(target)
    base = black_baseline(network, normalisation)
    maps = {INTEGRATED_GRADIENTS.key: integrated_gradients(network, x, target, versus, base),
            GRADIENT_X_INPUT.key: gradient_times_input(network, x, target, versus, base)}
    if is_convolutional(network):
        maps[OCCLUSION.key] = occlusion(network, x, target, versus, base)
    return maps, probabilities
