"""My digits mixed into training: the weight decides how many copies join the training part."""
import numpy as np
import pytest

from core.data.mixing import copies_for_weight, mix_in
from core.data.splits import train_val_split
from core.errors import ConfigError
from core.settings.config import TrainConfig
from core.training.trainers import make_trainer


def test_copies_make_up_the_weight():
    assert copies_for_weight(54000, 30, 0.0) == 0
    assert copies_for_weight(54000, 0, 0.2) == 0
    k = copies_for_weight(54000, 30, 0.1)
    assert k == 200                                  # 0.1 * 54000 / (0.9 * 30)
    assert abs(k * 30 / (54000 + k * 30) - 0.1) < 1e-9
    assert copies_for_weight(100, 1000, 0.01) == 1   # at least once when switched on
    with pytest.raises(ConfigError):
        copies_for_weight(100, 10, 1.0)


def test_mix_in_appends_repeated_copies(mnist):
    train = mnist.train_images[:1000]
    labels = mnist.train_labels[:1000]
    mine = mnist.test_images[:5]
    my_labels = np.array([3, 1, 4, 1, 5], np.uint8)
    images, mixed_labels = mix_in(train, labels, mine, my_labels, 0.2)
    k = copies_for_weight(1000, 5, 0.2)
    assert k == 50
    assert images.shape == (1000 + 5 * k, 28, 28) and len(mixed_labels) == len(images)
    np.testing.assert_array_equal(images[:1000], train)
    np.testing.assert_array_equal(images[1000:1005], mine)
    np.testing.assert_array_equal(images[-5:], mine)
    np.testing.assert_array_equal(mixed_labels[1000:], np.tile(my_labels, k))


def test_trainer_mixes_only_the_training_part(digits, mnist):
    """The 8x8 digits: the kept 28x28 digits are resized; validation keeps its size and content."""
    config = TrainConfig(hidden_sizes=(8,), epochs=1, val_split=0.2, my_digits_weight=0.25)
    mine, my_labels = mnist.test_images[:6], mnist.test_labels[:6]
    plain = make_trainer(TrainConfig(hidden_sizes=(8,), epochs=1, val_split=0.2), digits)
    mixed = make_trainer(config, digits, my_digits=(mine, my_labels))
    k = copies_for_weight(len(plain.train_labels), 6, 0.25)
    assert len(mixed.train_labels) == len(plain.train_labels) + 6 * k
    np.testing.assert_array_equal(mixed.val_images, plain.val_images)
    np.testing.assert_array_equal(mixed.train_labels[-6:], my_labels)
    assert mixed.train_images.shape[1] == 64
    off = make_trainer(TrainConfig(hidden_sizes=(8,), epochs=1, val_split=0.2), digits, my_digits=(mine, my_labels))
    assert len(off.train_labels) == len(plain.train_labels)


def test_the_command_line_has_the_weight():
    from core.cli import build_parser
    from core.cli.train import config_from_args
    config = config_from_args(build_parser().parse_args(["train", "--my-digits-weight", "0.2"]))
    assert config.my_digits_weight == 0.2
    with pytest.raises(ConfigError, match="my digits weight"):
        config_from_args(build_parser().parse_args(["train", "--my-digits-weight", "0.9"]))
