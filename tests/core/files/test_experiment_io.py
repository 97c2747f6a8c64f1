"""The experiment file on its own: the dataset checksum, the round trip (with the user's own
digits), the dropout seed, and a data difference said in one sentence."""
from dataclasses import replace

import numpy as np

from core.data.checksum import dataset_checksum
from core.files.experiment_io import data_difference, load_experiment, make_experiment, save_experiment
from core.settings.config import TrainConfig
from core.training.trainers import make_trainer


def test_the_checksum_follows_the_pixels_and_labels_not_the_object(mnist_small):
    same = replace(mnist_small, source="somewhere else")
    assert dataset_checksum(same) == dataset_checksum(mnist_small)
    labels = mnist_small.train_labels.copy()
    labels[3] = (labels[3] + 1) % 10
    assert dataset_checksum(replace(mnist_small, train_labels=labels)) != dataset_checksum(mnist_small)
    # the same bytes in another shape are other data
    reshaped = replace(mnist_small, train_images=mnist_small.train_images.reshape(-1, 28 * 28, 1))
    assert dataset_checksum(reshaped) != dataset_checksum(mnist_small)


def test_round_trip_keeps_settings_weights_seed_and_own_digits(tmp_path, mnist_small):
    config = TrainConfig(layers="dense16,dropout0.5,dense10", epochs=1, seed=11, val_split=0.1, my_digits_weight=0.2)
    mine = (np.full((3, 28, 28), 200, np.uint8), np.array([1, 2, 3]))
    trainer = make_trainer(config, mnist_small)
    path = tmp_path / "exp.npz"
    save_experiment(path, make_experiment(config, mnist_small, trainer.network, trainer.image_shape,
                                          trainer.class_names, mine))
    loaded = load_experiment(path)
    assert loaded.config == config and loaded.seed == 11
    for a, b in zip(loaded.network.params, trainer.network.params):
        assert np.array_equal(a, b)
    assert np.array_equal(loaded.my_digits[0], mine[0]) and np.array_equal(loaded.my_digits[1], mine[1])
    # the dropout layer draws the masks a network built from the seed draws
    x = np.ones((4, 784), np.float32)
    fresh = make_trainer(config, mnist_small).network
    assert np.array_equal(loaded.network.forward(x, training=True), fresh.forward(x, training=True))
    assert data_difference(loaded, mnist_small) is None
    fewer = replace(mnist_small, train_images=mnist_small.train_images[:1000], train_labels=mnist_small.train_labels[:1000])
    said = data_difference(loaded, fewer)
    assert "1,000 training" in said and "1,500" in said and "checksum differs" in said
