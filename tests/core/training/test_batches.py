import numpy as np
import pytest

from core.nn.network import Network
from core.training.batches import (ReferenceBatches, TrainingBatches, reference_batch,
                                   reference_count_correct)
from core.training.layer_stats import layer_stats, reference_layer_stats


@pytest.fixture(scope="module")
def mnist_rows(mnist):
    images = mnist.train_images[:3000].reshape(3000, -1)
    labels = mnist.train_labels[:3000].astype(np.int64)
    return images, labels, Network((784, 16, 10)).targets(labels)


@pytest.mark.parametrize("normalisation", ["zero_one", "minus_one_one"])
def test_gathered_batches_equal_the_reference_and_reuse_their_buffers(mnist_rows, normalisation):
    images, labels, targets = mnist_rows
    batches = TrainingBatches(images, labels, targets, normalisation, np.float32, batch_size=128)
    order = np.random.default_rng(0).permutation(len(labels))
    first = None
    for start in (0, 128, 2944):            # the last one is a partial batch of 56 rows
        indices = order[start:start + 128]
        got = batches.gather(indices)
        want = reference_batch(images, labels, targets, indices, normalisation, np.float32)
        for g, w in zip(got, want):
            assert g.dtype == w.dtype and g.shape == w.shape
            np.testing.assert_array_equal(g, w)
        if first is None:
            first = got
        else:   # the same memory every batch: nothing is allocated per batch
            assert all(np.shares_memory(a, b) for a, b in zip(first, got))
    assert len(got[0]) == 56


def test_reference_batches_allocate_new_arrays(mnist_rows):
    images, labels, targets = mnist_rows
    reference = ReferenceBatches(images, labels, targets, "zero_one", np.float32, 128)
    a, b = reference.gather(np.arange(128)), reference.gather(np.arange(128))
    assert not np.shares_memory(a[0], b[0])
    np.testing.assert_array_equal(a[0], b[0])


@pytest.mark.parametrize("n_outputs", [10, 1])
def test_count_correct_matches_the_reference(n_outputs):
    rng = np.random.default_rng(1)
    batches = TrainingBatches(np.zeros((10, 4), np.uint8), np.zeros(10, np.int64),
                              np.zeros((10, n_outputs), np.float32), "zero_one", np.float32, 64)
    for n in (64, 17):
        output = rng.random((n, n_outputs)).astype(np.float32)
        output[:3] = 0.5                     # ties and the sigmoid threshold itself
        labels = rng.integers(0, max(2, n_outputs), n)
        expected = reference_count_correct(output, labels)
        assert batches.count_correct(output, labels) == expected
        assert 0 < expected < n


def test_layer_stats_match_the_reference():
    rng = np.random.default_rng(2)
    weights = [rng.standard_normal((784, 128)).astype(np.float32), rng.standard_normal((128, 10)).astype(np.float32)]
    before = [w - 1e-3 * rng.standard_normal(w.shape).astype(np.float32) for w in weights]
    grads = [rng.standard_normal(w.shape).astype(np.float32) for w in weights]
    want = reference_layer_stats(weights, before, grads)
    got = layer_stats(weights, [b.copy() for b in before], grads)
    assert [s.name for s in got] == ["W1", "W2"]
    for g, w in zip(got, want):
        assert g.weight_rms == pytest.approx(w.weight_rms, rel=1e-5)
        assert g.grad_rms == pytest.approx(w.grad_rms, rel=1e-5)
        assert g.update_ratio == pytest.approx(w.update_ratio, rel=1e-4)
    assert 5e-4 < want[0].update_ratio < 2e-3
