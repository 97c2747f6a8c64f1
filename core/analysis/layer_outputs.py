"""What the neuron cards keep of one forward pass over the validation images, and the fast
ablation it allows.

One pass through every layer gives the baseline predictions anyway, so it keeps, on the way,
every hidden layer's activations and the output z of the parameter layer that reads them
(``forward_keeping``): after it, a card of any layer needs no forward pass at all (the first
card of a CNN used to pay a full pass for its layer, and another for the next layer clicked).

Silencing unit u of a layer only removes u's term from the next parameter layer's output,
because that layer is linear in its input:

    dense next:  z' = z - a_u (outer) W[u, :]                 a_u: (k,) activations of u
    flatten, dense next: z' = z - A_u @ W[u*H*W:(u+1)*H*W, :]  A_u: (k, H*W) u's maps
    conv next:   z' = z - conv(A_u, W[:, u])                  one input channel of C_in

(``unit_contribution``), so an ablation costs a 1/C_in share of the next conv layer plus the
cheap layers above it, instead of re-running the next conv layer on every channel. The readable
reference, setting the unit's output to 0 and running every layer above again, is
NeuronLab.ablate_reference; the tests check both give the same predictions.
"""
import numpy as np

from core.analysis.probe import batch_first, to_layer_input
from core.nn.layers import Conv2D, Dense, Dropout, Flatten

# The pass keeps every hidden layer when their activations and z's take at most this much
# (the default CNN on 10,000 images: ~155 MB); above, only the layer asked for (as before).
KEEP_ALL_BYTES = 400 * 2 ** 20


def next_parameter_index(network, hidden):
    """Index in network.layers of the Dense/Conv2D layer that reads hidden layer ``hidden``."""
    layers = network.layers
    return next(i for i in range(hidden.param_index + 1, len(layers)) if isinstance(layers[i], (Dense, Conv2D)))


def linear_bridge(network, hidden):
    """True when only reshaping layers (Flatten, Dropout: identity when evaluating) lie between
    the hidden layer's output and the next parameter layer, so silencing a unit is a subtraction
    from that layer's output z."""
    between = network.layers[hidden.output_index + 1:next_parameter_index(network, hidden)]
    return all(isinstance(layer, (Flatten, Dropout)) for layer in between)


def kept_bytes(network, hidden_list, n):
    """Bytes the activations and next-layer outputs of hidden_list take for n images."""
    layers, size = network.layers, network.dtype.itemsize
    return sum(n * size * (int(np.prod(layers[h.output_index].out_shape))
                           + int(np.prod(layers[next_parameter_index(network, h)].out_shape)))
               for h in hidden_list)


def forward_keeping(network, x, keep, native=(), chunk=None, spare=None):
    """One forward pass over rows x (n, n_inputs), in chunks of network.eval_chunk.

    keep: layer indices whose outputs to keep batch first, (n, d) or (n, C, H, W); native:
    indices to keep in the layers' own layout, (n, d) or (C, H, W, n) (what the layers above
    read without a transposed copy). Returns ({index: array in the network's dtype}, {index:
    native array}, logits (n, n_outputs) float64). An output is copied as soon as its layer has
    run (the next layer may work in place on it). spare: arrays of an earlier pass nobody uses
    any more, filled again when their shape fits (fresh ones of 60 MB cost page faults and the
    kernel's zeroing at every epoch).
    """
    layers, chunk = network.layers, chunk or network.eval_chunk
    n = len(x)

    spare = list(spare or ())

    def empty(index, batch_last):
        shape = tuple(layers[index].out_shape)
        shape = shape + (n,) if batch_last and len(shape) == 3 else (n,) + shape
        fits = [i for i, a in enumerate(spare) if a.shape == shape and a.dtype == network.dtype]
        return spare.pop(fits[0]) if fits else np.empty(shape, network.dtype)

    kept = {i: empty(i, False) for i in keep}
    kept_native = {i: empty(i, True) for i in native}
    logits = np.empty((n, network.n_outputs), np.float64)
    for start in range(0, n, chunk):
        stop = min(n, start + chunk)
        a = to_layer_input(network, x[start:stop])
        for index, layer in enumerate(layers):
            a = layer.forward(a, False)
            if index in kept:
                kept[index][start:stop] = batch_first(a)
            if index in kept_native:
                target = kept_native[index]
                if a.ndim == 4:
                    target[..., start:stop] = a
                else:
                    target[start:stop] = a
        logits[start:stop] = a
    return kept, kept_native, logits


def unit_contribution(network, hidden, unit, maps):
    """Unit ``unit``'s term in the next parameter layer's output, in the layers' layout.

    maps: the unit's outputs on k <= network.eval_chunk images, (k,) for a dense unit or
    (k, H, W) for a channel. Returns (k, n_next) for a dense next layer, or (C_out, H', W', k)
    for a conv one (a buffer of a throw-away layer), in the network's dtype. The bias is not
    part of it (it stays when the unit is silenced).
    """
    layers = network.layers
    following = layers[next_parameter_index(network, hidden)]
    W = following.params[0]
    maps = np.asarray(maps, network.dtype)
    k = len(maps)
    if isinstance(following, Dense):
        rows = W[unit] if maps.ndim == 1 else W[unit * maps[0].size:(unit + 1) * maps[0].size]
        return np.outer(maps, rows) if maps.ndim == 1 else maps.reshape(k, -1) @ rows
    # a conv layer on one input channel, run by the conv layer's own code (im2col)
    single = Conv2D(following.filters, following.kernel, following.padding, name="one channel")
    single.build((1,) + maps.shape[1:], network.dtype)
    single.set_params([np.ascontiguousarray(W[:, unit:unit + 1]), np.zeros(following.filters, network.dtype)])
    return single.forward(maps.transpose(1, 2, 0)[None])
