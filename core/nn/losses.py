"""Output layers with their cost functions, as small strategy objects (after Nielsen's network2).

Each loss pairs an output non-linearity with a cost so that ``delta`` can return the gradient
of the *mean* cost over the batch with respect to the output pre-activations z directly:

    output(z)          z: (n_ex, n_out) logits, overwritten with probabilities
    fn(p, y)           mean cost over the batch (float); y: (n_ex, n_out) one-hot targets
    delta(p, y)        d mean cost / d z, shape (n_ex, n_out)

MSE follows the classic tutorials: cost = mean over examples of 1/2 * ||p - y||^2.

The training step calls output, fn and delta once per batch on small arrays (128 x 10), where
numpy's per-call cost and its slow reductions along a short row dominate: ``fast_softmax`` and
the softmax cross-entropy's fn / delta work in buffers the loss object keeps (``_Scratch``, one
per thread).
``softmax`` is the readable reference the tests compare ``fast_softmax`` with.
"""
import numpy as np

from core.nn.activations import Sigmoid
from core.nn.per_thread import PerThread

_TINY = 1e-12  # keeps log() finite when a probability underflows to 0


def softmax(z):
    """Row-wise softmax of z (n_ex, n_out), in place; stable for large logits."""
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def fast_softmax(z, scratch):
    """softmax(z) in place, computed on a transposed (n_out, n_ex) copy in ``scratch``.

    Why: numpy reduces along a short contiguous row slowly (the max over the 10 columns of a
    128 x 10 batch took 9 us, the broadcast division 7 us; the whole softmax 33-36 us) but down
    columns of the transposed copy quickly (about 1 us a call; the whole softmax about 8 us,
    scratch timing, busy machine). The same operations as ``softmax``; the row sums are added
    in another order, so results agree to float rounding (1 ulp), not bit for bit.
    """
    n, k = z.shape
    t, row_max, row_sum = scratch.get(("softmax", n, k, z.dtype), lambda: (
        np.empty((k, n), z.dtype), np.empty(n, z.dtype), np.empty(n, z.dtype)))
    np.copyto(t, z.T)
    np.maximum.reduce(t, axis=0, out=row_max)
    np.subtract(t, row_max, out=t)
    np.exp(t, out=t)
    np.add.reduce(t, axis=0, out=row_sum)
    np.divide(t, row_sum, out=t)
    np.copyto(z, t.T)
    return z


def sigmoid(z):
    return Sigmoid().forward(z)


class _Scratch(dict):
    """Work buffers by key (shape, dtype, purpose), made once: get(key, make)."""

    def get(self, key, make):
        buffers = dict.get(self, key)
        if buffers is None:
            if len(self) > 16:      # evaluation chunks of many sizes: do not grow for ever
                self.clear()
            buffers = self[key] = make()
        return buffers


class Loss:
    name = "base"
    output_name = "softmax"

    def __init__(self):
        self._scratches = PerThread(_Scratch)   # each thread's own (core/nn/per_thread.py)

    @property
    def _scratch(self):
        return self._scratches.get()

    def output(self, z):
        return fast_softmax(z, self._scratch) if self.output_name == "softmax" else sigmoid(z)

    def fn(self, p, y):
        raise NotImplementedError

    def delta(self, p, y):
        raise NotImplementedError


class SoftmaxCrossEntropy(Loss):
    """Softmax output, categorical cross-entropy: -mean(sum(y * log p))."""
    name = "cross_entropy"
    output_name = "softmax"

    def fn(self, p, y):
        if y.dtype != p.dtype:     # e.g. float64 targets for float32 outputs: numpy's promotion
            return float(-np.sum(y * np.log(p + _TINY)) / len(p))
        # -sum(y * log(p + tiny)) / n, the same operations in one reused buffer
        work = self._scratch.get(("fn", p.shape, p.dtype), lambda: np.empty(p.shape, p.dtype))
        np.add(p, _TINY, out=work)
        np.log(work, out=work)
        np.multiply(y, work, out=work)
        return float(-np.add.reduce(work, axis=None) / len(p))

    def delta(self, p, y):
        if y.dtype != p.dtype:
            return (p - y) / len(p)
        # (p - y) / n into a reused buffer: the layers below read it until the optimiser's step
        work = self._scratch.get(("delta", p.shape, p.dtype), lambda: np.empty(p.shape, p.dtype))
        np.subtract(p, y, out=work)
        np.divide(work, len(p), out=work)
        return work


class SigmoidCrossEntropy(Loss):
    """Sigmoid output units, each a binary cross-entropy (one unit: logistic regression)."""
    name = "binary_cross_entropy"
    output_name = "sigmoid"

    def fn(self, p, y):
        return float(-np.sum(y * np.log(p + _TINY) + (1 - y) * np.log(1 - p + _TINY)) / len(p))

    def delta(self, p, y):
        return (p - y) / len(p)


class SoftmaxMeanSquaredError(Loss):
    """Softmax output with the tutorials' mean squared error (gradient through the Jacobian)."""
    name = "mse"
    output_name = "softmax"

    def fn(self, p, y):
        return float(0.5 * np.sum((p - y) ** 2) / len(p))

    def delta(self, p, y):
        g = (p - y) / len(p)
        # Softmax Jacobian-vector product: dz_i = p_i * (g_i - sum_j g_j p_j)
        return p * (g - np.sum(g * p, axis=1, keepdims=True))


class SigmoidMeanSquaredError(Loss):
    """Sigmoid outputs with mean squared error, as in Nielsen's first network."""
    name = "mse"
    output_name = "sigmoid"

    def fn(self, p, y):
        return float(0.5 * np.sum((p - y) ** 2) / len(p))

    def delta(self, p, y):
        return (p - y) * p * (1 - p) / len(p)


LOSS_NAMES = ("cross_entropy", "mse", "binary_cross_entropy")
OUTPUT_NAMES = ("softmax", "sigmoid")


def get_loss(name, output="softmax"):
    """The loss object for a (loss name, output non-linearity) pair (ValueError if unsupported)."""
    table = {
        ("cross_entropy", "softmax"): SoftmaxCrossEntropy,
        ("cross_entropy", "sigmoid"): SigmoidCrossEntropy,
        ("binary_cross_entropy", "sigmoid"): SigmoidCrossEntropy,
        ("mse", "softmax"): SoftmaxMeanSquaredError,
        ("mse", "sigmoid"): SigmoidMeanSquaredError,
    }
    try:
        return table[(name, output)]()
    except KeyError:
        raise ValueError(f"loss {name!r} with a {output!r} output is not supported; "
                         f"losses: {', '.join(LOSS_NAMES)}; outputs: {', '.join(OUTPUT_NAMES)}") from None
