"""core.nn.memory: the estimate of a stack's training memory, and the refusal that names it."""
import resource
import tracemalloc

import numpy as np
import pytest

from core.errors import ConfigError
from core.nn.layer_spec import parse_layers
from core.nn.memory import available_bytes, check_fits, format_bytes, training_bytes
from core.nn.network import Network


def test_the_estimate_covers_what_building_and_one_batch_really_allocate():
    """Measured with tracemalloc (NumPy reports its buffers to it): building the network plus
    one forward and backward pass stay under the estimate, which is within 10x of it."""
    specs = parse_layers("conv8x3,pool2,dense64,dense10")
    x = np.random.default_rng(0).random((32, 28 * 28), dtype=np.float32)
    tracemalloc.start()
    network = Network.from_layers(specs, (28, 28), "relu", "cross_entropy", "softmax", seed=0)
    network.loss_and_gradients(x, network.targets(np.arange(32) % 10))
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    estimate = training_bytes(specs, (28, 28, 1), 32, itemsize=4, slots=2)
    assert peak < estimate < 10 * peak


def test_a_stack_that_cannot_fit_is_refused_with_what_it_needs():
    needed = training_bytes(parse_layers("dense99999999,dense10"), (28, 28, 1), 128)
    assert needed > 78e9 * 4 * 3            # 78 G weights, gradients, momentum at least
    with pytest.raises(ConfigError, match=r"training it would need about [\d,.]+ TB of memory, but only"):
        check_fits(needed, "training it")
    check_fits(1024, "training a tiny one")


def test_available_memory_respects_an_address_space_limit():
    soft, hard = resource.getrlimit(resource.RLIMIT_AS)
    try:
        resource.setrlimit(resource.RLIMIT_AS, (64 * 1024 ** 4, hard))   # far above use: a finite limit
        assert 0 < available_bytes() <= 64 * 1024 ** 4
    finally:
        resource.setrlimit(resource.RLIMIT_AS, (soft, hard))


def test_sizes_read_as_a_system_monitor_shows_them():
    assert format_bytes(1536) == "1.5 KB" and format_bytes(3 * 1024 ** 3) == "3.0 GB" and format_bytes(12) == "12 bytes"
