"""Helpers shared by the benchmarks: where MNIST is, medians."""
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
SHARED_MNIST = ROOT.parent / "shared" / "data" / "mnist"


def median(values):
    return statistics.median(values)


def load_mnist(data_dir=None):
    from core.data.datasets import load_dataset
    dataset, notice = load_dataset("mnist", data_dir or str(SHARED_MNIST), allow_fallback=False)
    return dataset
