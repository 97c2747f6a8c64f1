"""Invariance curves on real MNIST with small networks trained here (a second or two each)."""
import dataclasses

import numpy as np
import pytest
from scipy import ndimage

from core.analysis.invariance import (DEFAULT_ANGLES, Cancelled, InvarianceError, accuracy_vs_rotation,
                                      accuracy_vs_shift, curves_for_model, default_shifts, fixed_subset,
                                      invariance_curves, rotate_images, shift_images, transformed)
from core.data.transforms import subsample
from core.files.model_io import load_model, model_metadata, save_model
from core.settings.config import TrainConfig
from core.evaluation.evaluate import evaluate_network
from core.training.minibatch import Trainer

QUICK = TrainConfig(hidden_sizes=(64,), epochs=2, batch_size=64, learning_rate=0.1, val_split=0.0,
                    schedule="constant")


def train(dataset, config=QUICK):
    trainer = Trainer.from_dataset(config, dataset)
    for _ in trainer.run():
        pass
    return trainer.network


@pytest.fixture(scope="module")
def small_mnist(mnist):
    return subsample(mnist, 6000, 2000, seed=0)


@pytest.fixture(scope="module")
def dense(small_mnist):
    """A 784-64-10 MLP trained on 6,000 MNIST digits (about 90% on the test digits)."""
    return train(small_mnist)


@pytest.fixture(scope="module")
def held_out(small_mnist):
    """Test digits the network never saw: images (2000, 28, 28) uint8, labels (2000,)."""
    return small_mnist.test_images, small_mnist.test_labels.astype(np.int64)


def test_unmoved_images_give_the_plain_accuracy(dense, held_out):
    images, labels = held_out
    plain = evaluate_network(dense, images, labels, [str(d) for d in range(10)])["accuracy"]
    assert plain > 0.85   # the network learnt something, so the curves below mean something
    curves = invariance_curves(dense, images, labels, shifts=[-1, 0, 1], angles=[-5, 0, 5])
    centre = list(curves.shifts).index(0)
    assert curves.horizontal[centre] == pytest.approx(plain, abs=1e-12)
    assert curves.vertical[centre] == pytest.approx(plain, abs=1e-12)
    assert curves.rotation[list(curves.angles).index(0)] == pytest.approx(plain, abs=1e-12)


def test_a_dense_network_loses_most_of_its_accuracy_six_pixels_away(dense, held_out):
    images, labels = held_out
    shifts = np.array([-6, -3, 0, 3, 6])
    for direction in ("horizontal", "vertical"):
        accuracy = accuracy_vs_shift(dense, images, labels, shifts, direction=direction)
        assert accuracy[2] > 0.85
        assert max(accuracy[0], accuracy[-1]) < 0.5 * accuracy[2], (direction, accuracy)
        assert accuracy[0] < accuracy[1] < accuracy[2] > accuracy[3] > accuracy[4], (direction, accuracy)
    rotation = accuracy_vs_rotation(dense, images, labels, [-45, 0, 45])
    assert max(rotation[0], rotation[2]) < rotation[1] - 0.2


def test_curves_have_one_point_per_shift_and_angle(dense, held_out):
    images, labels = held_out
    curves = invariance_curves(dense, images[:300], labels[:300], shifts=[-2, 0, 2, 4], angles=[-10, 0, 10])
    assert curves.horizontal.shape == curves.vertical.shape == (4,)
    assert curves.rotation.shape == (3,)
    assert curves.n_images == 300
    defaults = invariance_curves(dense, images[:50], labels[:50])
    np.testing.assert_array_equal(defaults.shifts, np.arange(-6, 7))
    np.testing.assert_array_equal(defaults.angles, np.arange(-45, 46, 5))
    assert defaults.horizontal.shape == (13,) and defaults.rotation.shape == (19,)
    assert np.all((defaults.rotation >= 0) & (defaults.rotation <= 1))


def test_a_model_for_other_images_gives_a_clear_error(digits, held_out):
    small = train(digits, dataclasses.replace(QUICK, hidden_sizes=(16,), epochs=1))
    images, labels = held_out
    with pytest.raises(InvarianceError, match=r"takes 8x8 images \(64 pixels\).*28x28 \(784 pixels\)"):
        accuracy_vs_shift(small, images, labels, [0])
    metadata = model_metadata(small, (8, 8), digits.class_names)
    with pytest.raises(InvarianceError, match=r"digits\.npz was trained on 8x8 images.*28x28"):
        curves_for_model(small, metadata, images, labels, name="digits.npz")


def test_a_saved_model_gives_the_same_curves_as_in_memory(dense, held_out, tmp_path, small_mnist):
    images, labels = held_out
    path = tmp_path / "dense.npz"
    save_model(path, dense, model_metadata(dense, (28, 28), small_mnist.class_names))
    network, metadata = load_model(path)
    from_file = curves_for_model(network, metadata, images[:500], labels[:500], shifts=[-4, 0, 4], angles=[0, 30])
    in_memory = invariance_curves(dense, images[:500], labels[:500], shifts=[-4, 0, 4], angles=[0, 30])
    np.testing.assert_array_equal(from_file.horizontal, in_memory.horizontal)
    np.testing.assert_array_equal(from_file.rotation, in_memory.rotation)


def test_model_metadata_decides_normalisation_and_task_labels(small_mnist, held_out):
    """A [-1, 1] one-digit-against-the-rest model: background shifted in must be -1 (as in
    training) and its labels are 0/1, so the unmoved point equals its own evaluation."""
    config = dataclasses.replace(QUICK, normalisation="minus_one_one", positive_class=3, output="sigmoid",
                                 epochs=1)
    network = train(small_mnist, config)
    images, labels = held_out
    metadata = model_metadata(network, (28, 28), small_mnist.class_names, "minus_one_one", positive_class=3)
    plain = evaluate_network(network, images, labels, small_mnist.class_names, "minus_one_one", 3)["accuracy"]
    curves = curves_for_model(network, metadata, images, labels, shifts=[0], angles=[0])
    assert curves.horizontal[0] == pytest.approx(plain, abs=1e-12)
    assert curves.rotation[0] == pytest.approx(plain, abs=1e-12)
    assert plain > 0.9 + 0.01   # better than always saying "not 3" (about 90%)


def test_shift_matches_a_readable_slicing_reference(held_out):
    images = held_out[0][:20]
    for dx, dy in ((3, 0), (0, -5), (-2, 4), (6, 6)):
        reference = np.zeros(images.shape, np.float32)
        height, width = images.shape[1:]
        # destination rows/cols that receive a source pixel; the rest stays background (0)
        rows_to, rows_from = slice(max(dy, 0), height + min(dy, 0)), slice(max(-dy, 0), height - max(dy, 0))
        cols_to, cols_from = slice(max(dx, 0), width + min(dx, 0)), slice(max(-dx, 0), width - max(dx, 0))
        reference[:, rows_to, cols_to] = images[:, rows_from, cols_from]
        np.testing.assert_array_equal(shift_images(images, dx, dy), reference)


def test_rotation_is_per_image_and_counter_clockwise(held_out):
    images = held_out[0][:10]
    batch = rotate_images(images, 30)
    for image, rotated in zip(images, batch):   # the batch call turns each image in its own plane
        expected = ndimage.rotate(image.astype(np.float32), 30, reshape=False, order=1, mode="grid-constant")
        np.testing.assert_allclose(rotated, expected, atol=1e-3)
    dot = np.zeros((1, 9, 9), np.uint8)
    dot[0, 1, 4] = 255   # just above the centre
    turned = rotate_images(dot, 90)[0]
    assert np.unravel_index(np.argmax(turned), turned.shape) == (4, 1)   # now left of it


def test_the_sparse_fast_path_equals_ndimage(held_out):
    images = held_out[0][:50]
    for dx, dy in ((0, 0), (4, 0), (0, -6), (-3, 2), (27, 0), (0, -30)):
        np.testing.assert_array_equal(transformed(images, dx=dx, dy=dy).reshape(images.shape),
                                      shift_images(images, dx, dy))
    # random pixels up to the border, so the edge handling is compared too, on a non-square image
    noise = np.random.default_rng(0).integers(0, 256, (4, 21, 30), dtype=np.uint8)
    for pixels in (images, noise):
        for angle in (-45, -5, 0.5, 20, 45, 90, 180):
            np.testing.assert_allclose(transformed(pixels, angle=angle).reshape(pixels.shape),
                                       rotate_images(pixels, angle), atol=1e-3)   # float32 sums of 0..255
    np.testing.assert_allclose(transformed(noise, dx=2, dy=-1, angle=30).reshape(noise.shape),
                               rotate_images(shift_images(noise, 2, -1), 30), atol=1e-3)


def test_fixed_subset_is_stratified_seeded_and_sorted(mnist):
    labels = mnist.train_labels[:12000]
    chosen = fixed_subset(labels, 2000, seed=0)
    np.testing.assert_array_equal(chosen, fixed_subset(labels, 2000, seed=0))
    assert not np.array_equal(chosen, fixed_subset(labels, 2000, seed=1))
    assert abs(len(chosen) - 2000) <= 10 and np.all(np.diff(chosen) > 0)
    expected = np.bincount(labels, minlength=10) * len(chosen) / len(labels)
    np.testing.assert_allclose(np.bincount(labels[chosen], minlength=10), expected, atol=1.5)
    np.testing.assert_array_equal(fixed_subset(labels[:500], 2000), np.arange(500))


def test_progress_and_cancellation_between_points(dense, held_out):
    images, labels = held_out
    reports = []
    with pytest.raises(Cancelled):
        invariance_curves(dense, images[:100], labels[:100], progress=lambda done, total: reports.append((done, total)),
                          cancelled=lambda: len(reports) >= 3)
    assert reports == [(1, 45), (2, 45), (3, 45)]


def test_small_images_get_a_proportional_shift_range():
    np.testing.assert_array_equal(default_shifts((28, 28)), np.arange(-6, 7))
    np.testing.assert_array_equal(default_shifts((8, 8)), np.arange(-2, 3))
    assert len(DEFAULT_ANGLES) == 19
