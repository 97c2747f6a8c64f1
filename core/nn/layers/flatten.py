"""Flatten: images (C, H, W, n), batch innermost, -> rows (n, C*H*W) in (channel, row, column)
order, for the dense layers that follow. Backward puts row gradients back into images.

Both directions are one transposing copy into a reused buffer (the dense layers want
contiguous rows; the conv layers want the batch innermost).
"""
import numpy as np

from core.nn.layers.base import Layer


class Flatten(Layer):
    kind = "flatten"

    def output_shape(self, in_shape):
        return (int(np.prod(in_shape)),)

    def _make(self, n):
        size = self.out_shape[0]
        return {"y": np.empty((n, size), self.dtype), "dx": np.empty((size, n), self.dtype)}

    def forward(self, x, training=False):
        if len(self.in_shape) == 1:
            return x
        n = x.shape[-1]
        y = self.buffers.get(n, self._make)["y"]
        np.copyto(y, x.reshape(-1, n).T)
        return y

    def backward(self, grad_out, need_input_grad=True):
        if not need_input_grad:
            return None
        if len(self.in_shape) == 1:
            return grad_out
        n = grad_out.shape[0]
        dx = self.buffers.get(n, self._make)["dx"]
        np.copyto(dx, grad_out.T)
        return dx.reshape(*self.in_shape, n)
