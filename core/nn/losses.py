"""Output layers with their cost functions, as small strategy objects (after Nielsen's network2).

Each loss pairs an output non-linearity with a cost so that ``delta`` can return the gradient
of the *mean* cost over the batch with respect to the output pre-activations z directly:

    output(z)          z: (n_ex, n_out) logits, overwritten with probabilities
    fn(p, y)           mean cost over the batch (float); y: (n_ex, n_out) one-hot targets
    delta(p, y)        d mean cost / d z, shape (n_ex, n_out)

MSE follows the classic tutorials: cost = mean over examples of 1/2 * ||p - y||^2.
"""
import numpy as np

from core.nn.activations import Sigmoid

_TINY = 1e-12  # keeps log() finite when a probability underflows to 0


def softmax(z):
    """Row-wise softmax of z (n_ex, n_out), in place; stable for large logits."""
    z -= z.max(axis=1, keepdims=True)
    np.exp(z, out=z)
    z /= z.sum(axis=1, keepdims=True)
    return z


def sigmoid(z):
    return Sigmoid().forward(z)


class Loss:
    name = "base"
    output_name = "softmax"

    def output(self, z):
        return softmax(z) if self.output_name == "softmax" else sigmoid(z)

    def fn(self, p, y):
        raise NotImplementedError

    def delta(self, p, y):
        raise NotImplementedError


class SoftmaxCrossEntropy(Loss):
    """Softmax output, categorical cross-entropy: -mean(sum(y * log p))."""
    name = "cross_entropy"
    output_name = "softmax"

    def fn(self, p, y):
        return float(-np.sum(y * np.log(p + _TINY)) / len(p))

    def delta(self, p, y):
        return (p - y) / len(p)


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
