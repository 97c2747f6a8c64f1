"""core.drawing.non_digits: generated drawings that are not digits, and the class they make."""
import numpy as np
import pytest

from core.data.datasets import load_dataset
from core.drawing.non_digit_shapes import KINDS
from core.drawing.non_digits import NOT_A_DIGIT, is_digit_task, non_digit_images, random_non_digit, with_non_digits
from core.errors import ConfigError
from core.settings.config import TrainConfig
from core.training.minibatch import Trainer
from core.drawing.strokes import prepare_strokes


def test_every_kind_draws_ink_centred_like_mnist():
    rng = np.random.default_rng(0)
    for kind in KINDS:
        for _ in range(5):
            name, strokes = random_non_digit(rng, kind)
            image = prepare_strokes(strokes)
            assert name == kind and image.shape == (28, 28) and image.max() > 0.9, kind
            rows, cols = np.nonzero(image > 0.2)
            assert max(np.ptp(rows), np.ptp(cols)) >= 14, kind            # scaled up to the 20 px box
            mass = image.sum()
            centre = np.array([(image.sum(axis=1) @ np.arange(28)), (image.sum(axis=0) @ np.arange(28))]) / mass
            assert np.abs(centre - 14).max() < 2.0, kind                  # centred by its centre of mass


def test_images_are_mnist_like_reproducible_and_varied():
    a, b = non_digit_images(60, seed=5), non_digit_images(60, seed=5)
    assert a.shape == (60, 28, 28) and a.dtype == np.uint8
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, non_digit_images(60, seed=6))
    assert a.max() == 255 and np.all(a[:, 0, :] == 0)        # ink 255 on 0, room at the edge, as MNIST
    assert len({image.tobytes() for image in a}) == 60


def test_dashes_stay_within_25_degrees_of_the_horizontal():
    """A steeper line is a 1: the dash kind must never teach that a 1 is not a digit."""
    rng = np.random.default_rng(1)
    for _ in range(40):
        _, strokes = random_non_digit(rng, "dash")
        line = strokes[0]
        dx, dy = line[-1] - line[0]
        assert abs(np.degrees(np.arctan2(dy, dx))) % 180 <= 40 or abs(np.degrees(np.arctan2(dy, dx))) % 180 >= 140


def test_with_non_digits_appends_the_share_as_class_ten():
    images = np.zeros((900, 28, 28), np.uint8)
    labels = np.arange(900) % 10
    mixed, mixed_labels = with_non_digits(images, labels, 0.1, label=10, seed=0)
    assert len(mixed) == 1000 and np.all(mixed_labels[900:] == 10) and np.array_equal(mixed_labels[:900], labels)
    assert mixed[900:].max() == 255
    flat, _ = with_non_digits(images.reshape(900, -1), labels, 0.1, label=10)
    assert flat.shape == (1000, 784)
    same, same_labels = with_non_digits(images, labels, 0.0)
    assert same is images and same_labels is labels


def test_a_run_with_the_class_has_eleven_outputs_and_validation_stays_mnist(mnist):
    config = TrainConfig(layers="dense32,dense11", epochs=1, val_split=500, train_examples=2000, non_digits=0.2,
                         batch_size=100, seed=3)
    trainer = Trainer.from_dataset(config, mnist)
    assert list(trainer.class_names) == [str(d) for d in range(10)] + [NOT_A_DIGIT]
    assert trainer.network.n_classes == 11 and np.sum(trainer.train_labels == 10) == 500
    assert trainer.val_labels.max() <= 9 and len(trainer.val_labels) == 500
    assert is_digit_task(trainer.class_names)             # the writing styles still apply to the digits
    *_, end = trainer.run()
    assert np.isfinite(end.history["val_loss"][-1])


def test_the_class_refuses_datasets_that_are_not_mnist_digits(mnist):
    digits, _ = load_dataset("digits")
    with pytest.raises(ConfigError, match="ten digits in 28x28"):
        Trainer.from_dataset(TrainConfig(layers="dense11", non_digits=0.1), digits)
    with pytest.raises(ConfigError, match="one digit against the rest"):
        Trainer.from_dataset(TrainConfig(non_digits=0.1, positive_class=3, output="sigmoid",
                                         loss="binary_cross_entropy", hidden_sizes=(8,)), mnist)
    with pytest.raises(ConfigError, match="end the layers with dense11"):
        Trainer.from_dataset(TrainConfig(layers="dense10", non_digits=0.1, train_examples=100), mnist)
