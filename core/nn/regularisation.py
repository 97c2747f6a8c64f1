"""The L2 weight penalty, written once: every cost (mini-batch, full batch, evaluation, the
`cost` command) adds it through these two functions.

    cost += l2 / (2 n) * sum over weight matrices of sum(W**2)
    dcost/dW += l2 / n * W

n is the size of the whole training set (Nielsen's and Ng's convention), so the penalty per
example does not depend on the batch size. Biases are never regularised.
"""
import numpy as np


def l2_penalty(weights, l2, n):
    """The L2 term of the cost (a Python float) for weight matrices ``weights`` (each (n_in, n_out));
    0.0 when l2 is 0."""
    if not l2:
        return 0.0
    return 0.5 * l2 / n * sum(float(np.sum(W * W)) for W in weights)


def add_l2_gradient(weight_gradients, weights, l2, n):
    """Add the L2 term's gradient l2 / n * W to each weight gradient, in place (same shapes as
    weights); nothing when l2 is 0. Returns weight_gradients."""
    if l2:
        decay = l2 / n
        for gradient, W in zip(weight_gradients, weights):
            gradient += decay * W
    return weight_gradients
