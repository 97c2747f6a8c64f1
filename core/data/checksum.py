"""A dataset's fingerprint: one SHA-256 over its images, labels and class names.

An experiment file (core.files.experiment_io) keeps it, so that opening the experiment on
another machine can say whether the data is the same to the last pixel (the run then repeats bit
for bit) or not. The hash covers what training reads (train and test arrays with their shapes,
the class names), not where the files came from: the same MNIST in another folder, or read from
.gz instead of the raw files, has the same checksum.
"""
import hashlib

import numpy as np

PREFIX = "sha256:"


def dataset_checksum(dataset):
    """'sha256:<64 hex digits>' of a Dataset (train_images (n, H, W) uint8, train_labels (n,),
    test_images (m, H, W), test_labels (m,), class_names). ~0.1 s for all of MNIST."""
    digest = hashlib.sha256()
    for array in (dataset.train_images, dataset.train_labels, dataset.test_images, dataset.test_labels):
        array = np.ascontiguousarray(array)
        # shape and dtype first: 60000x784 and 784x60000 of the same bytes are different data
        digest.update(f"{array.dtype.str}{array.shape}".encode("ascii"))
        digest.update(memoryview(array).cast("B"))
    digest.update("\n".join(dataset.class_names).encode("utf-8"))
    return PREFIX + digest.hexdigest()
