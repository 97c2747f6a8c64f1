"""Driving a Network's layers from outside: hidden layers by number, activations part-way
through, the rest of the stack from there, and the gradient of a class score with respect to
the input pixels. Every analysis module (neuron cards, evidence maps, fool it, embedding)
builds on these, so dense and convolutional networks behave the same.

Layouts follow core.nn: inputs are rows x (n, n_inputs) in (H, W, C) pixel order; layers see
rows (n, d) or images (C, H, W, n), batch innermost. Hidden activations handed out here are
batch-first: (n, units) for dense layers, (n, C, H, W) for conv layers.

These functions run the layers' own forward/backward, which reuse per-batch buffers and
overwrite the layers' gradient arrays: give them a network no other thread is using
(``network.copy()`` of a model being trained).
"""
from dataclasses import dataclass

import numpy as np

from core.errors import DigitLabError
from core.nn.layers import Activation, Conv2D, Dense


@dataclass(frozen=True)
class HiddenLayer:
    """Hidden layer ``number`` (1 = the first, as the layer list names W1): the parameter layer
    at ``param_index`` in network.layers and the activation layer at ``output_index`` whose
    output is what the units say (after pooling, when pooling follows a conv layer)."""
    number: int
    param_index: int
    output_index: int
    is_conv: bool
    units: int                # dense units or conv filters (channels)
    name: str                 # 'dense1', 'conv2', ...


def hidden_layers(network):
    """[HiddenLayer] for every parameter layer except the output layer, in order."""
    layers = network.layers
    param_indices = [i for i, layer in enumerate(layers) if isinstance(layer, (Dense, Conv2D))]
    hidden = []
    for number, index in enumerate(param_indices[:-1], start=1):
        following = param_indices[number]
        output = next((j for j in range(index + 1, following) if isinstance(layers[j], Activation)), index)
        layer = layers[index]
        is_conv = isinstance(layer, Conv2D)
        hidden.append(HiddenLayer(number, index, output, is_conv, layer.filters if is_conv else layer.units,
                                  layer.name))
    return hidden


def hidden_layer(network, number):
    """The HiddenLayer numbered ``number`` (from 1); DigitLabError naming the valid range."""
    hidden = hidden_layers(network)
    if not hidden:
        raise DigitLabError("this network has no hidden layer (its inputs go straight to the outputs)")
    if not 1 <= int(number) <= len(hidden):
        raise DigitLabError(f"layer {number} does not exist: hidden layers are numbered 1 to {len(hidden)}")
    return hidden[int(number) - 1]


def to_layer_input(network, x):
    """Rows x (n, n_inputs) -> what the first layer reads (rows, or a (C, H, W, n) view)."""
    return network._as_input(np.asarray(x, network.dtype))   # the network's own conversion


def batch_first(a):
    """A layer output (n, d) or (C, H, W, n) -> batch first (n, d) or (n, C, H, W), a copy."""
    return a.transpose(3, 0, 1, 2).copy() if a.ndim == 4 else a.copy()


def layer_layout(a):
    """Batch-first (n, d) or (n, C, H, W) -> the layers' layout (a view)."""
    return a.transpose(1, 2, 3, 0) if a.ndim == 4 else a


def run_layers(layers, a, training=False):
    """a through layers in order (their forward); returns the last output (a layer buffer)."""
    for layer in layers:
        a = layer.forward(a, training)
    return a


def activations_at(network, x, stop, chunk=None):
    """Outputs of network.layers[stop] for rows x (n, n_inputs), batch first: (n, d) or
    (n, C, H, W) float, computed in chunks of network.eval_chunk."""
    x = np.asarray(x)
    chunk = chunk or network.eval_chunk
    parts = [batch_first(run_layers(network.layers[:stop + 1], to_layer_input(network, x[i:i + chunk])))
             for i in range(0, len(x), chunk)]
    return np.concatenate(parts) if parts else np.empty((0,), network.dtype)


def logits_from(network, a, start, chunk=None):
    """Output scores before softmax (n, n_outputs) from batch-first activations a of
    network.layers[start - 1] (start 0: input rows (n, n_inputs)), running layers[start:] in chunks."""
    chunk = chunk or network.eval_chunk
    out = np.empty((len(a), network.n_outputs), np.float64)
    for i in range(0, len(a), chunk):
        piece = np.ascontiguousarray(a[i:i + chunk], network.dtype)
        piece = to_layer_input(network, piece) if start == 0 else layer_layout(piece)
        out[i:i + chunk] = run_layers(network.layers[start:], piece)
    return out


def logits(network, x):
    """Scores before the output non-linearity (n, n_outputs) float64 for rows x (n, n_inputs)."""
    return logits_from(network, np.asarray(x), 0) if len(x) else np.empty((0, network.n_outputs))


def class_scores(network, z):
    """Per-class scores (n, n_classes) from logits z (n, n_outputs). Softmax: the logits (their
    differences are log-probability ratios). One sigmoid unit: (-z/2, z/2), whose difference
    is again the log-odds."""
    z = np.asarray(z, np.float64)
    return np.hstack([-z / 2, z / 2]) if network.is_binary else z


def predictions_from_logits(network, z):
    """Predicted class indices (n,) from logits (n, n_outputs)."""
    return (z[:, 0] > 0).astype(np.int64) if network.is_binary else np.argmax(z, axis=1)


def score_gradient(network, x, class_weights):
    """The gradient of sum_c class_weights[:, c] * score_c(x) with respect to every input row.

    x: (n, n_inputs) rows; class_weights: (n, n_classes) (one-hot for one class's score, +1/-1
    for a contrast "c and not k"). Returns (scores (n, n_classes) float64, gradient
    (n, n_inputs) float64 in the rows' pixel order). One forward and one backward pass
    through the network's own layers; the layers' parameter gradients are overwritten.
    """
    x = np.asarray(x, network.dtype)
    weights = np.asarray(class_weights, np.float64)
    a = run_layers(network.layers, to_layer_input(network, x))
    scores = class_scores(network, a)
    if network.is_binary:                      # d(w0 * -z/2 + w1 * z/2)/dz
        grad = ((weights[:, 1] - weights[:, 0]) / 2).reshape(-1, 1)
    else:
        grad = weights
    grad = np.ascontiguousarray(grad, network.dtype)
    for layer in reversed(network.layers):
        grad = layer.backward(grad, need_input_grad=True)
    if grad.ndim == 4:                         # (C, H, W, n) -> rows in (H, W, C) order
        grad = grad.transpose(3, 1, 2, 0)
    return scores, np.asarray(grad, np.float64).reshape(len(x), -1)


def image_shape(network):
    """(H, W) of the network's input images (a fully connected network reading n*n pixels is
    taken as square; other lengths as one row (1, n))."""
    shape = tuple(network.input_shape)
    if len(shape) >= 2:
        return shape[:2]
    side = int(round(np.sqrt(shape[0])))
    return (side, side) if side * side == shape[0] else (1, shape[0])


def one_thread():
    """A context limiting BLAS and OpenMP to one thread. On our 2-core machines the other core is
    busy (the GUI thread, training), and two spinning threads then run 3 to 6 times slower
    than one (measured for PCA and t-SNE: 1.2 s -> 0.3 s, 10 s -> 1.7 s)."""
    from threadpoolctl import threadpool_limits     # installed with scikit-learn
    return threadpool_limits(limits=1)


def pixel_range(normalisation):
    """(low, high, scale): the model-input values of a black and a full-ink pixel, and model
    units per [0, 1] pixel unit (core.data.normalise)."""
    if normalisation == "zero_one":
        return 0.0, 1.0, 1.0
    if normalisation == "minus_one_one":
        return -1.0, 1.0, 2.0
    raise DigitLabError(f"unknown normalisation {normalisation!r}")
