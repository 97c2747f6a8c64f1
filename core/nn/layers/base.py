"""What every layer shares: its parameter and gradient lists, shapes, and the buffer cache.

A layer is built for one input feature shape (``build``), then called as
    y = layer.forward(x, training)          x: (n, ...) rows or (C, H, W, n) images
    dx = layer.backward(dy, need_input_grad)
``backward`` fills ``layer.grads`` (same order and shapes as ``layer.params``) in place and
returns the gradient with respect to the input, or None when need_input_grad is False (the
first layer: nobody needs the gradient of the pixels). Arrays a layer returns live in its
buffers and are overwritten by its next call with the same batch size.
"""
import numpy as np


class BufferCache:
    """Per-batch-size buffers: training batches, the last short batch and evaluation chunks
    each get their own set, and only the few most recent sizes are kept (memory)."""

    def __init__(self, keep=3):
        self.keep = keep
        self._sets = {}

    def get(self, n, make):
        """The buffers for batch size n, made by make(n) the first time (a dict or tuple)."""
        buffers = self._sets.get(n)
        if buffers is None:
            buffers = self._sets[n] = make(n)
            if len(self._sets) > self.keep:
                self._sets.pop(next(iter(self._sets)))
        return buffers

    def clear(self):
        self._sets.clear()


class Layer:
    """Base class. Subclasses set ``kind`` and implement build, forward and backward.

    in_shape / out_shape are feature shapes without the batch: (d,) for rows, (C, H, W) for
    images. ``keeps_output`` says the layer's backward reads its own forward output, so a
    following activation must not overwrite it in place.
    """
    kind = "layer"
    keeps_output = False
    spatial_output = False     # True when out_shape is (C, H, W) in the images layout

    def __init__(self, name=""):
        self.name = name or self.kind
        self.params = []           # parameter arrays, e.g. [W, b]
        self.grads = []            # gradients, same shapes, filled by backward
        self.param_suffixes = []   # 'W', 'b' -> the network names them W1, b1, ...
        self.in_shape = self.out_shape = None
        self.buffers = BufferCache()

    def build(self, in_shape, dtype):
        """Remember shapes and dtype; returns out_shape. Parameters are set by the network."""
        self.in_shape, self.dtype = tuple(in_shape), np.dtype(dtype)
        self.out_shape = self.output_shape(self.in_shape)
        return self.out_shape

    def output_shape(self, in_shape):
        return tuple(in_shape)

    def set_params(self, params):
        """Adopt these arrays as parameters (no copy) and make matching gradient arrays."""
        self.params = list(params)
        self.grads = [np.zeros_like(p) for p in self.params]
        self.buffers.clear()

    def forward(self, x, training=False):
        raise NotImplementedError

    def backward(self, grad_out, need_input_grad=True):
        raise NotImplementedError

    def floats_per_example(self):
        """Rough size of this layer's per-example buffers (for sizing evaluation chunks)."""
        return 2 * int(np.prod(self.out_shape))
