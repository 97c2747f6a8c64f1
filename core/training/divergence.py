"""Has training diverged? One question the loop asks after every batch.

NaN/inf is the obvious case. A finite loss can explode too: cross-entropy is clipped at about
27.6 per example, so runaway weights show as a loss stuck far above the untrained network's. The
window mean (checked every snapshot_every batches) keeps one unlucky batch from counting.
"""
import math

import numpy as np

EXPLOSION_FACTOR = 3.0        # window mean loss above this many times the initial loss = diverged
EXPLOSION_FLOOR = 0.5         # ... or the floor: a run from trained weights (fine-tuning) starts near 0


def divergence(loss, window_mean, initial_loss, weights):
    """A sentence saying how training diverged, or '' if it did not.

    loss: this batch's loss; window_mean: the mean loss over the recent batches, or None when it
    is not checked on this batch; initial_loss: the run's first batch loss; weights: the
    network's weight arrays (checked for NaN/inf with the window)."""
    if not math.isfinite(loss):
        return "the loss became NaN/infinite"
    if window_mean is not None:
        if window_mean > EXPLOSION_FACTOR * max(initial_loss, EXPLOSION_FLOOR) + 1e-3:
            return (f"the loss exploded (from {initial_loss:.3g} before training to a mean of "
                    f"{window_mean:.3g} over the last batches)")
        if not all(np.isfinite(W).all() for W in weights):
            return "the weights became NaN/infinite"
    return ""
