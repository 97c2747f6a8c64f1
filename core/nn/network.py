"""The model: a stack of layers (core.nn.layers) ending in a dense output layer with a loss.

Inputs x are always (n_ex, n_inputs) float rows (pixels in row-major (H, W, C) order).
A fully connected network (Network(layer_sizes, ...)) reads the rows as they are; a stack
that starts with conv or pooling layers sees them as images (C, H, W, n), batch innermost,
and a Flatten gives (n, C*H*W) rows to the dense layers (see core.nn.stack).

Parameters are one flat list [W1, b1, W2, b2, ...] (``params``) over the layers that have
them (dense: W (n_in, n_out), b (n_out,); conv: W (C_out, C_in, k, k), b (C_out,)), and
gradients come back in the same order: that is what the optimisers and the gradient check
walk over. Layers reuse their buffers between batches of the same size.

Over 300 lines: construction, the forward and backward passes and freezing (which layers the
backward pass reaches) share the layer list and its buffers; split, each half would reach into the other's.
"""
import numpy as np

from core.nn.layer_spec import as_specs, describe_stack, format_layers, mlp_specs
from core.nn.layers import Conv2D, Dense, Dropout
from core.nn.losses import get_loss
from core.nn.regularisation import add_l2_gradient, l2_penalty
from core.nn.stack import build_layers, initial_params, input_feature_shape

INIT_SCHEMES = ("auto", "normal", "small", "xavier", "he", "uniform")
CHUNK_BYTES = 64 * 2 ** 20      # evaluation chunks keep each layer's buffers around this size


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
    """A stack of layers with a loss.

    Network(layer_sizes, ...): the fully connected network (n_inputs, hidden..., n_outputs)
    with one activation, as DigitLab always had. Network.from_layers(layers, input_shape, ...):
    any stack (text such as 'conv16x5,pool2,dense10' or a list of LayerSpec). One sigmoid
    output unit means a binary classifier (``n_classes`` is then 2).
    """

    def __init__(self, layer_sizes=None, activation="relu", loss="cross_entropy", output="softmax",
                 init="auto", seed=0, dtype=np.float32, init_epsilon=0.12, weights=None, *,
                 layers=None, input_shape=None):
        if layers is None:
            if layer_sizes is None or len(layer_sizes) < 2 or min(layer_sizes) < 1:
                raise ValueError(f"layer sizes must be at least (inputs, outputs), all >= 1; got {layer_sizes}")
            layer_sizes = tuple(int(s) for s in layer_sizes)
            layers, input_shape = mlp_specs(layer_sizes[1:-1], layer_sizes[-1]), (layer_sizes[0],)
        self.specs = as_specs(layers)
        self.input_shape = tuple(int(s) for s in input_shape)
        describe_stack(self.specs, self.input_shape)     # ConfigError explaining a stack that cannot work
        self.activation_name = activation
        self.loss_name = loss
        self.output_name = output
        self.init = init
        self.init_epsilon = init_epsilon
        self.seed = seed
        self.loss = get_loss(loss, output)
        self.dtype = np.dtype(dtype)
        self._in_shape = input_feature_shape(self.specs, self.input_shape)
        self.layers = build_layers(self.specs, self._in_shape, activation, self.dtype, seed)
        self._param_layers = [layer for layer in self.layers if layer.param_suffixes]
        if weights is None:
            scheme = init if init != "auto" else ("he" if activation in ("relu", "leaky_relu") else "xavier")
            weights = initial_params(self.layers, init_layer, scheme, init_epsilon, seed)
        self.params = [np.ascontiguousarray(p, dtype=self.dtype) for p in weights]
        self._check_shapes()
        position = 0
        for layer in self._param_layers:
            layer.set_params(self.params[position:position + 2])
            position += 2
        self.grads = [g for layer in self._param_layers for g in layer.grads]
        self._folded_grads = [layer.weight_product if isinstance(layer, Dense) and i == 0 else g
                              for layer in self._param_layers for i, g in enumerate(layer.grads)]
        self._dense_layers = [layer for layer in self.layers if isinstance(layer, Dense)]
        self.freeze_leading(0)
        per_example = max(layer.floats_per_example() for layer in self.layers) * self.dtype.itemsize
        self.eval_chunk = int(np.clip(CHUNK_BYTES // max(per_example, 1), 64, 4096))
        self.last_output = None   # (n_ex, n_outputs) output of the last training forward pass

    @classmethod
    def from_layers(cls, layers, input_shape=(28, 28, 1), activation="relu", loss="cross_entropy",
                    output="softmax", init="auto", seed=0, dtype=np.float32, init_epsilon=0.12, weights=None):
        """A network for any stack; input_shape is (H, W) or (H, W, C) of one image."""
        return cls(None, activation, loss, output, init, seed, dtype, init_epsilon, weights,
                   layers=layers, input_shape=input_shape)

    # ----- structure -------------------------------------------------------------------
    def _check_shapes(self):
        expected = self.param_shapes()
        actual = [p.shape for p in self.params]
        if actual != expected:
            raise ValueError(f"parameter shapes {actual} do not match the layers {self.describe()} ({expected})")

    def param_shapes(self):
        return [tuple(shape) for layer in self._param_layers for shape in layer.param_shapes()]

    @property
    def param_names(self):
        return [f"{kind}{index + 1}" for index in range(len(self._param_layers)) for kind in "Wb"]

    @property
    def weights(self):
        return self.params[0::2]

    @property
    def biases(self):
        return self.params[1::2]

    @property
    def is_mlp(self):
        """True for a plain fully connected stack (dense layers only)."""
        return all(spec.kind == "dense" for spec in self.specs)

    @property
    def layer_sizes(self):
        """(n_inputs, hidden..., n_outputs) of a fully connected network; None for other stacks."""
        if not self.is_mlp:
            return None
        return (self.n_inputs, *(spec.size for spec in self.specs))

    @property
    def n_inputs(self):
        return int(np.prod(self.input_shape))

    @property
    def n_outputs(self):
        return self.specs[-1].size

    @property
    def is_binary(self):
        return self.n_outputs == 1

    @property
    def n_classes(self):
        return 2 if self.is_binary else self.n_outputs

    @property
    def layers_text(self):
        return format_layers(self.specs)

    def describe(self):
        head = "-".join(str(s) for s in self.layer_sizes) if self.is_mlp else self.layers_text
        return head + f" {self.activation_name}, {self.output_name} + {self.loss_name}"

    def architecture(self):
        """What is needed to rebuild this network (saved in model files). Fully connected
        networks keep the keys older DigitLab versions read (layer_sizes)."""
        arch = {"activation": self.activation_name, "loss": self.loss_name, "output": self.output_name,
                "init": self.init, "init_epsilon": self.init_epsilon, "layers": self.layers_text,
                "input_shape": list(self.input_shape)}
        if self.is_mlp:
            arch["layer_sizes"] = list(self.layer_sizes)
        return arch

    def copy(self, dtype=None):
        """An independent plain Network with copied parameters (optionally in another dtype), as frozen."""
        copy = Network(None, self.activation_name, self.loss_name, self.output_name, self.init, self.seed,
                       dtype or self.dtype, self.init_epsilon, [p.copy() for p in self.params],
                       layers=self.specs, input_shape=self.input_shape)
        return copy.freeze_leading(self.n_frozen)

    def freeze_leading(self, n_layers):
        """Keep the first n_layers layers with weights fixed while training (transfer learning):
        backward stops above them, so their gradients stay 0 and no optimiser moves them. Returns self."""
        if not 0 <= n_layers < len(self._param_layers):
            raise ValueError(f"can freeze 0 to {len(self._param_layers) - 1} layers with weights, not {n_layers}")
        self.n_frozen = n_layers
        self._first_param_layer = self.layers.index(self._param_layers[n_layers])
        for gradient in self.grads[:2 * n_layers]:
            gradient[...] = 0
        return self

    def set_params(self, params):
        """Overwrite parameters in place (keeps buffers and optimiser references valid)."""
        for dst, src in zip(self.params, params, strict=True):
            dst[...] = src

    def conv_filters(self):
        """[(layer name, filters (C_out, C_in, k, k) copy)] for every conv layer, in order."""
        return [(layer.name, layer.params[0].copy()) for layer in self.layers if isinstance(layer, Conv2D)]

    @property
    def first_layer_kind(self):
        """'conv' or 'dense': the kind of the first layer with weights."""
        return self._param_layers[0].kind

    def first_layer_images(self, image_shape):
        """The first layer's weights as little images: a dense first layer gives (n_units, H, W)
        (each unit's weight on every pixel), a conv first layer (C_out * C_in, k, k)."""
        first = self._param_layers[0]
        W = first.params[0]
        if isinstance(first, Conv2D):
            return W.reshape(-1, first.kernel, first.kernel).astype(np.float32)
        return W.T.reshape(-1, *image_shape).astype(np.float32)

    # ----- targets ---------------------------------------------------------------------
    def targets(self, labels):
        """Integer labels (n_ex,) -> target matrix (n_ex, n_outputs) in the network's dtype."""
        labels = np.asarray(labels)
        if self.is_binary:
            return labels.reshape(-1, 1).astype(self.dtype)
        eye = np.eye(self.n_outputs, dtype=self.dtype)
        return eye[labels]

    # ----- forward / backward ------------------------------------------------------------
    def _as_input(self, x):
        """Rows (n, n_inputs) -> what the first layer reads: the rows, or an images view
        (C, H, W, n) of them (no copy: the first conv layer copies into its padded buffer)."""
        if len(self._in_shape) == 1:
            return x
        channels, height, width = self._in_shape
        return x.reshape(len(x), height, width, channels).transpose(3, 1, 2, 0)

    def _forward(self, x, training):
        a = self._as_input(x)
        for layer in self.layers:
            a = layer.forward(a, training)
        return self.loss.output(a)     # in place in the output layer's buffer

    def forward(self, x, training=False):
        """Output probabilities (n_ex, n_outputs) for x (n_ex, n_inputs), a fresh array."""
        return self._forward(np.asarray(x, self.dtype), training).copy()

    def loss_and_gradients(self, x, y, l2=0.0, n_total=None, fold_weight_grads=False):
        """Mean cost over the batch and its gradients, in ``params`` order.

        x: (n_ex, n_inputs) in the network's dtype; y: (n_ex, n_outputs) targets.
        l2: lambda in cost += lambda / (2 n_total) * sum(W**2) (biases are not regularised),
        n_total defaults to the batch size (Nielsen's and Ng's convention: n = training set).
        Dropout layers drop values (training mode). The returned gradient arrays are reused
        by the next call: copy them to keep them.

        fold_weight_grads (no L2): dense weight gradients as core.nn.product_gradient.ProductGradient.
        """
        x = np.asarray(x, self.dtype)   # no copy when the dtype already matches
        p = self.last_output = self._forward(x, training=True)
        loss = self.loss.fn(p, y)
        grad = self.loss.delta(p, y)
        first = self._first_param_layer
        fold = bool(fold_weight_grads) and not l2
        for layer in self._dense_layers:    # for this call only: a layer's own backward gives arrays
            layer.fold_weight_grad = fold
        try:
            for index in range(len(self.layers) - 1, first - 1, -1):
                grad = self.layers[index].backward(grad, index > first)
        finally:
            for layer in self._dense_layers:
                layer.fold_weight_grad = False
        if fold:
            return loss, self._folded_grads
        if l2:
            n_total = n_total or len(x)
            add_l2_gradient(self.grads[2 * self.n_frozen::2], self.weights[self.n_frozen:], l2, n_total)
            loss += l2_penalty(self.weights, l2, n_total)
        return loss, self.grads

    def cost(self, x, y, l2=0.0, n_total=None, training=False):
        """The mean cost of targets y (n_ex, n_outputs) for x, with the same L2 term as training.
        training=True keeps dropout on (with frozen masks: see freeze_dropout)."""
        p = self._forward(np.asarray(x, self.dtype), training)
        return self.loss.fn(p, y) + l2_penalty(self.weights, l2, n_total or len(x))

    def freeze_dropout(self, frozen=True):
        """Make dropout layers reuse their last mask (the gradient check needs one fixed function)."""
        for layer in self.layers:
            if isinstance(layer, Dropout):
                layer.frozen = frozen

    @property
    def has_dropout(self):
        return any(isinstance(layer, Dropout) and layer.rate > 0 for layer in self.layers)

    def predict_proba(self, x, chunk=None):
        """Class probabilities (n_ex, n_classes) for x (n_ex, n_inputs); a binary network gives
        the two columns (not positive, positive). Evaluated in chunks (eval_chunk examples,
        sized so conv buffers stay moderate)."""
        x = np.asarray(x)
        chunk = chunk or self.eval_chunk
        p = np.empty((len(x), self.n_outputs), self.dtype)
        for i in range(0, len(x), chunk):
            p[i:i + chunk] = self._forward(np.asarray(x[i:i + chunk], self.dtype), training=False)
        if self.is_binary:
            p = np.hstack([1 - p, p])
        return p

    def predict(self, x):
        """Predicted class indices (n_ex,)."""
        return np.argmax(self.predict_proba(x), axis=1)

    def trace(self, x):
        """[(layer name, activations)] as x (n, n_inputs) passes through every layer (inference
        mode). Image-shaped activations come as (n, H, W, C), rows as (n, units); the last
        entry is the output layer's probabilities."""
        a = self._as_input(np.asarray(x, self.dtype))
        steps = []
        for index, layer in enumerate(self.layers):
            a = layer.forward(a, training=False)
            if index == len(self.layers) - 1:
                a = self.loss.output(a)
            steps.append((layer.name, a.transpose(3, 1, 2, 0).copy() if a.ndim == 4 else a.copy()))
        return steps
