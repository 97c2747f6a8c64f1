"""core.data.datasets: IDX folders, the .npy cache, the built-in digits, load_dataset and transforms.

Caches always go to tmp_path (cache_dir=...), never to the real user cache.
"""

import os
import shutil
from pathlib import Path

import numpy as np
import pytest

import core.data.datasets as datasets
from core.data.datasets import (
    Dataset,
    default_data_dir,
    load_dataset,
    load_digits,
    load_idx_folder,
    resolve_data_dir,
)
from core.errors import DatasetError
from core.data.idx import write_idx
from dataset_helpers import make_arrays

# The CI clones the repository with ../shared beside it.
SHARED_MNIST = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "mnist"
# Not a skip: CI always has ../shared, and a missing folder must fail loudly, not hide tests.
assert SHARED_MNIST.is_dir(), f"{SHARED_MNIST} is missing: tests need ../shared beside the repository"


def needs_mnist(test):
    return test

MNIST_NAMES = {
    "train_images": "train-images-idx3-ubyte",
    "train_labels": "train-labels-idx1-ubyte",
    "test_images": "t10k-images-idx3-ubyte",
    "test_labels": "t10k-labels-idx1-ubyte",
}
FASHION_STYLE_NAMES = {
    "train_images": "train-images.idx3-ubyte",
    "train_labels": "train-labels.idx1-ubyte",
    "test_images": "t10k-images.idx3-ubyte",
    "test_labels": "t10k-labels.idx1-ubyte",
}


def write_folder(folder, arrays=None, names=MNIST_NAMES, suffix=".gz"):
    """Write a small MNIST-layout folder; returns the arrays written."""
    arrays = make_arrays() if arrays is None else arrays
    folder.mkdir(parents=True, exist_ok=True)
    for role, array in arrays.items():
        write_idx(folder / (names[role] + suffix), array)
    return arrays


def assert_dataset_equals(dataset, arrays):
    for role, array in arrays.items():
        loaded = getattr(dataset, role)
        assert loaded.dtype == np.uint8
        np.testing.assert_array_equal(loaded, array)


@pytest.fixture
def cache_dir(tmp_path):
    return tmp_path / "cache"


@pytest.fixture(autouse=True)
def no_user_dirs(tmp_path, monkeypatch):
    """Point every default user folder into tmp_path, so no test can touch the real home."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg-data"))
    monkeypatch.delenv("DIGITLAB_DATA", raising=False)


# --------------------------------------------------------------------------- real MNIST


@needs_mnist
def test_real_mnist_loads_and_second_load_comes_from_cache(tmp_path, cache_dir, monkeypatch):
    dataset = load_idx_folder(SHARED_MNIST, cache_dir=cache_dir)
    assert dataset.train_images.shape == (60000, 28, 28) and dataset.train_images.dtype == np.uint8
    assert dataset.test_images.shape == (10000, 28, 28) and dataset.test_images.dtype == np.uint8
    assert dataset.train_labels.shape == (60000,) and dataset.test_labels.shape == (10000,)
    assert dataset.train_labels[:5].tolist() == [5, 0, 4, 1, 9]
    assert dataset.test_labels[:5].tolist() == [7, 2, 1, 0, 4]
    assert (dataset.image_shape, dataset.n_classes, dataset.n_inputs) == ((28, 28), 10, 784)
    assert dataset.name == "mnist"
    assert str(SHARED_MNIST) in dataset.source
    assert len(list(cache_dir.glob("*.npy"))) == 4

    # Second load: the IDX reader must not be needed any more.
    def no_idx_reads(path):
        raise AssertionError(f"read {path} although the cache is warm")

    monkeypatch.setattr(datasets, "read_idx", no_idx_reads)
    cached = load_idx_folder(SHARED_MNIST, cache_dir=cache_dir)
    for role in MNIST_NAMES:
        np.testing.assert_array_equal(getattr(cached, role), getattr(dataset, role))
    assert cached.source == dataset.source


@needs_mnist
def test_load_dataset_mnist_from_explicit_dir(cache_dir):
    dataset, notice = load_dataset("mnist", data_dir=str(SHARED_MNIST), cache_dir=cache_dir)
    assert notice is None
    assert dataset.name == "mnist" and len(dataset.train_labels) == 60000


# --------------------------------------------------------------------------- small IDX folders


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("names", [MNIST_NAMES, FASHION_STYLE_NAMES], ids=["mnist-names", "fashion-names"])
def test_small_folder_loads(tmp_path, cache_dir, names, suffix):
    arrays = write_folder(tmp_path / "data", names=names, suffix=suffix)
    dataset = load_idx_folder(tmp_path / "data", cache_dir=cache_dir)
    assert_dataset_equals(dataset, arrays)
    assert dataset.name == "data"
    assert dataset.image_shape == (6, 5) and dataset.n_inputs == 30
    assert dataset.class_names == [str(d) for d in range(10)]


def test_load_dataset_fashion_mnist_uses_fashion_class_names(tmp_path, cache_dir):
    arrays = write_folder(tmp_path / "fashion", names=FASHION_STYLE_NAMES)
    dataset, notice = load_dataset("fashion-mnist", data_dir=tmp_path / "fashion", cache_dir=cache_dir)
    assert notice is None
    assert_dataset_equals(dataset, arrays)
    assert dataset.name == "fashion-mnist" and dataset.class_names[9] == "Ankle boot"


def test_load_dataset_idx_needs_data_dir(cache_dir):
    with pytest.raises(DatasetError, match="needs a folder"):
        load_dataset("idx", cache_dir=cache_dir)


def test_load_dataset_idx(tmp_path, cache_dir):
    arrays = write_folder(tmp_path / "kmnist-copy")
    dataset, notice = load_dataset("IDX", data_dir=str(tmp_path / "kmnist-copy"), cache_dir=cache_dir)
    assert notice is None and dataset.name == "kmnist-copy"
    assert_dataset_equals(dataset, arrays)


def test_int_labels_are_accepted_and_stored_as_uint8(tmp_path, cache_dir):
    arrays = make_arrays()
    arrays["train_labels"] = arrays["train_labels"].astype(np.int32)
    write_folder(tmp_path / "d", arrays)
    dataset = load_idx_folder(tmp_path / "d", cache_dir=cache_dir)
    assert dataset.train_labels.dtype == np.uint8
    np.testing.assert_array_equal(dataset.train_labels, arrays["train_labels"])


def test_missing_file_names_file_and_folder(tmp_path, cache_dir):
    write_folder(tmp_path / "d")
    (tmp_path / "d" / "t10k-labels-idx1-ubyte.gz").unlink()
    with pytest.raises(DatasetError) as info:
        load_idx_folder(tmp_path / "d", cache_dir=cache_dir)
    assert "t10k-labels-idx1-ubyte" in str(info.value) and str(tmp_path / "d") in str(info.value)


def test_missing_folder(tmp_path, cache_dir):
    with pytest.raises(DatasetError, match="does not exist"):
        load_idx_folder(tmp_path / "nowhere", cache_dir=cache_dir)


def corrupt_case(name):
    """(arrays, file role whose name the message must contain, expected message) for one corruption."""
    arrays = make_arrays()
    if name == "labels out of range":
        arrays["train_labels"][7] = 10
        return arrays, "train_labels", "label 10 at position 7 is outside 0..9"
    if name == "mismatched counts":
        arrays["test_labels"] = arrays["test_labels"][:-1]
        return arrays, "test_images", "holds 20 images but .* holds 19 labels"
    if name == "images not 3-D":
        arrays["train_images"] = arrays["train_images"].reshape(40, 30)
        return arrays, "train_images", "expected 3-D uint8 images"
    if name == "images not uint8":
        arrays["test_images"] = arrays["test_images"].astype(np.float32)
        return arrays, "test_images", "expected 3-D uint8 images"
    if name == "labels not 1-D":
        arrays["train_labels"] = arrays["train_labels"].reshape(20, 2)
        return arrays, "train_labels", "expected 1-D integer labels"
    if name == "float labels":
        arrays["train_labels"] = arrays["train_labels"].astype(np.float64)
        return arrays, "train_labels", "expected 1-D integer labels"
    if name == "negative labels":
        arrays["test_labels"] = arrays["test_labels"].astype(np.int16) - 1
        return arrays, "test_labels", "label -1 .* outside 0..9"
    if name == "image sizes differ":
        arrays["test_images"] = arrays["test_images"][:, :, :4].copy()
        return arrays, "test_images", "image sizes differ"
    if name == "no images":
        arrays["train_images"] = arrays["train_images"][:0]
        arrays["train_labels"] = arrays["train_labels"][:0]
        return arrays, "train_images", "holds no images"
    raise KeyError(name)


CORRUPT_CASES = [
    "labels out of range", "mismatched counts", "images not 3-D", "images not uint8", "labels not 1-D",
    "float labels", "negative labels", "image sizes differ", "no images",
]


@pytest.mark.parametrize("case", CORRUPT_CASES)
def test_inconsistent_folder_raises_dataset_error_naming_file(tmp_path, cache_dir, case):
    arrays, role, message = corrupt_case(case)
    write_folder(tmp_path / "d", arrays)
    with pytest.raises(DatasetError, match=message) as info:
        load_idx_folder(tmp_path / "d", cache_dir=cache_dir)
    assert MNIST_NAMES[role] in str(info.value)
    assert not cache_dir.exists() or not list(cache_dir.iterdir())  # nothing cached from bad data


def test_damaged_idx_file_in_folder_names_it(tmp_path, cache_dir):
    write_folder(tmp_path / "d")
    path = tmp_path / "d" / "train-images-idx3-ubyte.gz"
    path.write_bytes(path.read_bytes()[:-10])
    with pytest.raises(DatasetError, match="corrupt gzip") as info:
        load_idx_folder(tmp_path / "d", cache_dir=cache_dir)
    assert str(path) in str(info.value)


def test_more_classes_when_asked(tmp_path, cache_dir):
    arrays = make_arrays()
    arrays["train_labels"][0] = 25
    write_folder(tmp_path / "letters", arrays)
    names = [chr(ord("a") + i) for i in range(26)]
    dataset = load_idx_folder(tmp_path / "letters", cache_dir=cache_dir, class_names=names)
    assert dataset.n_classes == 26


# --------------------------------------------------------------------------- the cache


def test_cache_is_written_used_and_folder_untouched(tmp_path, cache_dir, monkeypatch):
    arrays = write_folder(tmp_path / "d")
    before = sorted(os.listdir(tmp_path / "d"))
    load_idx_folder(tmp_path / "d", cache_dir=cache_dir)
    assert sorted(os.listdir(tmp_path / "d")) == before  # nothing written into the data folder
    cache_files = sorted(p.name for p in cache_dir.iterdir())
    assert len(cache_files) == 4 and all(name.endswith(".npy") for name in cache_files)
    assert all(np.load(cache_dir / name).dtype == np.uint8 for name in cache_files)

    monkeypatch.setattr(datasets, "read_idx", lambda path: pytest.fail(f"read {path} with a warm cache"))
    assert_dataset_equals(load_idx_folder(tmp_path / "d", cache_dir=cache_dir), arrays)


def test_changed_file_invalidates_cache(tmp_path, cache_dir):
    write_folder(tmp_path / "d")
    load_idx_folder(tmp_path / "d", cache_dir=cache_dir)
    new_arrays = make_arrays(seed=1)
    new_arrays["train_labels"] = new_arrays["train_labels"][::-1].copy()
    write_folder(tmp_path / "d", new_arrays)
    # Same sizes; make sure the mtime differs even on coarse-timestamp filesystems.
    for path in (tmp_path / "d").iterdir():
        stat = path.stat()
        os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 2_000_000_000))
    assert_dataset_equals(load_idx_folder(tmp_path / "d", cache_dir=cache_dir), new_arrays)
    assert len(list(cache_dir.iterdir())) == 4  # the stale cache was removed


def test_two_folders_get_separate_caches(tmp_path, cache_dir):
    first = write_folder(tmp_path / "one", make_arrays(seed=1))
    second = write_folder(tmp_path / "two", make_arrays(seed=2))
    assert_dataset_equals(load_idx_folder(tmp_path / "one", cache_dir=cache_dir), first)
    assert_dataset_equals(load_idx_folder(tmp_path / "two", cache_dir=cache_dir), second)
    assert_dataset_equals(load_idx_folder(tmp_path / "one", cache_dir=cache_dir), first)
    assert len(list(cache_dir.iterdir())) == 8


@pytest.mark.parametrize("damage", ["truncated", "invalid-labels"])
def test_damaged_cache_is_ignored_and_rewritten(tmp_path, cache_dir, damage):
    arrays = write_folder(tmp_path / "d")
    load_idx_folder(tmp_path / "d", cache_dir=cache_dir)
    for path in cache_dir.iterdir():
        if damage == "truncated" and "train_images" in path.name:
            path.write_bytes(path.read_bytes()[:50])
        if damage == "invalid-labels" and "test_labels" in path.name:
            np.save(path, np.full(20, 99, dtype=np.uint8))  # readable, but labels out of range
    assert_dataset_equals(load_idx_folder(tmp_path / "d", cache_dir=cache_dir), arrays)
    assert_dataset_equals(load_idx_folder(tmp_path / "d", cache_dir=cache_dir), arrays)  # rewritten cache


def test_unwritable_cache_dir_is_skipped_silently(tmp_path):
    arrays = write_folder(tmp_path / "d")
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    dataset = load_idx_folder(tmp_path / "d", cache_dir=blocker / "cache")  # mkdir fails
    assert_dataset_equals(dataset, arrays)


def test_use_cache_false_writes_nothing(tmp_path, cache_dir):
    write_folder(tmp_path / "d")
    load_idx_folder(tmp_path / "d", cache_dir=cache_dir, use_cache=False)
    assert not cache_dir.exists()


def test_default_cache_dir_follows_xdg(tmp_path):
    write_folder(tmp_path / "d")
    load_idx_folder(tmp_path / "d")
    assert len(list((tmp_path / "xdg-cache" / "digitlab").glob("*.npy"))) == 4


def test_read_only_data_folder(tmp_path, cache_dir):
    arrays = write_folder(tmp_path / "ro")
    os.chmod(tmp_path / "ro", 0o555)
    try:
        assert_dataset_equals(load_idx_folder(tmp_path / "ro", cache_dir=cache_dir), arrays)
    finally:
        os.chmod(tmp_path / "ro", 0o755)


# --------------------------------------------------------------------------- load_dataset / folders


def test_mnist_falls_back_to_digits_when_folder_empty(tmp_path, cache_dir):
    (tmp_path / "empty").mkdir()
    dataset, notice = load_dataset("mnist", data_dir=str(tmp_path / "empty"), cache_dir=cache_dir)
    assert dataset.name == "digits"
    assert "MNIST not found in" in notice and str(tmp_path / "empty") in notice
    assert "DIGITLAB_DATA" in notice and "python main.py download" in notice
    assert "built-in 8x8 digits" in notice


def test_mnist_falls_back_when_folder_missing(tmp_path, cache_dir):
    dataset, notice = load_dataset("mnist", data_dir=str(tmp_path / "nowhere"), cache_dir=cache_dir)
    assert dataset.name == "digits" and notice


def test_mnist_no_fallback_raises(tmp_path, cache_dir):
    with pytest.raises(DatasetError, match="MNIST not found"):
        load_dataset("mnist", data_dir=str(tmp_path), allow_fallback=False, cache_dir=cache_dir)


def test_mnist_corrupt_files_raise_instead_of_falling_back(tmp_path, cache_dir):
    write_folder(tmp_path / "d")
    (tmp_path / "d" / "train-labels-idx1-ubyte.gz").write_bytes(b"\x1f\x8bnot really gzip")
    with pytest.raises(DatasetError, match="train-labels-idx1-ubyte.gz"):
        load_dataset("mnist", data_dir=str(tmp_path / "d"), cache_dir=cache_dir)


def test_mnist_partial_folder_raises_instead_of_falling_back(tmp_path, cache_dir):
    write_folder(tmp_path / "d")
    (tmp_path / "d" / "t10k-images-idx3-ubyte.gz").unlink()
    with pytest.raises(DatasetError, match="missing file .*t10k-images-idx3-ubyte"):
        load_dataset("mnist", data_dir=str(tmp_path / "d"), cache_dir=cache_dir)


def test_digitlab_data_env_var_is_honoured(tmp_path, cache_dir, monkeypatch):
    arrays = write_folder(tmp_path / "from-env")
    monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "from-env"))
    assert resolve_data_dir(None) == tmp_path / "from-env"
    dataset, notice = load_dataset("mnist", cache_dir=cache_dir)
    assert notice is None and dataset.name == "mnist"
    assert_dataset_equals(dataset, arrays)
    # An explicit folder beats the environment variable.
    assert resolve_data_dir(str(tmp_path / "explicit")) == tmp_path / "explicit"


def test_default_data_dir_follows_xdg_and_home(tmp_path, monkeypatch):
    assert default_data_dir() == tmp_path / "xdg-data" / "digitlab" / "mnist"
    assert resolve_data_dir(None) == default_data_dir()
    monkeypatch.delenv("XDG_DATA_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert default_data_dir() == tmp_path / "home" / ".local" / "share" / "digitlab" / "mnist"
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # invalid per the XDG spec: ignored
    assert default_data_dir() == tmp_path / "home" / ".local" / "share" / "digitlab" / "mnist"


def test_mnist_from_default_data_dir(tmp_path, cache_dir):
    arrays = write_folder(default_data_dir())
    dataset, notice = load_dataset("mnist", cache_dir=cache_dir)
    assert notice is None
    assert_dataset_equals(dataset, arrays)


def test_unknown_name_lists_valid_names():
    with pytest.raises(DatasetError, match="unknown dataset 'cifar'.*mnist.*digits.*idx"):
        load_dataset("cifar")


# --------------------------------------------------------------------------- built-in digits


def test_load_digits():
    dataset = load_digits()
    assert dataset.name == "digits"
    assert dataset.source == "scikit-learn's built-in 8x8 digits (offline)"
    assert len(dataset.train_labels) + len(dataset.test_labels) == 1797
    assert len(dataset.test_labels) == pytest.approx(0.2 * 1797, abs=5)
    assert dataset.train_images.dtype == np.uint8 and dataset.train_images.shape[1:] == (8, 8)
    assert dataset.train_labels.dtype == np.uint8
    assert dataset.train_images.max() == 255 and dataset.train_images.min() == 0
    assert (dataset.image_shape, dataset.n_classes, dataset.n_inputs) == ((8, 8), 10, 64)
    # Stratified: each digit is ~20% of the test set's share.
    assert np.bincount(dataset.test_labels, minlength=10).min() >= 34
    # Deterministic across calls.
    again = load_digits()
    np.testing.assert_array_equal(again.train_images, dataset.train_images)
    np.testing.assert_array_equal(again.test_labels, dataset.test_labels)


def test_load_digits_scaling_matches_sklearn():
    from sklearn.datasets import load_digits as sklearn_load_digits

    bunch = sklearn_load_digits()
    dataset = load_digits()
    every = np.concatenate([dataset.train_images, dataset.test_images])
    assert sorted(np.unique(every).tolist()) == sorted({round(v * 255 / 16) for v in range(17)})
    # Same multiset of images: the split loses or duplicates nothing.
    expected = np.rint(bunch.images * 255 / 16).astype(np.uint8).reshape(1797, -1)
    assert sorted(map(bytes, expected)) == sorted(map(bytes, every.reshape(1797, -1)))


def test_load_dataset_digits():
    dataset, notice = load_dataset("digits")
    assert dataset.name == "digits" and notice is None


def test_dataset_repr_is_short():
    arrays = make_arrays(n_train=200, n_test=50, shape=(28, 28))
    text = repr(Dataset(name="small", class_names=[str(d) for d in range(10)], source="test", **arrays))
    assert "train=200" in text and "(28, 28)" in text and len(text) < 200


def test_copy_of_mnist_files_layout(tmp_path, cache_dir):
    """Files copied into a fresh folder with shutil keep working (the way users install data by hand)."""
    write_folder(tmp_path / "src")
    shutil.copytree(tmp_path / "src", tmp_path / "copy")
    dataset, _ = load_dataset("mnist", data_dir=tmp_path / "copy", cache_dir=cache_dir)
    assert dataset.name == "mnist"
