"""A hidden unit's incoming and outgoing weights, as the neuron card shows them (arrays and
pictures); core.analysis.neuron puts them on the card."""
import numpy as np

from core.nn.layers import Conv2D, Dense, Flatten


def near_square(values):
    """(n,) -> (rows, cols) near-square grid, row-major, NaN after the last value."""
    n = values.size
    cols = int(np.ceil(np.sqrt(n)))
    rows = int(np.ceil(n / cols))
    grid = np.full(rows * cols, np.nan)
    grid[:n] = values.ravel()
    return grid.reshape(rows, cols)


def map_grid(maps):
    """(m, h, w) -> the maps in a near-square grid, row-major, with NaN gaps of one pixel:
    (rows*(h+1)-1, cols*(w+1)-1). A grid, not a row: 16 maps of 5x5 in a row would be a strip
    too thin to read on the card."""
    m, h, w = maps.shape
    cols = int(np.ceil(np.sqrt(m)))
    rows = int(np.ceil(m / cols))
    out = np.full((rows * (h + 1) - 1, cols * (w + 1) - 1), np.nan)
    for i in range(m):
        row, col = divmod(i, cols)
        out[row * (h + 1):row * (h + 1) + h, col * (w + 1):col * (w + 1) + w] = maps[i]
    return out


def incoming_weights(network, hidden, unit, image_shape):
    """(weights, picture) of unit ``unit`` of HiddenLayer ``hidden``: (C_in, k, k) kernels in a
    grid (map_grid) for a filter; (n_in,) for a dense unit, pictured over the pixels
    (image_shape) in a first layer, as a grid of its C maps after a conv stack, else as a
    near-square grid of single weights."""
    layers = network.layers
    W = layers[hidden.param_index].params[0]
    if hidden.is_conv:
        kernels = np.asarray(W[unit], np.float64)                    # (C_in, k, k)
        return kernels, map_grid(kernels)
    weights = np.asarray(W[:, unit], np.float64)                     # (n_in,)
    before = [layer for layer in layers[:hidden.param_index] if isinstance(layer, (Dense, Conv2D, Flatten))]
    if not before:                                                   # reads the pixels
        return weights, weights.reshape(image_shape)
    if isinstance(before[-1], Flatten):                              # reads conv maps
        return weights, map_grid(weights.reshape(before[-1].in_shape))
    return weights, near_square(weights)


def outgoing_weights(network, hidden, unit):
    """(weights, kind): (n_next,) dense, (C_out, k, k) conv, or (n_next, H, W) from each position
    of the channel's map through a flatten; kind says which, in words."""
    layers = network.layers
    following = next(i for i in range(hidden.param_index + 1, len(layers))
                     if isinstance(layers[i], (Dense, Conv2D)))
    W = np.asarray(layers[following].params[0], np.float64)
    kind = "output" if following == len(layers) - 1 else "hidden"
    if isinstance(layers[following], Conv2D):
        return W[:, unit], f"filters of the next conv layer ({kind})"      # (C_out, k, k)
    if hidden.is_conv:                                                   # through a flatten
        _, height, width = layers[hidden.output_index].out_shape        # flatten order: (C, H, W)
        block = W[unit * height * width:(unit + 1) * height * width]       # (H*W, n_next)
        return block.T.reshape(-1, height, width), f"from each map position to each unit of the {kind} layer"
    return W[unit], "to the output units" if kind == "output" else "to the next hidden layer"
