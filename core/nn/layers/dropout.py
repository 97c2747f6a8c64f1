"""Inverted dropout: in training, each value is kept with probability 1 - rate and scaled by
1 / (1 - rate), so evaluation needs no rescaling (it passes inputs through unchanged).

Works on rows (n, d) or images (C, H, W, n). The mask comes from the layer's own seeded
generator, so a run is reproducible. ``frozen`` reuses the last mask: the gradient check
needs the cost of one fixed network, not a new random one per evaluation.
"""
import numpy as np

from core.nn.layers.base import Layer


class Dropout(Layer):
    kind = "dropout"

    def __init__(self, rate, seed=0, name=""):
        super().__init__(name)
        if not 0 <= rate < 1:
            raise ValueError(f"dropout rate must be in [0, 1) (got {rate})")
        self.rate = float(rate)
        self.rng = np.random.default_rng(seed)
        self.frozen = False
        self._mask = None

    def _make(self, n):
        shape = (n, *self.in_shape) if len(self.in_shape) == 1 else (*self.in_shape, n)
        return {"mask": np.empty(shape, self.dtype), "y": np.empty(shape, self.dtype),
                "dx": np.empty(shape, self.dtype)}

    def forward(self, x, training=False):
        if not training or self.rate == 0:
            self._mask = None
            return x
        n = x.shape[0] if len(self.in_shape) == 1 else x.shape[-1]
        buffers = self.buffers.get(n, self._make)
        mask = buffers["mask"]
        if not (self.frozen and self._mask is mask):
            # mask = (u >= rate) / (1 - rate), drawn in the network's dtype
            self.rng.random(dtype=mask.dtype, out=mask)
            np.greater_equal(mask, self.rate, out=mask)
            mask *= 1.0 / (1.0 - self.rate)
        self._mask = mask
        return np.multiply(x, mask, out=buffers["y"])

    def backward(self, grad_out, need_input_grad=True):
        if not need_input_grad:
            return None
        if self._mask is None:
            return grad_out
        n = grad_out.shape[0] if len(self.in_shape) == 1 else grad_out.shape[-1]
        return np.multiply(grad_out, self._mask, out=self.buffers.get(n, self._make)["dx"])

    def floats_per_example(self):
        return 3 * int(np.prod(self.out_shape))
