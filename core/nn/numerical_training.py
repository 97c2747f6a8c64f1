"""Training by numerical gradients: a teaching mode that shows why backpropagation matters.

Central differences need two forward passes over the batch *per parameter*
(cost(w + eps) and cost(w - eps)), while backpropagation gets every gradient from one forward
and one backward pass. A 784-128-10 network has 101,770 parameters, so one numerical gradient
costs ~200,000 forward passes: hours per epoch instead of seconds. This module makes that
visible on tiny networks (``NumericalGradientNetwork``) and measures the ratio
(``measure_gradient_speed``).
"""
import time

import numpy as np

from core.errors import ConfigError
from core.nn.gradcheck import numerical_gradient
from core.nn.network import Network

MAX_NUMERICAL_PARAMS = 5000   # above this a single batch takes seconds; refuse with an explanation
DEFAULT_EPSILON = 1e-5        # central differences in float64: error ~eps^2, rounding ~1e-16/eps


def full_numerical_gradient(network, x, y, l2=0.0, n_total=None, epsilon=DEFAULT_EPSILON):
    """Every parameter's gradient by central differences, in ``network.params`` order.

    network: preferably float64 (in float32 the differences drown in rounding error).
    x: (n_ex, n_inputs), y: (n_ex, n_outputs) targets. Returns a list of float64 arrays shaped
    like the parameters. Costs 2 * n_params forward passes over x.
    """
    x = np.asarray(x, network.dtype)

    def cost():
        return network.cost(x, y, l2, n_total)

    return [numerical_gradient(cost, param, np.arange(param.size), epsilon).reshape(param.shape)
            for param in network.params]


def n_params(network):
    return int(sum(p.size for p in network.params))


def check_small_enough(network, limit=MAX_NUMERICAL_PARAMS):
    """ConfigError explaining the cost when the network is too big for numerical gradients."""
    count = n_params(network)
    if count > limit:
        raise ConfigError(
            f"numerical gradients are refused for this {network.describe()} network: it has {count:,} "
            f"parameters (limit {limit:,}). Central differences need 2 forward passes per parameter, so "
            f"one batch would take {2 * count:,} forward passes where backpropagation needs one forward "
            f"and one backward pass. That is exactly why backpropagation matters. Use a tiny network "
            f"(e.g. 8x8 images and 16 hidden units) to see numerical-gradient training.")
    return count


class NumericalGradientNetwork(Network):
    """A Network whose ``loss_and_gradients`` uses central differences instead of backprop.

    Drop-in for the Trainer (pass it as ``network=``): same params, forward, cost and buffers;
    only the gradient computation differs. Copies (snapshots, saved models) are plain Networks.
    Use float64 (the default here) so the differences are accurate.
    """

    def __init__(self, layer_sizes, activation="sigmoid", loss="cross_entropy", output="softmax",
                 init="auto", seed=0, dtype=np.float64, init_epsilon=0.12, weights=None,
                 epsilon=DEFAULT_EPSILON):
        super().__init__(layer_sizes, activation, loss, output, init, seed=seed, dtype=dtype,
                         init_epsilon=init_epsilon, weights=weights)
        self.epsilon = epsilon
        check_small_enough(self)

    @classmethod
    def from_network(cls, network, epsilon=DEFAULT_EPSILON):
        """A float64 numerical-gradient network with a copy of ``network``'s weights."""
        if not network.is_mlp:
            raise ConfigError(f"numerical gradients are for small fully connected networks, not the layer "
                              f"stack {network.layers_text}; `python main.py gradcheck --layers ...` compares "
                              f"the two kinds of gradient on any stack")
        return cls(network.layer_sizes, network.activation_name, network.loss_name, network.output_name,
                   network.init, init_epsilon=network.init_epsilon,
                   weights=[np.asarray(p, np.float64).copy() for p in network.params], epsilon=epsilon)

    def loss_and_gradients(self, x, y, l2=0.0, n_total=None, fold_weight_grads=False):
        """Same contract as Network.loss_and_gradients, gradients by central differences
        (always arrays: fold_weight_grads only allows factors, and there are none here)."""
        x = np.asarray(x, self.dtype)
        self.last_output = self.forward(x).copy()   # the Trainer counts correct answers from it
        loss = self.cost(x, y, l2, n_total)
        grads = full_numerical_gradient(self, x, y, l2, n_total, self.epsilon)
        return loss, [g.astype(self.dtype, copy=False) for g in grads]


def measure_gradient_speed(network, x, y, l2=0.0, repeats=3, max_numerical_params=300,
                           epsilon=DEFAULT_EPSILON):
    """Time one backprop gradient against one numerical gradient of ``network`` on (x, y).

    x: (n_ex, n_inputs) floats, y: (n_ex, n_outputs) targets. Backprop is timed as the best of
    ``repeats`` runs. The numerical gradient is timed on at most ``max_numerical_params``
    parameters and scaled up linearly (every parameter costs the same two forward passes), so
    the figure is available even for networks where the real thing would take hours.

    Returns dict(backprop_seconds, numerical_seconds, speedup, n_params, numerical_params_timed,
    numerical_estimated, batch_size).
    """
    net = network.copy(dtype=np.float64)
    x = np.asarray(x, np.float64)
    y = np.asarray(y, np.float64)
    backprop = float("inf")
    for _ in range(max(1, repeats)):
        started = time.perf_counter()
        net.loss_and_gradients(x, y, l2)
        backprop = min(backprop, time.perf_counter() - started)
    total = n_params(net)
    # Spread the timed parameters over every array (first layer entries dominate otherwise).
    sizes = np.array([p.size for p in net.params])
    budget = min(total, max_numerical_params)
    per_array = np.maximum(1, np.round(budget * sizes / total)).astype(int)
    per_array = np.minimum(per_array, sizes)
    rng = np.random.default_rng(0)

    def cost():
        return net.cost(x, y, l2)

    started = time.perf_counter()
    for param, count in zip(net.params, per_array):
        indices = rng.choice(param.size, count, replace=False)
        numerical_gradient(cost, param, indices, epsilon)
    timed = time.perf_counter() - started
    n_timed = int(per_array.sum())
    numerical = timed * total / n_timed
    backprop = max(backprop, 1e-9)
    return {"backprop_seconds": backprop, "numerical_seconds": numerical, "speedup": numerical / backprop,
            "n_params": total, "numerical_params_timed": n_timed, "numerical_estimated": n_timed < total,
            "batch_size": int(len(x))}
