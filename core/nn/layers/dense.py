"""Dense (fully connected) layer: y = x @ W + b, on rows.

Shapes: x (n, n_in) rows, W (n_in, n_out), b (n_out,), y (n, n_out). The same layout as the
multi-layer perceptrons DigitLab always had, so their weights and saved files carry over.
Backward: dW = x.T @ dy, db = sum over the batch of dy, dx = dy @ W.T. With
``fold_weight_grad`` set (the network sets it for a training step whose optimiser can fold), dW
is not multiplied out: ``weight_product`` keeps x and dy for the optimiser's own GEMM
(core.nn.product_gradient). core.nn.layers.reference.dense_forward / dense_backward are the
readable versions the tests compare with.
"""
import numpy as np

from core.nn.layers.base import Layer
from core.nn.product_gradient import ProductGradient


class Dense(Layer):
    kind = "dense"

    def __init__(self, units, name=""):
        super().__init__(name)
        self.units = int(units)
        self.param_suffixes = ["W", "b"]
        self._x = None
        self.fold_weight_grad = False
        self.weight_product = None     # ProductGradient over grads[0], made by set_params

    def output_shape(self, in_shape):
        if len(in_shape) != 1:
            raise ValueError(f"a dense layer takes rows (n_features,), not {in_shape}: flatten first")
        return (self.units,)

    def param_shapes(self):
        return [(self.in_shape[0], self.units), (self.units,)]

    def set_params(self, params):
        super().set_params(params)
        self.weight_product = ProductGradient(self.grads[0])

    def _make(self, n):
        return {"y": np.empty((n, self.units), self.dtype), "dx": np.empty((n, self.in_shape[0]), self.dtype)}

    def forward(self, x, training=False):
        W, b = self.params
        self._buf = self.buffers.get(len(x), self._make)
        y = np.dot(x, W, out=self._buf["y"])
        y += b
        self._x = x            # kept for dW; the layer below leaves it alone until backward
        return y

    def backward(self, grad_out, need_input_grad=True):
        W = self.params[0]
        gW, gb = self.grads
        if self.fold_weight_grad:
            self.weight_product.set(self._x, grad_out)   # grad_out stays untouched until the step
        else:
            np.dot(self._x.T, grad_out, out=gW)
        np.add.reduce(grad_out, axis=0, out=gb)          # = np.sum, without its Python wrapper
        if not need_input_grad:
            return None
        return np.dot(grad_out, W.T, out=self._buf["dx"])
