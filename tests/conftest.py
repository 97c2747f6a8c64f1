"""Shared test helpers: where the real MNIST lives (../shared beside the repository)."""
from pathlib import Path

import pytest

SHARED_MNIST = Path(__file__).resolve().parents[1].parent / "shared" / "data" / "mnist"


@pytest.fixture(scope="session")
def mnist_dir():
    assert SHARED_MNIST.is_dir(), f"{SHARED_MNIST} is missing: tests need ../shared beside the repository"
    return SHARED_MNIST


@pytest.fixture(scope="session")
def mnist(mnist_dir, tmp_path_factory):
    """The real MNIST Dataset (cached in a temporary folder, never the user's home)."""
    from core.data.datasets import load_idx_folder
    return load_idx_folder(mnist_dir, name="mnist", cache_dir=tmp_path_factory.mktemp("cache"))


@pytest.fixture(scope="session")
def mnist_small(mnist):
    """The first 1,500 training and 500 test images of the real MNIST, named 'mnist'."""
    from core.data.dataset import Dataset
    return Dataset(name="mnist", train_images=mnist.train_images[:1500], train_labels=mnist.train_labels[:1500],
                   test_images=mnist.test_images[:500], test_labels=mnist.test_labels[:500],
                   class_names=list(mnist.class_names), source=mnist.source + " (first 1,500 / 500)")


@pytest.fixture(scope="session")
def digits():
    from core.data.datasets import load_digits
    return load_digits()
