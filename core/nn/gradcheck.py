"""Gradient checking: backpropagation against central differences, per parameter array.

Run in float64 (``network.copy(dtype=np.float64)``): in float32 the differences drown in
rounding error and every check looks bad.
"""
from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class ParamCheck:
    name: str                 # 'W1', 'b1', ...
    shape: tuple
    checked: int              # how many entries were perturbed
    relative_error: float     # ||g_backprop - g_numeric|| / (||g_backprop|| + ||g_numeric||)
    max_abs_error: float


@dataclass(frozen=True)
class GradcheckResult:
    params: tuple
    tolerance: float

    @property
    def max_relative_error(self):
        return max(p.relative_error for p in self.params)

    @property
    def passed(self):
        return self.max_relative_error < self.tolerance


def numerical_gradient(cost_of_params, param, indices, epsilon):
    """Central differences (f(w+e) - f(w-e)) / 2e at the given flat indices of one array.

    cost_of_params: callable -> float that reads the current value of ``param``.
    Returns (len(indices),) float64.
    """
    flat = param.reshape(-1)
    grads = np.empty(len(indices))
    for k, i in enumerate(indices):
        original = flat[i]
        flat[i] = original + epsilon
        plus = cost_of_params()
        flat[i] = original - epsilon
        minus = cost_of_params()
        flat[i] = original
        grads[k] = (plus - minus) / (2 * epsilon)
    return grads


def relative_error(a, b):
    denom = np.linalg.norm(a) + np.linalg.norm(b)
    return float(np.linalg.norm(a - b) / denom) if denom > 0 else 0.0


def gradient_check(network, x, y, l2=0.0, n_total=None, epsilon=1e-5, max_entries=60,
                   tolerance=1e-6, seed=0, gradient_fn=None):
    """Compare backprop gradients with numerical ones for every parameter array.

    network: a float64 Network (a float32 one is copied to float64), any layer stack; with
    dropout the masks drawn for the backprop gradient are frozen for the numerical one. x: (n_ex, n_inputs),
    y: (n_ex, n_outputs) targets. At most max_entries random entries per array are perturbed
    (all of them for small arrays). gradient_fn(net, x, y) -> list of arrays replaces backprop,
    which is how tests feed in a deliberately broken gradient.
    """
    net = network if network.dtype == np.float64 else network.copy(dtype=np.float64)
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    if gradient_fn is None:
        _, grads = net.loss_and_gradients(x, y, l2, n_total)
        grads = [g.copy() for g in grads]
    else:
        grads = [np.asarray(g, np.float64) for g in gradient_fn(net, x, y)]
    # Dropout: the numerical side must see the very masks backprop used (frozen), in training mode.
    training = net.has_dropout
    net.freeze_dropout(True)
    try:
        return _compare(net, x, y, l2, n_total, grads, epsilon, max_entries, tolerance, seed, training)
    finally:
        net.freeze_dropout(False)


def _compare(net, x, y, l2, n_total, grads, epsilon, max_entries, tolerance, seed, training):
    rng = np.random.default_rng(seed)
    checks = []
    for name, param, grad in zip(net.param_names, net.params, grads):
        size = param.size
        indices = np.arange(size) if size <= max_entries else rng.choice(size, max_entries, replace=False)
        numeric = numerical_gradient(lambda: net.cost(x, y, l2, n_total, training), param, indices, epsilon)
        analytic = grad.reshape(-1)[indices]
        checks.append(ParamCheck(name, param.shape, len(indices), relative_error(analytic, numeric),
                                 float(np.max(np.abs(analytic - numeric)))))
    return GradcheckResult(tuple(checks), tolerance)


def move_biases_off_zero(network, seed=1):
    """Biases drawn with |b| in [0.05, 0.15] instead of 0, in place.

    Why: the digits' background is exactly 0, so with zero biases every unit looking at the
    background sits exactly on the ReLU kink at 0, where the two one-sided derivatives
    differ and central differences straddle it. Off zero, such sums are at least 0.05 from the
    kink, far beyond epsilon. Tied maxima in pooling windows of background stay tied under every
    perturbation (they move together), so they do not disturb the check.
    """
    rng = np.random.default_rng(seed)
    for b in network.biases:
        b[...] = rng.choice((-1.0, 1.0), b.shape) * rng.uniform(0.05, 0.15, b.shape)
