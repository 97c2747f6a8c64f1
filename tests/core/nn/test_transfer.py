"""Transfer learning: conv layers copied from a trained network, frozen or trained further."""
import numpy as np
import pytest

from core.data.dataset import Dataset
from core.errors import ConfigError
from core.files.transfer import transfer_from_model
from core.nn.network import Network
from core.nn.transfer import transfer_network
from core.settings.config import TrainConfig
from core.storage.resources import DEFAULT_MODEL_PATH
from core.training.trainers import make_trainer
from core.training.training_run import run_to_end


def small_cnn(seed=0):
    return Network.from_layers("conv4x3,pool2,conv6x3v,pool2,dense16,dense10", (12, 12), seed=seed)


def tiny_dataset(n=48, n_classes=3, seed=0):
    rng = np.random.default_rng(seed)
    labels = (np.arange(n) % n_classes).astype(np.uint8)
    images = rng.integers(0, 60, (n, 12, 12)).astype(np.uint8)
    for index, label in enumerate(labels):          # a bright bar whose place says the class
        images[index, 2 + 3 * label:4 + 3 * label, 2:10] = 255
    return Dataset("bars", images, labels, images[:12].copy(), labels[:12].copy(),
                   [f"bar{k}" for k in range(n_classes)], "test")


def train(network, l2=0.0, epochs=2):
    config = TrainConfig(layers=network.layers_text, optimizer="adam", learning_rate=0.01, batch_size=8,
                         epochs=epochs, val_split=0, l2=l2, seed=1)
    trainer = make_trainer(config, tiny_dataset(), network=network)
    run_to_end(trainer)
    return trainer.network


def test_conv_layers_are_copied_and_the_head_is_new():
    source = small_cnn(seed=3)
    network = transfer_network(source, 3, freeze=False, seed=5)
    assert network.layers_text == "conv4x3,pool2,conv6x3v,pool2,dense16,dense3"
    for index in range(4):                                   # W1 b1 W2 b2: the two conv layers
        np.testing.assert_array_equal(network.params[index], source.params[index])
    assert network.params[4].shape == source.params[4].shape
    assert not np.array_equal(network.params[4], source.params[4])   # dense layers drawn anew
    assert network.params[6].shape == (16, 3)
    assert network.n_frozen == 0


@pytest.mark.parametrize("l2", [0.0, 0.5])
def test_frozen_conv_layers_do_not_move_while_the_head_learns(l2):
    network = transfer_network(small_cnn(seed=3), 3, freeze=True, seed=5)
    before = [p.copy() for p in network.params]
    trained = train(network, l2=l2)
    assert trained.n_frozen == 2
    for index in range(4):
        np.testing.assert_array_equal(trained.params[index], before[index])
    assert not np.allclose(trained.params[4], before[4])    # the dense layers learnt
    assert not np.allclose(trained.params[6], before[6])


def test_fine_tuned_conv_layers_move():
    network = transfer_network(small_cnn(seed=3), 3, freeze=False, seed=5)
    before = network.params[0].copy()
    trained = train(network)
    assert not np.allclose(trained.params[0], before)


def test_a_copy_stays_frozen_and_freezing_checks_its_count():
    network = transfer_network(small_cnn(), 3, freeze=True)
    assert network.copy().n_frozen == 2
    with pytest.raises(ValueError, match="0 to 3"):
        network.freeze_leading(4)


def test_a_network_without_conv_layers_is_refused_in_one_sentence():
    with pytest.raises(ConfigError, match="no convolution layers"):
        transfer_network(Network((144, 16, 10)), 3)
    with pytest.raises(ConfigError, match="at least two classes"):
        transfer_network(small_cnn(), 1)


def test_from_the_shipped_digit_model():
    network, config = transfer_from_model(DEFAULT_MODEL_PATH, 5, TrainConfig(optimizer="adam", seed=2))
    assert network.layers_text == "conv16x5,pool2,conv32x5v,pool2,dense256,dense5"
    assert config.layers == network.layers_text and config.normalisation == "zero_one"
    assert network.n_frozen == 2 and network.input_shape == (28, 28)


def test_a_racer_can_start_from_a_transferred_network():
    from core.training_process.job import RunJob, build_trainer
    network = transfer_network(small_cnn(seed=3), 3, freeze=True, seed=5)
    config = TrainConfig(layers=network.layers_text, optimizer="adam", batch_size=8, epochs=1, val_split=0)
    trainer = build_trainer(RunJob(config, tiny_dataset(), network=network, race=(7, 0)), tiny_dataset())
    assert trainer.network is not network and trainer.network.n_frozen == 2
    np.testing.assert_array_equal(trainer.network.params[0], network.params[0])
