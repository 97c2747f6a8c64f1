"""A small slice of the real MNIST for training tests that must stay fast."""
import pytest

from core.data.dataset import Dataset


@pytest.fixture(scope="session")
def mnist_small(mnist):
    """The first 1,500 training and 500 test images of the real MNIST, named 'mnist'."""
    return Dataset(name="mnist", train_images=mnist.train_images[:1500], train_labels=mnist.train_labels[:1500],
                   test_images=mnist.test_images[:500], test_labels=mnist.test_labels[:500],
                   class_names=list(mnist.class_names), source=mnist.source + " (first 1,500 / 500)")


@pytest.fixture(autouse=True)
def digitlab_home(tmp_path, monkeypatch):
    """Run records go to the user data folder: give every test its own."""
    home = tmp_path / "digitlab-home"
    monkeypatch.setenv("DIGITLAB_HOME", str(home))
    return home
