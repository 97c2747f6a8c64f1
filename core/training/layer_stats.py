"""Per-layer health figures for batch snapshots: RMS of weights, of the gradient, and of the last
update relative to the weights (LayerStats), computed only on the batches that take a snapshot.

The fast version allocates nothing: sums of squares are dot products of flat views (one BLAS
pass, no squared temporary), and the update is formed in the buffer that held the weights
before the step. ``reference_layer_stats`` is the plain formula the tests compare it with; the
two agree to float32 rounding of a long sum (about 1e-6 relative).
"""
import math

import numpy as np

from core.training.snapshots import LayerStats


def _rms(array):
    flat = array.reshape(-1)
    return math.sqrt(float(np.dot(flat, flat)) / max(1, flat.size))


def layer_stats(weights, weights_before, weight_grads):
    """LayerStats per weight matrix. weights: the matrices after the step; weights_before: copies
    taken before it (overwritten here with the update); weight_grads: the step's gradients."""
    stats = []
    for i, (W, before, grad) in enumerate(zip(weights, weights_before, weight_grads, strict=True)):
        weight_rms = _rms(W)
        update = np.subtract(W, before, out=before)
        stats.append(LayerStats(f"W{i + 1}", weight_rms, _rms(grad),
                                _rms(update) / weight_rms if weight_rms > 0 else 0.0))
    return tuple(stats)


def reference_layer_stats(weights, weights_before, weight_grads):
    """The same figures written plainly (allocates; leaves weights_before alone)."""
    stats = []
    for i, (W, before, grad) in enumerate(zip(weights, weights_before, weight_grads, strict=True)):
        weight_rms = float(np.sqrt(np.mean(W * W)))
        update_rms = float(np.sqrt(np.mean((W - before) ** 2)))
        stats.append(LayerStats(f"W{i + 1}", weight_rms, float(np.sqrt(np.mean(grad * grad))),
                                update_rms / weight_rms if weight_rms > 0 else 0.0))
    return tuple(stats)
