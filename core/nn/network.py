"""The model: a multi-layer perceptron written with NumPy, forward and backward side by side.

Shapes: inputs x are (n_ex, n_inputs) floats; layer l has weights W (n_in, n_out) and biases
b (n_out,), so a layer computes a @ W + b. Parameters are kept as one flat list
[W1, b1, W2, b2, ...] (``params``), and gradients come back in the same order, which is what
the optimisers and the gradient check walk over.

The training step allocates nothing after the first batch of each size: activations and
gradients live in buffers reused from batch to batch (allocation was a visible share of the
time per batch at MNIST sizes).
"""
import numpy as np

from core.nn.activations import get_activation
from core.nn.losses import get_loss
from core.nn.regularisation import add_l2_gradient, l2_penalty

INIT_SCHEMES = ("auto", "normal", "small", "xavier", "he", "uniform")


def init_layer(rng, n_in, n_out, scheme, epsilon):
    """Initial (W (n_in, n_out), b (n_out,)) in float64 for one layer."""
    if scheme == "normal":      # Nielsen's default: N(0, 1/n_in)
        return rng.standard_normal((n_in, n_out)) / np.sqrt(n_in), np.zeros(n_out)
    if scheme == "small":       # the common tutorial one-liner: randn * 0.01
        return rng.standard_normal((n_in, n_out)) * 0.01, np.zeros(n_out)
    if scheme == "xavier":      # Glorot & Bengio 2010, uniform variant
        limit = np.sqrt(6.0 / (n_in + n_out))
        return rng.uniform(-limit, limit, (n_in, n_out)), np.zeros(n_out)
    if scheme == "he":          # He et al. 2015, for ReLU units
        return rng.standard_normal((n_in, n_out)) * np.sqrt(2.0 / n_in), np.zeros(n_out)
    if scheme == "uniform":     # Ng's course (ex4): every weight, bias too, in [-eps, eps]
        return rng.uniform(-epsilon, epsilon, (n_in, n_out)), rng.uniform(-epsilon, epsilon, n_out)
    raise ValueError(f"unknown initialisation {scheme!r}; choose one of {', '.join(INIT_SCHEMES)}")


class Network:
    """A fully connected network: hidden layers with one activation, then an output layer.

    layer_sizes: (n_inputs, hidden..., n_outputs). One sigmoid output unit means a binary
    classifier (``n_classes`` is then 2).
    """

    def __init__(self, layer_sizes, activation="relu", loss="cross_entropy", output="softmax",
                 init="auto", seed=0, dtype=np.float32, init_epsilon=0.12, weights=None):
        if len(layer_sizes) < 2 or min(layer_sizes) < 1:
            raise ValueError(f"layer sizes must be at least (inputs, outputs), all >= 1; got {layer_sizes}")
        self.layer_sizes = tuple(int(s) for s in layer_sizes)
        self.activation_name = activation
        self.loss_name = loss
        self.output_name = output
        self.init = init
        self.init_epsilon = init_epsilon
        self.activation = get_activation(activation)
        self.loss = get_loss(loss, output)
        self.dtype = np.dtype(dtype)
        if weights is None:
            scheme = init if init != "auto" else ("he" if activation in ("relu", "leaky_relu") else "xavier")
            rng = np.random.default_rng(seed)
            weights = []
            for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
                weights.extend(init_layer(rng, n_in, n_out, scheme, init_epsilon))
        self.params = [np.ascontiguousarray(p, dtype=self.dtype) for p in weights]
        self._check_shapes()
        self._buffers = {}
        self.last_output = None   # (n_ex, n_outputs) output of the last training forward pass

    # ----- structure -------------------------------------------------------------------
    def _check_shapes(self):
        expected = self.param_shapes()
        actual = [p.shape for p in self.params]
        if actual != expected:
            raise ValueError(f"parameter shapes {actual} do not match layers {self.layer_sizes} ({expected})")

    def param_shapes(self):
        shapes = []
        for n_in, n_out in zip(self.layer_sizes[:-1], self.layer_sizes[1:]):
            shapes += [(n_in, n_out), (n_out,)]
        return shapes

    @property
    def param_names(self):
        return [f"{kind}{layer + 1}" for layer in range(len(self.layer_sizes) - 1) for kind in "Wb"]

    @property
    def weights(self):
        return self.params[0::2]

    @property
    def biases(self):
        return self.params[1::2]

    @property
    def n_inputs(self):
        return self.layer_sizes[0]

    @property
    def n_outputs(self):
        return self.layer_sizes[-1]

    @property
    def is_binary(self):
        return self.n_outputs == 1

    @property
    def n_classes(self):
        return 2 if self.is_binary else self.n_outputs

    def describe(self):
        return "-".join(str(s) for s in self.layer_sizes) + f" {self.activation_name}, {self.output_name} + {self.loss_name}"

    def architecture(self):
        """What is needed to rebuild this network (saved in model files)."""
        return {"layer_sizes": list(self.layer_sizes), "activation": self.activation_name,
                "loss": self.loss_name, "output": self.output_name, "init": self.init,
                "init_epsilon": self.init_epsilon}

    def copy(self, dtype=None):
        """An independent network with copied parameters (optionally in another dtype)."""
        return Network(self.layer_sizes, self.activation_name, self.loss_name, self.output_name,
                       self.init, dtype=dtype or self.dtype, init_epsilon=self.init_epsilon,
                       weights=[p.copy() for p in self.params])

    def set_params(self, params):
        """Overwrite parameters in place (keeps buffers and optimiser references valid)."""
        for dst, src in zip(self.params, params, strict=True):
            dst[...] = src

    # ----- targets ---------------------------------------------------------------------
    def targets(self, labels):
        """Integer labels (n_ex,) -> target matrix (n_ex, n_outputs) in the network's dtype."""
        labels = np.asarray(labels)
        if self.is_binary:
            return labels.reshape(-1, 1).astype(self.dtype)
        eye = np.eye(self.n_outputs, dtype=self.dtype)
        return eye[labels]

    # ----- forward / backward ------------------------------------------------------------
    def _batch_buffers(self, n):
        buffers = self._buffers.get(n)
        if buffers is None:
            acts = [np.empty((n, s), self.dtype) for s in self.layer_sizes[1:]]
            back = [np.empty((n, s), self.dtype) for s in self.layer_sizes[1:-1]]
            grads = [np.empty_like(p) for p in self.params]
            buffers = self._buffers[n] = (acts, back, grads)
            if len(self._buffers) > 4:   # odd batch sizes (last batch, evaluation) stay few
                self._buffers.pop(next(iter(self._buffers)))
        return buffers

    def forward(self, x, out=None):
        """Output probabilities (n_ex, n_outputs) for x (n_ex, n_inputs).

        With ``out`` (a list of per-layer arrays) the activations are written there and kept
        for ``backward``; otherwise fresh arrays are used.
        """
        a = x
        n_layers = len(self.layer_sizes) - 1
        for layer in range(n_layers):
            W, b = self.params[2 * layer], self.params[2 * layer + 1]
            z = np.dot(a, W, out=None if out is None else out[layer])
            z += b
            a = self.loss.output(z) if layer == n_layers - 1 else self.activation.forward(z)
        return a

    def loss_and_gradients(self, x, y, l2=0.0, n_total=None):
        """Mean cost over the batch and its gradients, in ``params`` order.

        x: (n_ex, n_inputs) in the network's dtype; y: (n_ex, n_outputs) targets.
        l2: lambda in cost += lambda / (2 n_total) * sum(W**2) (biases are not regularised),
        n_total defaults to the batch size (Nielsen's and Ng's convention: n = training set).
        The returned gradient arrays are reused by the next call: copy them to keep them.
        """
        x = np.asarray(x, self.dtype)   # no copy when the dtype already matches
        n = len(x)
        acts, back, grads = self._batch_buffers(n)
        p = self.last_output = self.forward(x, out=acts)
        loss = self.loss.fn(p, y)
        delta = self.loss.delta(p, y)
        n_layers = len(self.layer_sizes) - 1
        for layer in range(n_layers - 1, -1, -1):
            a_prev = x if layer == 0 else acts[layer - 1]
            W = self.params[2 * layer]
            gW, gb = grads[2 * layer], grads[2 * layer + 1]
            np.dot(a_prev.T, delta, out=gW)
            np.sum(delta, axis=0, out=gb)
            if layer > 0:   # the input needs no gradient
                delta = np.dot(delta, W.T, out=back[layer - 1])
                self.activation.backward(delta, None, acts[layer - 1])
        add_l2_gradient(grads[0::2], self.weights, l2, n_total or n)
        loss += l2_penalty(self.weights, l2, n_total or n)
        return loss, grads

    def cost(self, x, y, l2=0.0, n_total=None):
        """The mean cost of targets y (n_ex, n_outputs) for x, with the same L2 term as training."""
        p = self.forward(np.asarray(x, self.dtype))
        return self.loss.fn(p, y) + l2_penalty(self.weights, l2, n_total or len(x))

    def predict_proba(self, x, chunk=4096):
        """Class probabilities (n_ex, n_classes) for x (n_ex, n_inputs); a binary network gives
        the two columns (not positive, positive)."""
        x = np.asarray(x)
        outputs = [self.forward(np.asarray(x[i:i + chunk], self.dtype)) for i in range(0, len(x), chunk)]
        p = np.concatenate(outputs) if outputs else np.empty((0, self.n_outputs), self.dtype)
        if self.is_binary:
            p = np.hstack([1 - p, p])
        return p

    def predict(self, x):
        """Predicted class indices (n_ex,)."""
        return np.argmax(self.predict_proba(x), axis=1)
