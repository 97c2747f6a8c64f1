"""EMNIST (Cohen et al. 2017) from its IDX files, when the user has them: letters, balanced, digits...

An EMNIST folder holds, per subset (letters, balanced, byclass, bymerge, digits, mnist):

    emnist-letters-train-images-idx3-ubyte(.gz)   emnist-letters-train-labels-idx1-ubyte(.gz)
    emnist-letters-test-images-idx3-ubyte(.gz)    emnist-letters-test-labels-idx1-ubyte(.gz)
    emnist-letters-mapping.txt                    "label code [code ...]" per line (ASCII codes)

Two things differ from MNIST: the images are stored transposed (each is read as image.T), and
the labels are whatever the mapping file lists (letters: 1..26, each the upper and lower case of
a letter: "1 65 97"). Labels become 0..k-1 in the mapping's order and the class names its
characters ("Aa" for a merged upper/lower case pair, "A" for one). Every problem is a
DatasetError naming the file. Read directly from the IDX files (no .npy cache).
"""
import re
from pathlib import Path

import numpy as np

from core.data.dataset import Dataset
from core.data.idx import read_idx
from core.errors import DatasetError

_FILE = re.compile(r"^emnist-(?P<subset>[a-z]+)-(?P<split>train|test)-(?P<kind>images|labels)-idx[13]-ubyte(?:\.gz)?$")
_ROLES = ("train_images", "train_labels", "test_images", "test_labels")
PREFERRED_SUBSET = "letters"


def find_emnist(folder):
    """{subset: {role: path, 'mapping': path or None}} for the EMNIST files in ``folder`` (roles as
    in MNIST: train_images, train_labels, test_images, test_labels); {} when there are none."""
    folder = Path(folder)
    found = {}
    if not folder.is_dir():
        return found
    for path in sorted(folder.iterdir()):
        match = _FILE.match(path.name)
        if match and path.is_file():
            role = f"{match['split']}_{match['kind']}"
            files = found.setdefault(match["subset"], {"mapping": None})
            if role not in files or path.suffix != ".gz":     # uncompressed first: the same data, faster
                files[role] = path
    for subset, files in found.items():
        mapping = folder / f"emnist-{subset}-mapping.txt"
        files["mapping"] = mapping if mapping.is_file() else None
    return found


def read_mapping(path):
    """(labels (k,) int64 in file order, class names [k]) from an EMNIST mapping file."""
    path = Path(path)
    try:
        lines = path.read_text(encoding="ascii").splitlines()
    except (OSError, UnicodeDecodeError) as error:
        raise DatasetError(f"{path}: cannot read the label mapping ({error})") from None
    labels, names = [], []
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        fields = line.split()
        try:
            label, codes = int(fields[0]), [int(field) for field in fields[1:]]
            if not codes or label < 0 or not all(32 < code < 0x110000 for code in codes):
                raise ValueError
        except ValueError:
            raise DatasetError(f"{path}, line {number}: expected 'label code [code]' (e.g. '1 65 97'), "
                               f"found {line.strip()[:40]!r}") from None
        if label in labels:
            raise DatasetError(f"{path}, line {number}: label {label} is listed twice")
        labels.append(label)
        names.append("".join(dict.fromkeys(chr(code) for code in codes)))
    if len(labels) < 2:
        raise DatasetError(f"{path}: the label mapping lists {len(labels)} classes; at least two are needed")
    return np.asarray(labels, dtype=np.int64), names


def pick_subset(found, folder, subset=None):
    if subset is not None:
        if subset not in found:
            raise DatasetError(f"no EMNIST '{subset}' files in {folder} (found: {', '.join(sorted(found)) or 'none'})")
        return subset
    if len(found) == 1:
        return next(iter(found))
    if PREFERRED_SUBSET in found:
        return PREFERRED_SUBSET
    raise DatasetError(f"{folder} holds several EMNIST subsets ({', '.join(sorted(found))}); "
                       "put the one to train on in a folder of its own")


def load_emnist_folder(folder, subset=None):
    """The Dataset of one EMNIST subset in ``folder`` (the only one, else 'letters', else ``subset``):
    images (n, 28, 28) uint8 the right way round, labels 0..k-1 in the mapping file's order."""
    folder = Path(folder).expanduser()
    found = find_emnist(folder)
    if not found:
        raise DatasetError(f"no EMNIST files in {folder} (expected e.g. emnist-letters-train-images-idx3-ubyte.gz)")
    subset = pick_subset(found, folder, subset)
    files = found[subset]
    missing = [role for role in _ROLES if role not in files]
    if missing:
        name = missing[0].replace("_", "-").replace("images", "images-idx3").replace("labels", "labels-idx1")
        raise DatasetError(f"missing file in {folder}: emnist-{subset}-{name}-ubyte (optionally .gz)")
    if files["mapping"] is None:
        raise DatasetError(f"missing file in {folder}: emnist-{subset}-mapping.txt (EMNIST's label mapping: "
                           "which character each label is)")
    mapping_labels, class_names = read_mapping(files["mapping"])
    lookup = np.full(int(mapping_labels.max()) + 1, -1, np.int64)
    lookup[mapping_labels] = np.arange(len(mapping_labels))
    arrays = {}
    for split in ("train", "test"):
        images, labels = read_idx(files[f"{split}_images"]), read_idx(files[f"{split}_labels"])
        if images.ndim != 3 or images.dtype != np.uint8 or labels.ndim != 1 or len(labels) != len(images):
            raise DatasetError(f"{files[f'{split}_images']}: expected n images (n, H, W) of bytes and n labels; "
                               f"found shapes {images.shape} and {labels.shape}")
        labels = labels.astype(np.int64)
        unknown = labels[(labels < 0) | (labels >= len(lookup))]
        unknown = unknown if len(unknown) else labels[lookup[labels] < 0]
        if len(unknown):
            raise DatasetError(f"{files[f'{split}_labels']}: label {int(unknown[0])} is not in {files['mapping'].name}")
        # EMNIST keeps each image transposed (column-major from its MATLAB origin)
        arrays[split] = (np.ascontiguousarray(images.transpose(0, 2, 1)), lookup[labels].astype(np.uint8))
    return Dataset(name=f"emnist-{subset}", train_images=arrays["train"][0], train_labels=arrays["train"][1],
                   test_images=arrays["test"][0], test_labels=arrays["test"][1], class_names=class_names,
                   source=f"EMNIST {subset} IDX files in {folder}")
