"""Max pooling over k x k windows with stride k (2x2, stride 2 by default), on images
(C, H, W, n), batch innermost. Rows and columns that do not fill a whole window are dropped
(floor), as in the frameworks, and get zero gradient.

Forward: the maximum of the k*k strided slices x[:, di::k, dj::k, :] (each slice runs over long
contiguous stretches of the batch axis). Backward: the gradient goes to the position that
holds the maximum; on ties only the first such position in row-major window order gets it
(the others see the gradient already taken), which is what the loop reference
core.nn.layers.reference.maxpool_backward does with np.argmax.
"""
import numpy as np

from core.nn.layers.base import Layer


class MaxPool2D(Layer):
    kind = "pool"
    keeps_output = True        # backward compares the input with the output
    spatial_output = True

    def __init__(self, size=2, name=""):
        super().__init__(name)
        self.size = int(size)
        if self.size < 1:
            raise ValueError(f"pool size must be >= 1 (got {size})")

    def output_shape(self, in_shape):
        if len(in_shape) != 3:
            raise ValueError(f"a pooling layer takes images (C, H, W), not {in_shape}")
        channels, height, width = in_shape
        return (channels, height // self.size, width // self.size)

    def _make(self, n):
        c, h, w = self.out_shape
        return {"y": np.empty((c, h, w, n), self.dtype), "dx": np.zeros((*self.in_shape, n), self.dtype),
                "g": np.empty((c, h, w, n), self.dtype), "mask": np.empty((c, h, w, n), bool)}

    def _window(self, a, di, dj):
        """The (C, H_out, W_out, n) slice of a at offset (di, dj) inside every window."""
        k = self.size
        _, h, w = self.out_shape
        return a[:, di:h * k:k, dj:w * k:k, :]

    def forward(self, x, training=False):
        n = x.shape[-1]
        buf = self.buffers.get(n, self._make)
        y = buf["y"]
        k = self.size
        np.copyto(y, self._window(x, 0, 0))
        for di in range(k):
            for dj in range(k):
                if di or dj:
                    np.maximum(y, self._window(x, di, dj), out=y)
        self._x, self._buf = x, buf
        return y

    def backward(self, grad_out, need_input_grad=True):
        if not need_input_grad:
            return None
        buf, x, k = self._buf, self._x, self.size
        y, g, mask, dx = buf["y"], buf["g"], buf["mask"], buf["dx"]
        np.copyto(g, grad_out)             # the gradient not yet handed to a position
        for di in range(k):
            for dj in range(k):
                target = self._window(dx, di, dj)
                np.equal(self._window(x, di, dj), y, out=mask)
                np.multiply(g, mask, out=target)
                g -= target                    # taken: later tied positions get nothing
        return dx

    def floats_per_example(self):
        return 3 * int(np.prod(self.out_shape)) + int(np.prod(self.in_shape))
