"""Turning a list of LayerSpec into Layer objects with initial parameters.

What the specs leave implicit is made explicit here:
- the network's activation after every conv layer and every dense layer but the last; when
  pooling follows a conv layer the activation goes after the pooling (identical result: max
  pooling and a rising function commute; it touches a quarter of the values);
- a Flatten before the first dense layer that follows images;
- the input layout: a stack that starts with dense layers reads the input rows (n, n_inputs)
  as they are; a stack that starts with conv or pool layers sees them as images
  (C, H, W, n), batch innermost (core.nn.layers.conv2d explains why).

Initial weights come from core.nn.network.init_layer in layer order, so a fully connected stack
gets exactly the weights the MLP constructor always gave it for the same seed.
"""
import numpy as np

from core.nn.layers import Activation, Conv2D, Dense, Dropout, Flatten, MaxPool2D


def input_feature_shape(specs, input_shape):
    """(C, H, W) when the stack starts on images, else (n_inputs,) rows."""
    first = next((s for s in specs if s.kind != "dropout"), None)
    shape = tuple(int(s) for s in input_shape)
    if first is not None and first.kind in ("conv", "pool") and len(shape) >= 2:
        height, width = shape[0], shape[1]
        channels = shape[2] if len(shape) == 3 else 1
        return (channels, height, width)
    return (int(np.prod(shape)),)


def build_layers(specs, in_shape, activation, dtype, seed=0):
    """Layer objects (built, without parameters) for specs on feature shape in_shape."""
    layers, counters = [], {}
    pending = False            # an activation is owed to the last conv / dense layer

    def add(layer):
        nonlocal in_shape
        in_shape = layer.build(in_shape, dtype)
        layers.append(layer)

    def name(kind):
        counters[kind] = counters.get(kind, 0) + 1
        return f"{kind}{counters[kind]}"

    def flush():
        nonlocal pending
        if pending:
            act = Activation(activation, name=name(activation))
            act.in_place = not layers[-1].keeps_output
            add(act)
            pending = False

    for index, spec in enumerate(specs):
        last = index == len(specs) - 1
        if spec.kind == "conv":
            flush()
            add(Conv2D(spec.size, spec.kernel, spec.padding, name=name("conv")))
            pending = True
        elif spec.kind == "pool":
            add(MaxPool2D(spec.size, name=name("pool")))      # the owed activation moves past it
        elif spec.kind == "dropout":
            flush()
            add(Dropout(spec.rate, seed=seed + 1000 + index, name=name("dropout")))
        elif spec.kind == "flatten":
            flush()
            if len(in_shape) == 3:
                add(Flatten(name="flatten"))
        elif spec.kind == "dense":
            flush()
            if len(in_shape) == 3:
                add(Flatten(name="flatten"))
            add(Dense(spec.size, name="output" if last else name("dense")))
            pending = not last
    return layers


def initial_params(layers, init_layer, scheme, epsilon, seed):
    """[W1, b1, W2, b2, ...] in float64 for the layers with parameters, drawn in layer order.

    Conv filters are drawn like a dense layer with C_in*k*k inputs and C_out outputs, then
    arranged as (C_out, C_in, k, k).
    """
    rng = np.random.default_rng(seed)
    params = []
    for layer in layers:
        if isinstance(layer, Dense):
            params.extend(init_layer(rng, layer.in_shape[0], layer.units, scheme, epsilon))
        elif isinstance(layer, Conv2D):
            W, b = init_layer(rng, layer.n_taps, layer.filters, scheme, epsilon)
            params.extend([W.T.reshape(layer.param_shapes()[0]), b])
    return params
