"""Damaged data: IDX folders cut from the real MNIST and then truncated, mislabelled or given a
wrong magic number, and MATLAB files (the .mat 'not a square image' case of issue 18's list)."""
import gzip
import struct

import numpy as np

from fault_cases.builders import idx_bytes, small_mnist
from fault_cases.harness import SHARED_MNIST, WRONG, Skip, case

TRAIN_ON = ("train", "--no-fallback", "--epochs", "1", "--hidden", "16", "--no-record", "--data")


def idx_case(name, damage, about, expect="fail", quick=True):
    """A case: a small MNIST-layout folder, damage(paths) applied, then train on it."""
    @case(name, about=about, quick=quick)
    def run(trial):
        if not SHARED_MNIST.is_dir():
            raise Skip(f"no MNIST at {SHARED_MNIST}")
        paths = small_mnist(trial.work / "mnist", SHARED_MNIST)
        damage(paths)
        trial.cli(*TRAIN_ON, "mnist", expect=expect)
        return trial.verdict()
    return run


def cut(path, keep):
    data = path.read_bytes()
    path.write_bytes(data[: keep(len(data))])


def set_bytes(path, offset, new):
    data = bytearray(path.read_bytes())
    data[offset: offset + len(new)] = new
    path.write_bytes(bytes(data))


def gzip_then_cut(path):
    compressed = gzip.compress(path.read_bytes())
    path.write_bytes(compressed[: len(compressed) // 2])


idx_case("idx-small-valid", lambda paths: None, "the small folder undamaged: trains", expect="ok")
idx_case("idx-truncated-images", lambda p: cut(p["train_images"], lambda n: n * 3 // 4), "train images cut short")
idx_case("idx-truncated-header", lambda p: cut(p["test_images"], lambda n: 10), "test images: 10 bytes")
idx_case("idx-empty-labels", lambda p: p["train_labels"].write_bytes(b""), "a 0-byte train labels file")
idx_case("idx-wrong-magic", lambda p: set_bytes(p["train_images"], 0, b"\x12\x34"), "images with magic 0x1234")
idx_case("idx-unknown-dtype", lambda p: set_bytes(p["train_labels"], 2, b"\x42"), "labels of dtype code 0x42")
idx_case("idx-label-count-mismatch", lambda p: set_bytes(p["train_labels"], 4, struct.pack(">I", 599)),
         "600 images, a header saying 599 labels")
idx_case("idx-labels-out-of-range", lambda p: set_bytes(p["test_labels"], 8, b"\xc8"), "a test label of 200")
idx_case("idx-header-claims-billions", lambda p: set_bytes(p["train_images"], 4, struct.pack(">I", 4_000_000_000)),
         "a header claiming 4e9 images (must not allocate them)")
idx_case("idx-images-wrong-rank", lambda p: p["train_images"].write_bytes(idx_bytes(np.zeros((600, 784), np.uint8))),
         "train images stored as (600, 784)")
idx_case("idx-truncated-gzip", lambda p: gzip_then_cut(p["train_images"]), "a gzip stream cut in half")
idx_case("idx-missing-test-labels", lambda p: p["test_labels"].unlink(), "no t10k labels file")
idx_case("idx-labels-are-a-folder", lambda p: (p["train_labels"].unlink(), p["train_labels"].mkdir()),
         "a folder where the train labels should be")


@case("data-is-a-file", about="--data names a regular file that is not a .mat")
def data_is_a_file(trial):
    (trial.work / "notes.txt").write_text("not a dataset\n")
    trial.cli(*TRAIN_ON, "notes.txt", expect="fail")
    return trial.verdict()


def mat_case(name, contents, about, must_name_file=False, issue=""):
    @case(name, about=about, issue=issue)
    def run(trial):
        from scipy.io import savemat
        path = trial.work / "bad.mat"
        if isinstance(contents, bytes):
            path.write_bytes(contents)
        else:
            savemat(path, contents())
        result = trial.cli("train", "--dataset", "mat", "--no-fallback", "--epochs", "1", "--no-record",
                           "--data", path.name, expect="fail")
        if must_name_file and result.returncode and result.message and "bad.mat" not in result.message:
            trial.problem(WRONG, f"the message does not name the file: {result.message}")
        return trial.verdict()
    return run


mat_case("mat-not-square-image", lambda: {"X": np.random.default_rng(0).random((20, 300)),
                                          "y": np.arange(1, 21).reshape(-1, 1) % 10 + 1},
         "X of 300 columns (no square image): the error names the file", must_name_file=True, issue="18.smaller")
mat_case("mat-garbage-bytes", b"MATLAB 5.0 MAT-file" + bytes(200), "a .mat header followed by zeros")
mat_case("mat-without-y", lambda: {"X": np.zeros((20, 400))}, "X but no y")
mat_case("mat-labels-out-of-range", lambda: {"X": np.zeros((20, 400)), "y": np.full((20, 1), 99)}, "labels of 99")
