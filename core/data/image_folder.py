"""A folder of image files as a Dataset, in the layout users know from torchvision's ImageFolder.

    DIR/circle/a.png, DIR/circle/b.jpg, DIR/star/1.png ...     one subfolder per class (any depth
                                                                inside it); the names are the classes
    DIR/train/<class>/..., DIR/test/<class>/...                 the same with the test set given
    DIR/7_a.png, DIR/3.png ...                                  the digit case: no subfolders, each
                                                                file name starts with its digit

Images may have any size, either polarity and any format Pillow reads; ``prepare`` turns each
grey image into what the model expects (core.drawing.image_input.canvas_preparation: the
canvas's own preparation, so a drawing on the canvas and a file are prepared identically).
Classes are sorted by name. Without a test/ folder, ``test_fraction`` of each class is held out
(seeded, stratified). Files that cannot be used (not an image, damaged, blank) are skipped and
listed in ``skipped``; hidden files and folders (.name) are ignored. Bad folders raise
DatasetError with one sentence: no folder, an empty one, files but no class subfolders, one
class, a class without usable images. Nothing is ever written into the folder.
"""
import re
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from core.data.dataset import DIGIT_CLASS_NAMES, Dataset
from core.data.images import read_gray
from core.data.splits import stratified_split
from core.errors import DatasetError, DigitLabError

LABEL_PREFIX = re.compile(r"^(\d+)(?!\d)")
SPLIT_FOLDERS = ("train", "test")


def label_from_name(name):
    """'7_anything.png' -> 7; None when the name does not start with a number."""
    match = LABEL_PREFIX.match(name)
    return int(match.group(1)) if match else None


@dataclass
class FolderScan:
    """What a folder holds, before any image is read. train / test: [(path, label)];
    skipped: [(path relative to the folder, reason)]."""
    folder: Path
    layout: str                  # "classes", "train-test" or "digits"
    class_names: list
    train: list
    test: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def _visible(path, root):
    return not any(part.startswith(".") for part in path.relative_to(root).parts)


def files_under(folder):
    """The visible files anywhere under folder, sorted (hidden files and folders, .name, left out)."""
    return sorted(p for p in folder.rglob("*") if p.is_file() and _visible(p, folder))


def class_subfolders(folder):
    """The visible subfolders of folder, sorted by name."""
    return sorted((p for p in folder.iterdir() if p.is_dir() and not p.name.startswith(".")), key=lambda p: p.name)


def scan_image_folder(folder):
    """The FolderScan of ``folder``: its layout, class names and files. DatasetError (one
    sentence) when the folder cannot be a dataset."""
    folder = Path(folder).expanduser()
    if not folder.is_dir():
        raise DatasetError(f"{folder}: no such folder" if not folder.exists() else f"{folder} is a file, not a folder")
    subfolders = class_subfolders(folder)
    loose = [p for p in sorted(folder.iterdir()) if p.is_file() and not p.name.startswith(".")]
    example = folder / "circle" / "1.png"
    if not subfolders:
        if not loose:
            raise DatasetError(f"{folder} is empty: put one subfolder per class in it, each holding that "
                               f"class's images (e.g. {example})")
        return _scan_digits(folder, loose)
    names = [p.name for p in subfolders]
    if set(SPLIT_FOLDERS) <= set(names):
        return _scan_train_test(folder)
    scan = FolderScan(folder, "classes", names, *_class_files(folder, subfolders))
    scan.skipped += [(p.name, "not in a class subfolder") for p in loose]
    _check_classes(scan, folder)
    return scan


def _class_files(root, subfolders, class_names=None):
    """([(path, label)], []) for the images in each class subfolder of ``root``."""
    class_names = class_names or [p.name for p in subfolders]
    files = [(path, class_names.index(sub.name)) for sub in subfolders for path in files_under(sub)]
    return files, []


def _scan_train_test(folder):
    train_root, test_root = folder / "train", folder / "test"
    train_classes, test_classes = class_subfolders(train_root), class_subfolders(test_root)
    names = [p.name for p in train_classes]
    if not names:
        raise DatasetError(f"{train_root} has no class subfolders: put each class's images in "
                           f"{train_root / 'CLASS'} and {test_root / 'CLASS'}")
    unknown = [p.name for p in test_classes if p.name not in names]
    if unknown:
        raise DatasetError(f"{test_root} has classes that {train_root} lacks: {', '.join(unknown)}")
    train, _ = _class_files(train_root, train_classes, names)
    test, _ = _class_files(test_root, test_classes, names)
    scan = FolderScan(folder, "train-test", names, train, test)
    _check_classes(scan, train_root)
    return scan


def _scan_digits(folder, files):
    """The digit case: files named by their digit (7_a.png). My digits' store files are read by
    `evaluate --images` (core.cli.image_folder), which knows their labels from their JSON."""
    train, skipped = [], []
    for path in files:
        label = label_from_name(path.name)
        if label is None:
            skipped.append((path.name, "no digit at the start of the file name (expected e.g. 7_name.png)"))
        elif label > 9:
            skipped.append((path.name, f"{label} is not a digit (0-9)"))
        else:
            train.append((path, label))
    if not train:
        raise DatasetError(f"{folder} holds files but no class subfolders: put each class's images in a subfolder "
                           f"named after the class (e.g. {folder / 'circle' / '1.png'}), or start each file name "
                           "with its digit (7_a.png)")
    scan = FolderScan(folder, "digits", list(DIGIT_CLASS_NAMES), train, [], skipped)
    present = sorted({label for _, label in train})
    if len(present) < 2:
        raise DatasetError(f"{folder} has images of only one digit ({present[0]}): a classifier needs at least two classes")
    return scan


def _check_classes(scan, root):
    counts = np.bincount([label for _, label in scan.train], minlength=len(scan.class_names))
    empty = [name for name, count in zip(scan.class_names, counts) if count == 0]
    if empty:
        listed = ", ".join(str(root / name) for name in empty)
        raise DatasetError(f"{'class' if len(empty) == 1 else 'classes'} {', '.join(repr(n) for n in empty)} "
                           f"{'has' if len(empty) == 1 else 'have'} no images ({listed}): add some or remove the folder")
    if len(scan.class_names) < 2:
        raise DatasetError(f"{root} has only one class subfolder ({scan.class_names[0]!r}): a classifier needs at "
                           "least two, one subfolder per class")


def read_prepared(files, prepare, folder, skipped):
    """(images (n, h, w) uint8, labels (n,) uint8) of the files that could be read and prepared;
    the others are appended to ``skipped`` as (relative path, reason)."""
    images, labels = [], []
    for path, label in files:
        try:
            prepared = np.asarray(prepare(read_gray(path)), dtype=np.float32)
        except DigitLabError as error:
            reason = str(error)
            skipped.append((str(path.relative_to(folder)), reason.split(": ", 1)[1] if reason.startswith(str(path)) else reason))
            continue
        images.append(np.rint(np.clip(prepared, 0.0, 1.0) * 255.0).astype(np.uint8))
        labels.append(label)
    if not images:
        return None, None
    return np.stack(images), np.asarray(labels, dtype=np.uint8)


def load_image_folder(folder, prepare, *, test_fraction=0.2, seed=0, skipped=None, name=None):
    """A Dataset of the images in ``folder`` (layouts: see the module's docstring), each
    prepared by ``prepare``: grey (H, W) uint8 -> (h, w) float in [0, 1], the same (h, w) for
    every image, ink bright on dark; raises a DigitLabError for an image it cannot use.

    Images: (n, h, w) uint8; labels index class_names (the sorted subfolder names; '0'..'9' in
    the digit case). Without a test/ folder, round(test_fraction * count) of each class is the
    test set (0 <= test_fraction <= 0.5; a class of one image stays in training). Unusable files
    are appended to ``skipped`` (a list, when given) as (relative path, reason). DatasetError for
    a folder that cannot be a dataset, or whose classes have no usable image after skipping.
    """
    if not 0.0 <= test_fraction <= 0.5:
        raise DatasetError(f"the held-out fraction must be between 0 and 0.5, not {test_fraction}")
    scan = scan_image_folder(folder)
    folder = scan.folder
    skipped = skipped if skipped is not None else []
    skipped.extend(scan.skipped)
    images, labels = read_prepared(scan.train, prepare, folder, skipped)
    present = set() if labels is None else set(labels.tolist())
    wanted = {label for _, label in scan.train}
    lost = [scan.class_names[k] for k in sorted(wanted - present)]
    if lost:
        raise DatasetError(f"no usable image in {'class' if len(lost) == 1 else 'classes'} "
                           f"{', '.join(repr(n) for n in lost)} of {folder} ({len(skipped)} files skipped: "
                           "not images, damaged or blank)")
    if scan.test:
        test_images, test_labels = read_prepared(scan.test, prepare, folder, skipped)
        if test_images is None:
            raise DatasetError(f"no usable image in {folder / 'test'}")
        train_images, train_labels = images, labels
    else:
        train_idx, test_idx = stratified_split(labels, test_fraction, seed, len(scan.class_names))
        train_images, train_labels = images[train_idx], labels[train_idx]
        test_images, test_labels = images[test_idx], labels[test_idx]
    note = f", {len(skipped)} files skipped" if skipped else ""
    return Dataset(name=name or folder.name or "images", train_images=train_images, train_labels=train_labels,
                   test_images=test_images, test_labels=test_labels, class_names=list(scan.class_names),
                   source=f"images in {folder} ({scan.layout}{note})")
