"""Activation layer: the element-wise non-linearity (core.nn.activations) as a layer.

Works on rows (n, d) or images (C, H, W, n) alike. In place (no extra memory pass) unless the
layer below keeps its output for its own backward (max pooling does), then into a buffer.
Backward multiplies the incoming gradient, in place, by the derivative written in terms of
the output.
"""
import numpy as np

from core.nn.activations import get_activation
from core.nn.layers.base import Layer


class Activation(Layer):
    kind = "activation"

    def __init__(self, function, name=""):
        self.function = get_activation(function) if isinstance(function, str) else function
        super().__init__(name or self.function.name)
        self.in_place = True
        self._a = None

    def _make(self, n):
        shape = (n, *self.in_shape) if len(self.in_shape) == 1 else (*self.in_shape, n)
        return np.empty(shape, self.dtype)

    def forward(self, x, training=False):
        if not self.in_place:
            n = x.shape[0] if len(self.in_shape) == 1 else x.shape[-1]
            out = self.buffers.get(n, self._make)
            np.copyto(out, x)
            x = out
        self._a = self.function.forward(x)
        return self._a

    def backward(self, grad_out, need_input_grad=True):
        if not need_input_grad:
            return None
        return self.function.backward(grad_out, None, self._a)

    def floats_per_example(self):
        return 0 if self.in_place else int(np.prod(self.out_shape))
