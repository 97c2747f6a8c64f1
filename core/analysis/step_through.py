"""One training update, stage by stage, as plain data (for the step-through screens and
`python main.py step --json`).

    stepper = StepThrough(config, train_images, train_labels)      # a small network, float64
    record = stepper.step()          # the next mini-batch: forward, loss, backward, check, update

The numbers come from the code that trains: the network is built by
core.training.training_run.build_network from the config (same seed, same initial weights),
the stages call its layers' forward and backward in the order Network.loss_and_gradients does
(with its loss object and L2 helpers), and the update is the config's optimiser from
core.training.optim. Everything runs in float64 (the trainer uses float32) so that the
central differences of the numerical check are accurate to about 1e-9.

The learning rate is the config's base rate (a schedule's factor depends on the length of a
whole run). Batches come in a seeded shuffled order, like the trainer's epochs.

A record (dict of plain lists/floats, JSON-ready) has: batch (indices, labels, inputs
(n, n_inputs)), forward (one entry per layer: name, kind, formula, output (n, ...)), loss
(value, name, formula, probabilities, targets), backward (per layer from the top: name, formula,
delta = gradient arriving at the layer's output, and for parameter layers dW / db),
gradient_check (chosen entries: parameter, index, backprop, numerical, difference), update
(rule, learning_rate, per parameter: before, gradient, after) and after_update (the same batch's
cost again with the updated weights: loss_before, loss_after, change, probabilities (n, k)).
"""
import numpy as np

from core.data.normalise import to_float
from core.errors import ConfigError
from core.nn.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPool2D
from core.nn.regularisation import add_l2_gradient, l2_penalty
from core.training.data_order import data_order_rng
from core.training.optim import make_optimizer
from core.data.labels import task_labels
from core.training.training_run import build_network

MAX_PARAMETERS = 10_000
FINITE_DIFFERENCE_STEP = 1e-5
CHECKS_PER_ARRAY = 3

UPDATE_RULES = {
    "sgd": "W <- W - learning_rate * dC/dW",
    "momentum": "v <- momentum * v - learning_rate * dC/dW;  W <- W + v",
    "adam": "m, v <- running means of dC/dW and its square;  W <- W - step * m / (sqrt(v) + eps)",
}
LOSS_FORMULAS = {
    "cross_entropy": "C = -(1/n) sum_examples sum_k y_k log p_k",
    "binary_cross_entropy": "C = -(1/n) sum_examples sum_k [y_k log p_k + (1 - y_k) log(1 - p_k)]",
    "mse": "C = (1/n) sum_examples 1/2 ||p - y||^2",
}


def _forward_formula(layer, index, last):
    if isinstance(layer, Dense):
        return f"z{index} = a{index - 1} @ W{index} + b{index}"
    if isinstance(layer, Conv2D):
        return f"z{index} = W{index} * a{index - 1} + b{index}   (* : {layer.kernel}x{layer.kernel} cross-correlation)"
    if isinstance(layer, Activation):
        return f"a{index} = {layer.function.name}(z{index})"
    if isinstance(layer, MaxPool2D):
        return f"max over {layer.size}x{layer.size} windows"
    if isinstance(layer, Flatten):
        return "images -> rows"
    if isinstance(layer, Dropout):
        return f"drop each value with probability {layer.rate}, scale the rest by 1/(1 - {layer.rate})"
    return layer.kind


def _backward_formula(layer, index):
    if isinstance(layer, Dense):
        return (f"dC/dW{index} = a{index - 1}.T @ delta{index};  dC/db{index} = sum over the batch of delta{index};  "
                f"dC/da{index - 1} = delta{index} @ W{index}.T")
    if isinstance(layer, Conv2D):
        return f"dC/dW{index} = delta{index} correlated with a{index - 1};  dC/db{index} = sum of delta{index}"
    if isinstance(layer, Activation):
        return f"delta{index} = dC/da{index} * {layer.function.name}'(z{index})"
    return f"gradient passed back through {layer.kind}"


def _plain(a):
    return np.asarray(a, np.float64).tolist()


def _batch_first(a):
    return a.transpose(3, 0, 1, 2) if a.ndim == 4 else a


class StepThrough:
    """Step-by-step updates of the network a config describes, on (n, H, W) uint8 images."""

    def __init__(self, config, train_images, train_labels, image_shape=None, network=None, n_classes=10,
                 checks_per_array=CHECKS_PER_ARRAY):
        self.config = config.validate()
        self.image_shape = tuple(image_shape or train_images.shape[1:])
        self.images = np.asarray(train_images).reshape(len(train_images), -1)
        labels = np.asarray(train_labels).astype(np.int64)
        self.labels = task_labels(labels, config.positive_class)
        base = network or build_network(config, self.images.shape[1], n_classes, image_shape=self.image_shape)
        self.network = base.copy(dtype=np.float64)
        n_params = sum(p.size for p in self.network.params)
        if n_params > MAX_PARAMETERS:
            raise ConfigError(f"step-through is for small networks: this one has {n_params:,} parameters "
                              f"(at most {MAX_PARAMETERS:,}); try the preset numerical-gradients-tiny")
        self.optimizer = make_optimizer(config.optimizer if config.optimizer in ("sgd", "momentum", "adam") else "sgd",
                                        self.network.params, config.momentum)
        self.rng = data_order_rng(config.seed)   # the run's own data order (core.training.data_order)
        self.order, self.position, self.step_index = self.rng.permutation(len(self.images)), 0, 0
        self.checks_per_array = checks_per_array

    def next_batch(self):
        """(k,) indices of the next mini-batch (a new shuffled order after each pass)."""
        size = self.config.batch_size
        if self.position + size > len(self.order):
            self.order, self.position = self.rng.permutation(len(self.images)), 0
        indices = self.order[self.position:self.position + size]
        self.position += size
        return indices

    def step(self, indices=None, checks=None):
        """Run one update on the next batch (or ``indices``); returns the record (see module doc).
        checks: [(param_index, flat_index)] to verify numerically (default: a few per array)."""
        net, cfg = self.network, self.config
        indices = self.next_batch() if indices is None else np.asarray(indices)
        x = to_float(self.images[indices], cfg.normalisation, np.float64)
        y = net.targets(self.labels[indices])
        n_total = len(self.images)
        forward, a = [], net._as_input(x)
        numbers, counter = [], 0
        for layer in net.layers:            # the index in formulas counts parameter layers
            counter += isinstance(layer, (Dense, Conv2D))
            numbers.append(counter)
        for position, layer in enumerate(net.layers):
            a = layer.forward(a, training=True)
            last = position == len(net.layers) - 1
            forward.append({"name": layer.name, "kind": layer.kind, "formula": _forward_formula(layer, numbers[position], last),
                            "output": _plain(_batch_first(a))})
        z_out = a.copy()
        p = net.loss.output(a).copy()       # the output layer's buffer: the check's passes overwrite it
        loss = net.loss.fn(p, y) + l2_penalty(net.weights, cfg.l2, n_total)
        delta = net.loss.delta(p, y)
        backward, grad = [], delta
        first = net._first_param_layer
        for position in range(len(net.layers) - 1, first - 1, -1):
            layer = net.layers[position]
            entry = {"name": layer.name, "kind": layer.kind, "formula": _backward_formula(layer, numbers[position]),
                     "delta": _plain(_batch_first(grad))}
            grad = layer.backward(grad, need_input_grad=position > first)
            backward.append(entry)
        add_l2_gradient(net.grads[0::2], net.weights, cfg.l2, n_total)
        for entry, layer in zip(backward, [net.layers[i] for i in range(len(net.layers) - 1, first - 1, -1)]):
            if layer.grads:
                entry["dW"], entry["db"] = _plain(layer.grads[0]), _plain(layer.grads[1])
        grads = [g.copy() for g in net.grads]
        check = self._check(x, y, n_total, grads, checks)
        before = [q.copy() for q in net.params]
        rate = float(cfg.learning_rate)
        self.optimizer.step(grads, rate)
        after = self._after_update(x, y, n_total, float(loss))
        self.step_index += 1
        output_name = net.output_name
        return {
            "step": self.step_index, "network": net.describe(), "parameters": int(sum(q.size for q in net.params)),
            "batch": {"indices": np.asarray(indices).tolist(), "labels": self.labels[indices].tolist(), "inputs": _plain(x)},
            "forward": forward,
            "loss": {"value": float(loss), "name": net.loss_name, "formula": LOSS_FORMULAS.get(net.loss_name, net.loss_name)
                     + (f" + {cfg.l2} / (2 * {n_total}) * sum(W**2)" if cfg.l2 else ""),
                     "output": f"p = {output_name}(z)", "logits": _plain(z_out), "probabilities": _plain(p),
                     "targets": _plain(y), "output_delta_formula": "delta = dC/dz = (p - y) / n" if net.loss_name != "mse"
                     else "delta = dC/dz = softmax Jacobian applied to (p - y) / n"},
            "backward": backward,
            "gradient_check": check,
            "update": {"rule": UPDATE_RULES[self.optimizer.name], "learning_rate": rate, "optimizer": self.optimizer.name,
                       "parameters": [{"name": name, "before": _plain(b), "gradient": _plain(g), "after": _plain(q)}
                                      for name, b, g, q in zip(net.param_names, before, grads, net.params)]},
            "after_update": after,
        }

    def _after_update(self, x, y, n_total, loss_before):
        """The cost of the same batch x (n, n_inputs), y (n, k) with the updated weights, by
        Network.cost (the forward pass and L2 term training uses). Dropout keeps the masks of this
        step's forward pass, so before and after are one function of the weights: the change is
        the update's alone."""
        net, cfg = self.network, self.config
        net.freeze_dropout(True)
        try:
            loss_after = float(net.cost(x, y, cfg.l2, n_total, training=True))
            probabilities = _plain(net._forward(x, training=True))
        finally:
            net.freeze_dropout(False)
        return {"loss_before": loss_before, "loss_after": loss_after, "change": loss_after - loss_before,
                "probabilities": probabilities}

    def _check(self, x, y, n_total, grads, checks=None):
        """Central differences (C(w + h) - C(w - h)) / 2h for chosen entries, in float64."""
        net, cfg = self.network, self.config
        if checks is None:
            rng = np.random.default_rng(self.step_index)
            checks = []
            for k, g in enumerate(grads):       # entries that moved: a zero gradient checks little
                candidates = np.flatnonzero(g.reshape(-1)) if np.count_nonzero(g) >= self.checks_per_array \
                    else np.arange(g.size)
                chosen = rng.choice(candidates, min(self.checks_per_array, len(candidates)), replace=False)
                checks.extend((k, int(i)) for i in np.sort(chosen))
        net.freeze_dropout(True)
        results = []
        h = FINITE_DIFFERENCE_STEP
        try:
            for k, flat in checks:
                q = net.params[k].reshape(-1)
                keep = q[flat]
                q[flat] = keep + h
                plus = net.cost(x, y, cfg.l2, n_total, training=True)
                q[flat] = keep - h
                minus = net.cost(x, y, cfg.l2, n_total, training=True)
                q[flat] = keep
                numerical = (plus - minus) / (2 * h)
                backprop = float(grads[k].reshape(-1)[flat])
                results.append({"parameter": net.param_names[k], "index": [int(i) for i in np.unravel_index(flat, net.params[k].shape)],
                                "backprop": backprop, "numerical": float(numerical),
                                "difference": abs(backprop - float(numerical))})
        finally:
            net.freeze_dropout(False)
        return {"method": f"central differences, h = {h:g}, float64", "entries": results,
                "note": "exact up to about 1e-9 where the cost is smooth; at a kink (a ReLU input exactly 0, "
                        "tied maxima in a pooling window) the two sides differ and so may the estimate"}
