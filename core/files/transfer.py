"""Start a training run from a model file's convolution layers (core.nn.transfer): the network
and the training settings that go with it, in one call the app and the benches share.

    network, config = transfer_from_model("resources/default_model.npz", 5, config, freeze=True)
    trainer = make_trainer(config, dataset, network=network)   # dataset at network.input_shape
"""
from dataclasses import replace

from core.errors import ConfigError
from core.files.model_io import load_model
from core.nn.transfer import transfer_network


def transfer_from_model(path, n_classes, config, *, freeze=True):
    """(Network, TrainConfig) for training n_classes classes from the conv layers of the model
    file ``path``: the network from core.nn.transfer.transfer_network (new dense layers drawn
    with config.seed), and ``config`` with the network's layers, activation, loss and output and
    the model's normalisation, at the model's image size (image_size empty: the dataset must
    already be at network.input_shape, e.g. 28x28 for the digit model).
    Raises ModelFileError for a bad file, ConfigError for a model without conv layers."""
    source, metadata = load_model(path)
    if len(source.input_shape) < 2:
        raise ConfigError(f"{path}: a fully connected model has no convolution layers to start from")
    network = transfer_network(source, n_classes, freeze=freeze, seed=config.seed)
    config = replace(config, layers=network.layers_text, activation=network.activation_name,
                     loss=network.loss_name, output=network.output_name, init=network.init,
                     normalisation=metadata.get("normalisation", "zero_one"), image_size=(),
                     positive_class=-1, gradients="backprop")
    return network, config.validate()
