import numpy as np
import pytest

from core.data.transforms import area_resize, downscale, subsample
from core.data.dataset import Dataset
from core.errors import ConfigError
from dataset_helpers import make_arrays


def small_dataset():
    arrays = make_arrays(n_train=200, n_test=50, shape=(28, 28))
    arrays["train_labels"] = (np.arange(200) % 10).astype(np.uint8)
    return Dataset(name="small", class_names=[str(d) for d in range(10)], source="test", **arrays)


def test_subsample():
    dataset = small_dataset()
    small = subsample(dataset, n_train=50, n_test=10, seed=0)
    assert len(small.train_labels) == 50 and len(small.test_images) == 10
    assert small.image_shape == dataset.image_shape and small.name == dataset.name
    assert len(np.unique(small.train_labels)) == 10  # roughly balanced: every class present
    # The chosen images keep their labels and original order.
    positions = [np.flatnonzero((dataset.train_images == image).all(axis=(1, 2)))[0] for image in small.train_images]
    assert positions == sorted(positions)
    np.testing.assert_array_equal(dataset.train_labels[positions], small.train_labels)
    # Seeded.
    np.testing.assert_array_equal(subsample(dataset, 50, 10, seed=0).train_images, small.train_images)
    assert not np.array_equal(subsample(dataset, 50, 10, seed=1).train_images, small.train_images)


def test_subsample_none_and_too_many_keep_everything():
    dataset = small_dataset()
    same = subsample(dataset, n_train=None, n_test=10_000)
    np.testing.assert_array_equal(same.train_images, dataset.train_images)
    np.testing.assert_array_equal(same.test_labels, dataset.test_labels)


@pytest.mark.parametrize("bad", [0, -3, 2.5])
def test_subsample_rejects_bad_counts(bad):
    with pytest.raises(ConfigError, match="n_train"):
        subsample(small_dataset(), n_train=bad)


def test_downscale_to_20x20():
    dataset = small_dataset()
    small = downscale(dataset, (20, 20))
    assert small.train_images.shape == (200, 20, 20) and small.test_images.shape == (50, 20, 20)
    assert small.train_images.dtype == np.uint8
    assert small.image_shape == (20, 20) and small.n_inputs == 400
    np.testing.assert_array_equal(small.train_labels, dataset.train_labels)
    assert "20x20" in small.source and small.name == "small-20x20"
    # Area averaging keeps the mean brightness (up to rounding).
    assert small.train_images.mean() == pytest.approx(dataset.train_images.mean(), abs=0.6)


def test_area_resize_exact_cases():
    flat = np.full((28, 28), 77, dtype=np.uint8)
    assert (area_resize(flat, (20, 20)) == 77).all()
    blocks = np.kron(np.arange(4, dtype=np.uint8).reshape(2, 2) * 60, np.ones((2, 2), dtype=np.uint8))
    np.testing.assert_array_equal(area_resize(blocks, (2, 2)), [[0, 60], [120, 180]])  # integer factor
    np.testing.assert_array_equal(area_resize(blocks, (4, 4)), blocks)  # same size: unchanged
    # A one-pixel stroke keeps its ink instead of being skipped.
    line = np.zeros((28, 28), dtype=np.uint8)
    line[:, 13] = 255
    resized = area_resize(line, (20, 20)).astype(int)
    assert resized.sum() == pytest.approx(line.sum() * 400 / 784, rel=0.05)
    assert area_resize(np.zeros((3, 28, 28), np.uint8), (10, 12)).shape == (3, 10, 12)
    with pytest.raises(ConfigError):
        area_resize(flat, (0, 5))


def test_downscale_real_mnist_keeps_digits_recognisable(mnist):
    dataset = subsample(mnist, n_train=500, n_test=100)
    small = downscale(dataset)
    assert small.train_images.shape == (500, 20, 20)
    assert small.train_images.max() > 200  # strokes stay dark enough


def test_resize_to_is_the_one_resizing_step():
    from core.data.transforms import resize_to
    dataset = small_dataset()
    images = dataset.train_images[:7]
    assert resize_to(images, ()) is images and resize_to(images, None) is images
    assert resize_to(images, (28, 28)) is images                      # already that size: no copy
    np.testing.assert_array_equal(resize_to(images, (20, 20)), area_resize(images, (20, 20)))
    np.testing.assert_array_equal(resize_to(images[0], [14, 14]), area_resize(images[0], (14, 14)))
    assert downscale(dataset, ()) is dataset and downscale(dataset, (28, 28)) is dataset
    small = downscale(dataset, (20, 20))
    np.testing.assert_array_equal(small.test_images, resize_to(dataset.test_images, (20, 20)))
