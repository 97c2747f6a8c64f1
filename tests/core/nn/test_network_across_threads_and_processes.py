"""A network crosses the process boundary (pickled in snapshots) and is read by several of the
window's threads at once: neither may change what it computes. Its scratch buffers are each
thread's own and never pickled (a strided view pickled as a copy read stale windows: a 99%
model read 13% after a round trip)."""
import copy
import pickle
import threading

import numpy as np

from core.nn.network import Network


def conv_network():
    return Network.from_layers("conv4x3,pool2,conv6x3v,pool2,dense16,dense10", input_shape=(28, 28), seed=3)


def images(n, seed):
    return np.random.default_rng(seed).random((n, 784), dtype=np.float32)


def test_a_network_pickled_after_use_computes_what_it_did():
    network = conv_network()
    expected = network.copy().predict_proba(images(37, 1))
    network.predict_proba(images(37, 0))           # its buffers for 37 images hold these now
    for twin in (pickle.loads(pickle.dumps(network)), copy.deepcopy(network)):
        np.testing.assert_array_equal(twin.predict_proba(images(37, 1)), expected)   # other images, same size
        np.testing.assert_array_equal(twin.predict_proba(images(5, 2)), network.predict_proba(images(5, 2)))


def test_a_pickled_network_trains_on_as_the_original_does():
    network = conv_network()
    x, y = images(16, 4), np.eye(10, dtype=np.float32)[np.arange(16) % 10]
    network.loss_and_gradients(x, y)
    twin = pickle.loads(pickle.dumps(network))
    loss, grads = network.loss_and_gradients(images(16, 5), y)
    twin_loss, twin_grads = twin.loss_and_gradients(images(16, 5), y)
    assert twin_loss == loss
    for ours, theirs in zip(grads, twin_grads):
        np.testing.assert_array_equal(ours, theirs)


def test_threads_reading_one_network_get_what_a_serial_read_gets():
    network = conv_network()
    inputs = [images(64, seed) for seed in range(4)]
    expected = [network.predict_proba(x) for x in inputs]
    results, start = {}, threading.Barrier(4)

    def read(index):
        start.wait()
        results[index] = [network.predict_proba(inputs[index]) for _ in range(20)]
    threads = [threading.Thread(target=read, args=(index,)) for index in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for index in range(4):
        for probabilities in results[index]:
            np.testing.assert_array_equal(probabilities, expected[index])
