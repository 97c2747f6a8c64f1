"""Transfer learning: a new network for other classes that starts from a trained network's
convolution layers (its learnt stroke and corner detectors), kept fixed or trained further.

    network = transfer_network(digit_network, n_classes=5, freeze=True, seed=0)

The stack is the source's with the output layer resized to n_classes; the conv layers' filters
and biases are copied, the dense layers are new (the source's dense layers answer "which
digit", which the new classes do not ask). freeze=True keeps the copied layers fixed
(Network.freeze_leading): only the dense layers learn, so a few examples per class are enough
and each step is cheaper (backward stops above the frozen layers).
"""
from core.errors import ConfigError
from core.nn.layer_spec import LayerSpec
from core.nn.network import Network


def transfer_network(source, n_classes, *, freeze=True, seed=0):
    """A softmax Network for n_classes classes on source's input shape (H, W): the conv layers of
    ``source`` (a Network) copied, frozen when ``freeze``, the dense layers newly initialised
    with ``seed``. ConfigError when source has no conv layers or n_classes < 2."""
    if n_classes < 2:
        raise ConfigError(f"a classifier needs at least two classes, not {n_classes}")
    specs = list(source.specs)
    n_conv = sum(spec.kind == "conv" for spec in specs)
    if n_conv == 0:
        raise ConfigError(f"the model {source.describe()} has no convolution layers to start from; "
                          "choose a convolutional model such as DigitLab's default model")
    if [s.kind for s in specs if s.kind in ("conv", "dense")][:n_conv] != ["conv"] * n_conv:
        raise ConfigError(f"the model {source.layers_text} has a dense layer before a convolution layer")
    specs[-1] = LayerSpec("dense", int(n_classes))
    network = Network.from_layers(specs, source.input_shape, source.activation_name, "cross_entropy",
                                  "softmax", source.init, seed=seed, init_epsilon=source.init_epsilon)
    for index in range(2 * n_conv):          # conv layers come first: W1, b1, ..., W_k, b_k
        network.params[index][...] = source.params[index]
    return network.freeze_leading(n_conv if freeze else 0)
