"""Datasets as uint8 arrays: MNIST-layout IDX folders (with a fast .npy cache) and the built-in 8x8 digits.

Everything here returns a ``Dataset`` whose images are (n, H, W) uint8 and labels (n,) uint8.
Conversion to float happens per batch in the trainer, so a full MNIST stays ~55 MB in memory.

Where data comes from, in order (``load_dataset('mnist')``):
  1. the folder given explicitly (``--data DIR``),
  2. the ``DIGITLAB_DATA`` environment variable,
  3. ``default_data_dir()`` (where ``python main.py download`` puts the files),
  and when none of them holds MNIST, scikit-learn's bundled 8x8 digits, with a notice.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np

from core.storage import user_dirs
from core.errors import DatasetError
from core.data.idx import read_idx
from core.data.idx_cache import IDX_ROLES, IdxCache, validate_idx_arrays
from core.data.dataset import DIGIT_CLASS_NAMES, FASHION_CLASS_NAMES, KMNIST_CLASS_NAMES, Dataset
from core.data.splits import stratified_split



# Dataset names load_dataset() accepts -> class names. 'idx' folders are read as 10-class sets.
VALID_NAMES = ("mnist", "digits", "idx", "fashion-mnist", "kmnist", "emnist", "mat")
_IDX_CLASS_NAMES = {
    "mnist": DIGIT_CLASS_NAMES,
    "idx": DIGIT_CLASS_NAMES,
    "fashion-mnist": FASHION_CLASS_NAMES,
    "kmnist": KMNIST_CLASS_NAMES,
}

# The four files of an MNIST-layout folder. For each, the accepted names in order of
# preference: MNIST's own spelling first, then the '.idx' variant some Fashion-MNIST/KMNIST
# copies use; uncompressed before .gz because it reads faster and is the same data.
_IDX_STEMS = {
    "train_images": ("train-images-idx3-ubyte", "train-images.idx3-ubyte"),
    "train_labels": ("train-labels-idx1-ubyte", "train-labels.idx1-ubyte"),
    "test_images": ("t10k-images-idx3-ubyte", "t10k-images.idx3-ubyte"),
    "test_labels": ("t10k-labels-idx1-ubyte", "t10k-labels.idx1-ubyte"),
}
IDX_CANDIDATE_NAMES = {
    role: tuple(stem + suffix for stem in stems for suffix in ("", ".gz"))
    for role, stems in _IDX_STEMS.items()
}


# ---------------------------------------------------------------------------- folders


def default_data_dir() -> Path:
    """Where downloaded MNIST lives: the user data folder's mnist/ (core.storage.user_dirs)."""
    return user_dirs.default_mnist_dir()


def default_cache_dir() -> Path:
    """Where the .npy cache lives: the user cache folder (~/.cache/digitlab on Linux)."""
    return user_dirs.user_cache_dir()


def resolve_data_dir(explicit: str | os.PathLike | None) -> Path:
    """The MNIST folder to use: ``explicit``, else $DIGITLAB_DATA, else default_data_dir()."""
    if explicit:
        return Path(explicit).expanduser()
    from_env = os.environ.get("DIGITLAB_DATA", "").strip()
    if from_env:
        return Path(from_env).expanduser()
    return default_data_dir()


def find_idx_files(folder: str | os.PathLike) -> dict[str, Path]:
    """The IDX files present in ``folder``, as {role: path} for the roles in IDX_ROLES found."""
    folder = Path(folder)
    found = {}
    for role in IDX_ROLES:
        for name in IDX_CANDIDATE_NAMES[role]:
            candidate = folder / name
            if candidate.is_file():
                found[role] = candidate
                break
    return found


# ---------------------------------------------------------------------------- IDX folders


def load_idx_folder(
    folder: str | os.PathLike,
    name: str | None = None,
    cache_dir: str | os.PathLike | None = None,
    *,
    class_names: list[str] | None = None,
    use_cache: bool = True,
) -> Dataset:
    """Load a folder in MNIST's layout (the four IDX files, plain or .gz).

    Labels must lie in 0..len(class_names)-1; class_names defaults to the ten digits, which
    fits MNIST, Fashion-MNIST and KMNIST. (We deliberately do not infer the class count from
    the largest label: one corrupt label byte would then silently add classes.)

    After the first read the arrays are saved as .npy in ``cache_dir`` (default
    default_cache_dir()), keyed by the folder's absolute path and the files' sizes and mtimes;
    later loads read the cache. Nothing is ever written into ``folder``. No checksums are
    checked: a local folder is whatever the user put there (see shared/data/README.md).
    """
    folder = Path(folder).expanduser().absolute()
    class_names = list(class_names or DIGIT_CLASS_NAMES)
    name = name or folder.name or "idx"
    if not folder.is_dir():
        raise DatasetError(f"data folder {folder} does not exist or is not a folder")
    files = find_idx_files(folder)
    for role in IDX_ROLES:
        if role not in files:
            expected = " or ".join(IDX_CANDIDATE_NAMES[role][:2]) + " (optionally .gz)"
            raise DatasetError(f"missing file in {folder}: {expected}")

    cache = IdxCache(Path(cache_dir) if cache_dir else default_cache_dir(), folder, files) if use_cache else None
    arrays = cache.load() if cache else None
    if arrays is not None:
        try:
            validate_idx_arrays(arrays, files, len(class_names))
        except DatasetError:
            arrays = None  # a damaged or foreign cache file: ignore it and read the IDX files
    if arrays is None:
        arrays = {role: read_idx(path) for role, path in files.items()}
        validate_idx_arrays(arrays, files, len(class_names))
        if cache:
            cache.save(arrays)

    return Dataset(
        name=name,
        train_images=arrays["train_images"],
        train_labels=arrays["train_labels"],
        test_images=arrays["test_images"],
        test_labels=arrays["test_labels"],
        class_names=class_names,
        source=f"IDX files in {folder}",
    )


# ---------------------------------------------------------------------------- built-in digits


def load_digits(test_fraction: float = 0.2, seed: int = 0) -> Dataset:
    """scikit-learn's bundled 8x8 digits (1,797 images), so the app works with no download.

    Pixel values 0..16 are scaled to 0..255 (round(v * 255 / 16)). The train/test split is
    stratified by class and seeded, so it is the same on every machine: 1,438 / 359 images.
    """
    from sklearn.datasets import load_digits as sklearn_load_digits  # slow import; only when needed

    bunch = sklearn_load_digits()
    images = np.rint(bunch.images * (255.0 / 16.0)).clip(0, 255).astype(np.uint8)  # (1797, 8, 8)
    labels = bunch.target.astype(np.uint8)  # (1797,)

    train_idx, test_idx = stratified_split(labels, test_fraction, seed)
    return Dataset(
        name="digits",
        train_images=images[train_idx],
        train_labels=labels[train_idx],
        test_images=images[test_idx],
        test_labels=labels[test_idx],
        class_names=list(DIGIT_CLASS_NAMES),
        source="scikit-learn's built-in 8x8 digits (offline)",
    )


# ---------------------------------------------------------------------------- by name


def load_dataset(
    name: str,
    data_dir: str | os.PathLike | None = None,
    allow_fallback: bool = True,
    cache_dir: str | os.PathLike | None = None,
) -> tuple[Dataset, str | None]:
    """Load a dataset by name; returns (dataset, notice), notice being None or a message for the user.

    'mnist': the IDX folder resolve_data_dir(data_dir). If it holds none of the MNIST files
      and allow_fallback, the built-in digits are returned with a notice saying so. If it holds
      some but not all files, or damaged ones, DatasetError is raised: training on a broken
      download without telling anyone would be worse than stopping.
    'digits': the built-in 8x8 digits (data_dir is ignored).
    'idx', 'fashion-mnist', 'kmnist': an MNIST-layout folder; data_dir is required. An 'idx' folder
      with EMNIST's files (emnist-SUBSET-*-ubyte and its mapping file) is read as EMNIST.
    'emnist': EMNIST's IDX files and mapping (core.data.emnist: transposed images, the mapping's
      classes); data_dir is required.
    'mat': a MATLAB file in the layout of Andrew Ng's ex4 (X, y); data_dir is the file's path.
    """
    key = name.strip().lower()
    if key == "digits":
        return load_digits(), None
    if key == "mat":
        if not data_dir:
            raise DatasetError("dataset 'mat' needs a file: pass --data FILE.mat (X and y as in ex4)")
        from core.data.matfiles import load_mat_dataset   # scipy.io only when asked for
        return load_mat_dataset(data_dir), None
    if key == "mnist":
        folder = resolve_data_dir(data_dir)
        if not find_idx_files(folder):
            hint = f"MNIST not found in {folder} (set --data DIR or DIGITLAB_DATA, or run `python main.py download`)"
            from core.data.emnist import find_emnist
            if find_emnist(folder):
                hint = f"{folder} holds EMNIST files, not MNIST: pass --dataset emnist"
            if not allow_fallback:
                raise DatasetError(hint)
            return load_digits(), f"{hint}; using the built-in 8x8 digits instead."
        return load_idx_folder(folder, name="mnist", cache_dir=cache_dir), None
    if key == "emnist" or (key == "idx" and data_dir and not find_idx_files(data_dir)):
        from core.data.emnist import find_emnist, load_emnist_folder
        if key == "emnist" or find_emnist(data_dir):
            if not data_dir:
                raise DatasetError("dataset 'emnist' needs a folder: pass --data DIR with EMNIST's IDX files and "
                                   "its mapping file")
            return load_emnist_folder(data_dir), None
    if key in _IDX_CLASS_NAMES:
        if not data_dir:
            raise DatasetError(f"dataset '{key}' needs a folder: pass --data DIR with the four IDX files")
        dataset = load_idx_folder(
            data_dir,
            name=None if key == "idx" else key,
            cache_dir=cache_dir,
            class_names=_IDX_CLASS_NAMES[key],
        )
        return dataset, None
    raise DatasetError(f"unknown dataset '{name}'; valid names: {', '.join(VALID_NAMES)}")
