"""TrainConfig.layers: validated, saved with the settings, built by build_network / make_trainer."""
import pytest

from core.data.transforms import subsample
from core.errors import ConfigError
from core.settings.config import TrainConfig
from core.training.training_run import run_to_end
from core.training.trainers import make_trainer
from core.training.training_run import build_network


def test_layers_setting_round_trips_and_is_validated():
    config = TrainConfig(layers="conv8x5,pool2,dense10")
    assert TrainConfig.from_dict(config.to_dict()).layers == "conv8x5,pool2,dense10"
    assert TrainConfig.from_dict({"hidden_sizes": [32]}).layers == ""        # older settings: the MLP
    with pytest.raises(ConfigError, match="not understood"):
        TrainConfig(layers="conv8x5,pol2,dense10").validate()


def test_build_network_builds_the_stack_or_the_mlp():
    net = build_network(TrainConfig(layers="conv4x5,pool2,dense10"), 784, 10, image_shape=(28, 28))
    assert net.layers_text == "conv4x5,pool2,dense10" and net.input_shape == (28, 28)
    assert build_network(TrainConfig(hidden_sizes=(32,)), 784, 10).layer_sizes == (784, 32, 10)
    binary = TrainConfig(layers="conv4x5,pool2,dense1", positive_class=3, output="sigmoid",
                         loss="binary_cross_entropy")
    assert build_network(binary, 784, 10, image_shape=(28, 28)).n_classes == 2
    with pytest.raises(ConfigError, match="end the layers with dense1"):
        build_network(TrainConfig(layers="conv4x5,pool2,dense10", positive_class=3, output="sigmoid",
                                  loss="binary_cross_entropy"), 784, 10, image_shape=(28, 28))
    with pytest.raises(ConfigError, match=r"layer 4 \(pool2\): cannot pool a 1x1 map"):
        build_network(TrainConfig(layers="conv4x3,pool2,pool2,pool2,pool2,dense10"), 49, 10,
                      image_shape=(7, 7))


def test_a_conv_config_trains_on_real_mnist(mnist):
    small = subsample(mnist, 600, 100, seed=2)
    config = TrainConfig(layers="conv4x5,pool2,conv8x3,pool2,dense10", optimizer="adam", learning_rate=0.005,
                         batch_size=32, epochs=2, val_split=100, snapshot_every=5)
    trainer = make_trainer(config, small, test_images=small.test_images, test_labels=small.test_labels)
    end = run_to_end(trainer)
    assert end.reason == "finished"
    history = end.history
    assert history["train_loss"][-1] < history["train_loss"][0]
    assert history["test_accuracy"][-1] > 0.5
    assert trainer.network.first_layer_images((28, 28)).shape == (4, 5, 5)
