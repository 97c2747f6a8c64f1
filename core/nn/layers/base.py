"""What every layer shares: its parameter and gradient lists, shapes, and the buffer cache.

A layer is built for one input feature shape (``build``), then called as
    y = layer.forward(x, training)          x: (n, ...) rows or (C, H, W, n) images
    dx = layer.backward(dy, need_input_grad)
``backward`` fills ``layer.grads`` (same order and shapes as ``layer.params``) in place and
returns the gradient with respect to the input, or None when need_input_grad is False (the
first layer: nobody needs the gradient of the pixels). Arrays a layer returns live in its
buffers and are overwritten by its next call with the same batch size.

Per thread: the buffers, and what a forward pass leaves for its backward pass (CALL_STATE), are
each thread's own, so two threads may run one network at once (the window's workers do: the
evidence map, Fool it, the calibration, the unit list on the model being trained). Shared, one
thread's forward pass overwrote the other's: 4-8% of answers changed. Neither is pickled: a
strided view of a padded input would come back as a copy, and the unpickled network would
compute on stale windows (a 99% model read 10% after crossing the process boundary).
"""
import threading

import numpy as np


class BufferCache:
    """Per-batch-size buffers: training batches, the last short batch and evaluation chunks
    each get their own set, and only the few most recent sizes are kept (memory). Each thread
    has its own sets; clear() drops every thread's."""

    def __init__(self, keep=3):
        self.keep = keep
        self._local = threading.local()
        self._generation = 0

    def _sets(self):
        local = self._local
        if getattr(local, "generation", None) != self._generation:
            local.sets, local.generation = {}, self._generation
        return local.sets

    def get(self, n, make):
        """The buffers for batch size n, made by make(n) the first time (a dict or tuple)."""
        sets = self._sets()
        buffers = sets.get(n)
        if buffers is None:
            buffers = sets[n] = make(n)
            if len(sets) > self.keep:
                sets.pop(next(iter(sets)))
        return buffers

    def clear(self):
        self._generation += 1   # every thread makes its sets again at its next call

    def __getstate__(self):
        return {"keep": self.keep}   # scratch space: never pickled, made again when needed

    def __setstate__(self, state):
        self.__init__(state["keep"])


CALL_STATE = ("_buf", "_x", "_a", "_mask")   # what a layer's forward leaves for its backward


class _CallState(threading.local):
    def __init__(self):
        for name in CALL_STATE:
            setattr(self, name, None)


def _per_thread(name):
    return property(lambda layer: getattr(layer._calls, name),
                    lambda layer, value: setattr(layer._calls, name, value))


class Layer:
    """Base class. Subclasses set ``kind`` and implement build, forward and backward.

    in_shape / out_shape are feature shapes without the batch: (d,) for rows, (C, H, W) for
    images. ``keeps_output`` says the layer's backward reads its own forward output, so a
    following activation must not overwrite it in place.
    """
    kind = "layer"
    keeps_output = False
    spatial_output = False     # True when out_shape is (C, H, W) in the images layout
    _buf, _x, _a, _mask = (_per_thread(name) for name in CALL_STATE)

    def __init__(self, name=""):
        self._calls = _CallState()
        self.name = name or self.kind
        self.params = []           # parameter arrays, e.g. [W, b]
        self.grads = []            # gradients, same shapes, filled by backward
        self.param_suffixes = []   # 'W', 'b' -> the network names them W1, b1, ...
        self.in_shape = self.out_shape = None
        self.buffers = BufferCache()

    def __getstate__(self):
        state = dict(self.__dict__)
        state.pop("_calls", None)   # one thread's forward pass: nothing another process can use
        return state

    def __setstate__(self, state):
        self.__dict__.update(state)
        self._calls = _CallState()

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
