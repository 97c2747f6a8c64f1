"""Small networks trained here on real MNIST (a few seconds), shared by the analysis tests."""
import numpy as np
import pytest

from core.data.normalise import to_float
from core.nn.network import Network
from core.training.blas import limited_blas_threads
from core.training.optim import make_optimizer


def train(network, images, labels, epochs=1, learning_rate=0.05, batch_size=64):
    """Plain momentum SGD over (n, H, W) uint8 images; returns the network."""
    x = to_float(images, dtype=network.dtype)
    y = network.targets(labels)
    optimizer = make_optimizer("momentum", network.params)
    with limited_blas_threads():        # as the trainer does: two spinning BLAS threads crawl on a busy machine
        for _ in range(epochs):
            for i in range(0, len(x), batch_size):
                _, grads = network.loss_and_gradients(x[i:i + batch_size], y[i:i + batch_size])
                optimizer.step(grads, learning_rate)
    return network


@pytest.fixture(scope="session")
def small_mlp(mnist):
    """784-32-10 ReLU after one epoch on 12,000 training images (about 90% accurate)."""
    return train(Network((784, 32, 10), seed=1), mnist.train_images[:12000], mnist.train_labels[:12000])


@pytest.fixture(scope="session")
def two_hidden_mlp(mnist):
    """784-24-16-10 ReLU after one epoch on 6,000 training images (dense -> dense -> output)."""
    return train(Network((784, 24, 16, 10), seed=3), mnist.train_images[:6000], mnist.train_labels[:6000])


@pytest.fixture(scope="session")
def small_cnn(mnist):
    """conv4x5, pool2, conv6x3, pool2, dense10 after one epoch on 6,000 images."""
    network = Network.from_layers("conv4x5,pool2,conv6x3,pool2,dense10", (28, 28), seed=2)
    return train(network, mnist.train_images[:6000], mnist.train_labels[:6000], learning_rate=0.02)


@pytest.fixture(scope="session")
def validation(mnist):
    """The first 2,000 MNIST test images and labels."""
    return mnist.test_images[:2000], mnist.test_labels[:2000].astype(np.int64)
