"""Hidden-layer activation functions, each with its derivative beside it.

Every activation works in place on a float array of shape (n_ex, n_units) so the training
loop allocates nothing per batch. ``backward`` multiplies an incoming gradient by the
derivative, written in terms of the activation's *output* where that is cheaper.
"""
import numpy as np

from core.nn.per_thread import PerThread


class Activation:
    name = "base"

    def forward(self, z):
        """z: (n_ex, n_units) pre-activations, overwritten with the activations; returns it."""
        raise NotImplementedError

    def backward(self, grad, z, a):
        """grad (n_ex, n_units) w.r.t. the output a, multiplied in place by da/dz; returns it.

        z is only valid where ``needs_preactivation`` is True (others are computed from a).
        """
        raise NotImplementedError

    needs_preactivation = False


class Sigmoid(Activation):
    name = "sigmoid"

    def forward(self, z):
        # 1 / (1 + exp(-z)) without a temporary per step; clip keeps exp from overflowing
        # in float32 (exp(88) is the float32 limit), which would only raise warnings.
        np.clip(z, -60.0, 60.0, out=z)
        np.negative(z, out=z)
        np.exp(z, out=z)
        z += 1.0
        np.reciprocal(z, out=z)
        return z

    def backward(self, grad, z, a):
        grad *= a
        grad *= 1.0 - a
        return grad


class Tanh(Activation):
    name = "tanh"

    def forward(self, z):
        return np.tanh(z, out=z)

    def backward(self, grad, z, a):
        grad *= 1.0 - a * a
        return grad


class ReLU(Activation):
    name = "relu"

    def __init__(self):
        self._masks = PerThread(dict)   # "mask": a reused (n_ex, n_units) buffer of the gradient's dtype, per thread

    def forward(self, z):
        return np.maximum(z, 0.0, out=z)

    def backward(self, grad, z, a):
        # a > 0 exactly where z > 0, so the output is enough. The mask is written as 1.0 / 0.0
        # in grad's own dtype into a reused buffer: the same products as grad *= (a > 0), but a
        # multiply of one type is faster than numpy's bool-to-float casting loop (7 against 11
        # us for 128 x 128, scratch timing) and nothing is allocated.
        masks = self._masks.get()
        mask = masks.get("mask")
        if mask is None or mask.shape != grad.shape or mask.dtype != grad.dtype:
            mask = masks["mask"] = np.empty(grad.shape, grad.dtype)
        np.greater(a, 0, out=mask)
        np.multiply(grad, mask, out=grad)
        return grad


class LeakyReLU(Activation):
    name = "leaky_relu"

    def __init__(self, slope=0.01):
        self.slope = slope

    def forward(self, z):
        # max(z, slope*z) is z for z>0 and slope*z below, for 0 < slope < 1.
        return np.maximum(z, self.slope * z, out=z)

    def backward(self, grad, z, a):
        grad *= np.where(a > 0, 1.0, self.slope).astype(grad.dtype, copy=False)
        return grad


ACTIVATIONS = {cls.name: cls for cls in (Sigmoid, Tanh, ReLU, LeakyReLU)}


def get_activation(name):
    """The activation object for a name in ACTIVATIONS (ValueError otherwise)."""
    try:
        return ACTIVATIONS[name]()
    except KeyError:
        raise ValueError(f"unknown activation {name!r}; choose one of {', '.join(ACTIVATIONS)}") from None
