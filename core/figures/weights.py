"""First-layer weights and conv filters as PIL pictures, as the Weights tab shows them.

Signed values on a blue-white-red scale symmetric around 0 (core.analysis.pictures.diverging),
limit = the 99.5th percentile of |w| (a few outliers must not wash every tile out) unless the
caller fixes it: a film passes one limit for all its frames, so growing weights grow redder.
"""
import math

import numpy as np

from core.analysis.pictures import column, diverging, enlarge, labelled, tile
from core.errors import DigitLabError


def symmetric_limit(values):
    """99.5th percentile of |values| (linear interpolation, as np.percentile); 1 if that is 0 or
    not finite. Two order statistics by np.partition: np.percentile took 1.4 ms for a 784-128
    layer's weights on the window's thread at every redraw, this 0.2 ms."""
    magnitudes = np.abs(np.asarray(values)).ravel()
    if magnitudes.size == 0:
        return 1.0
    position = 0.995 * (magnitudes.size - 1)
    low = int(math.floor(position))
    high = min(low + 1, magnitudes.size - 1)
    ordered = np.partition(magnitudes, (low, high))
    limit = float(ordered[low] + (position - low) * (float(ordered[high]) - float(ordered[low])))
    return limit if limit > 0 and math.isfinite(limit) else 1.0


def _mosaic(tiles, limit, columns, height):
    """(n, h, w) signed tiles -> PIL image of their grid (``columns`` wide): its longer side about
    ``height`` px, each weight a square of 2 to 14 px (small kernels stay readable)."""
    grid = tile(np.stack([diverging(t, limit) for t in tiles]), columns)
    factor = int(np.clip(height / max(grid.shape[:2]), 2, 14))
    return enlarge(grid, grid.shape[0] * factor)


def weights_limit(network, image_shape):
    return symmetric_limit(network.first_layer_images(image_shape))


def weights_image(network, image_shape, limit=None, height=480):
    """The first layer's weights: a dense first layer gives one tile (H, W) per unit (its weight
    on every pixel), a conv first layer one k x k tile per filter. PIL image about ``height`` px
    high with a caption naming the count and the colour scale."""
    tiles = network.first_layer_images(tuple(image_shape))
    limit = limit or symmetric_limit(tiles)
    n, h, w = tiles.shape
    kind = "filter" if network.first_layer_kind == "conv" else "unit"
    picture = _mosaic(tiles, limit, max(1, math.ceil(math.sqrt(n))), height)
    return labelled(picture, f"first layer: {n} {kind}{'s' * (n != 1)} of {h}x{w} · "
                             f"blue negative, white 0, red positive (±{limit:.3g})")


def filters_limits(network):
    """{conv layer name: its symmetric limit}."""
    return {name: symmetric_limit(f) for name, f in network.conv_filters()}


def filter_grid(filters):
    """(C_out, C_in, k, k) -> ((m, k, k) tiles, columns): C_in == 1 a square-ish grid of C_out
    tiles; else one row per output filter, one column per input channel."""
    n_out, n_in, k, _ = filters.shape
    if n_in == 1:
        return filters[:, 0], max(1, math.ceil(math.sqrt(n_out)))
    return filters.reshape(n_out * n_in, k, k), n_in


def filters_image(network, limits=None, height=420):
    """Every convolution layer's filters, one captioned mosaic per layer, stacked.
    DigitLabError if the network has no convolution layer."""
    layers = network.conv_filters()
    if not layers:
        raise DigitLabError("this network has no convolution layers, so it has no filters; use the weights view")
    limits = limits or {}
    parts = []
    for name, filters in layers:
        limit = limits.get(name) or symmetric_limit(filters)
        tiles, columns = filter_grid(np.asarray(filters, np.float32))
        n_out, n_in, k, _ = filters.shape
        layout = "" if n_in == 1 else f" (rows: filters, columns: the {n_in} input maps)"
        picture = _mosaic(tiles, limit, columns, height * 3 // 4)
        parts.append(labelled(picture, f"{name}: {n_out} filters of {k}x{k}{layout} · ±{limit:.3g}"))
    return column(parts, margin=0)
