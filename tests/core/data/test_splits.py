"""core.data.splits: seeded train/validation index splits."""

import numpy as np
import pytest

from core.errors import ConfigError
from core.data.splits import stratified_split, train_val_split, validation_count


def check_partition(train_idx, val_idx, n):
    assert train_idx.dtype.kind == "i" and val_idx.dtype.kind == "i"
    combined = np.concatenate([train_idx, val_idx])
    np.testing.assert_array_equal(np.sort(combined), np.arange(n))  # disjoint and complete


def test_fraction():
    train_idx, val_idx = train_val_split(1000, 0.1, seed=0)
    assert len(val_idx) == 100 and len(train_idx) == 900
    check_partition(train_idx, val_idx, 1000)


def test_absolute_count_like_mnist():
    train_idx, val_idx = train_val_split(60000, 10000, seed=0)
    assert len(val_idx) == 10000 and len(train_idx) == 50000
    check_partition(train_idx, val_idx, 60000)


def test_whole_float_above_one_is_a_count():
    assert len(train_val_split(60000, 10000.0, seed=0)[1]) == 10000
    with pytest.raises(ConfigError, match="between 0 and 99"):
        train_val_split(100, 100.0, seed=0)


def test_numpy_scalars_are_accepted():
    assert len(train_val_split(np.int64(50), np.int32(5), seed=1)[1]) == 5
    assert len(train_val_split(50, np.float32(0.2), seed=1)[1]) == 10


def test_zero_validation_keeps_everything_for_training():
    for val in (0, 0.0):
        train_idx, val_idx = train_val_split(10, val, seed=0)
        assert len(val_idx) == 0
        np.testing.assert_array_equal(train_idx, np.arange(10))


def test_same_seed_same_split_other_seed_other_split():
    a = train_val_split(500, 0.2, seed=3)
    b = train_val_split(500, 0.2, seed=3)
    c = train_val_split(500, 0.2, seed=4)
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])


def test_split_is_random_not_a_prefix():
    _, val_idx = train_val_split(1000, 100, seed=0)
    assert val_idx.max() > 500 and val_idx.min() < 500


def test_indices_are_sorted():
    train_idx, val_idx = train_val_split(200, 0.25, seed=0)
    assert np.all(np.diff(train_idx) > 0) and np.all(np.diff(val_idx) > 0)


def test_largest_valid_values():
    assert len(train_val_split(10, 9, seed=0)[0]) == 1
    assert len(train_val_split(10, 0.94, seed=0)[0]) == 1  # round(9.4) = 9


@pytest.mark.parametrize(
    "n, val, message",
    [
        (100, -1, "between 0 and 99"),
        (100, 100, "between 0 and 99"),
        (100, 250, "between 0 and 99"),
        (100, -0.1, r"in \[0, 1\)"),
        (100, 1.0, r"in \[0, 1\)"),
        (100, 1.5, "pass a whole number"),
        (100, float("nan"), r"in \[0, 1\)"),
        (2, 0.9, "leaves nothing to train on"),
        (100, True, "fraction or a count"),
        (100, "0.1", "fraction or a count"),
        (100, None, "fraction or a count"),
        (0, 0.1, "at least 1"),
        (-5, 0.1, "at least 1"),
        (10.0, 0.1, "at least 1"),
    ],
)
def test_invalid_values_raise_config_error(n, val, message):
    with pytest.raises(ConfigError, match=message):
        train_val_split(n, val, seed=0)


def test_validation_count():
    assert validation_count(60000, 0.1) == 6000
    assert validation_count(60000, 10000) == 10000


def test_stratified_split_holds_out_the_fraction_of_every_class():

    labels = np.repeat(np.arange(10), [10, 20, 30, 40, 50, 60, 70, 80, 90, 100])
    train_idx, test_idx = stratified_split(labels, 0.2, seed=3)
    assert sorted(np.concatenate([train_idx, test_idx]).tolist()) == list(range(len(labels)))
    counts = np.bincount(labels[test_idx], minlength=10)
    assert counts.tolist() == [2, 4, 6, 8, 10, 12, 14, 16, 18, 20]
    again = stratified_split(labels, 0.2, seed=3)
    assert np.array_equal(again[0], train_idx) and np.array_equal(again[1], test_idx)
    assert len(set(labels[train_idx[:20]].tolist())) > 5     # shuffled across classes
