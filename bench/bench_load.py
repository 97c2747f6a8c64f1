"""How long a full MNIST load takes: cold (reading the gzip IDX files, then writing the cache)
and warm (from the .npy cache). Reads ../shared/data/mnist; caches go to a temporary folder.

    python bench/bench_load.py [--repeats 5] [--data DIR]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.data.datasets import load_idx_folder  # noqa: E402


def time_call(fn) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--data", type=Path, default=ROOT.parent / "shared" / "data" / "mnist")
    args = parser.parse_args()
    if not args.data.is_dir():
        sys.exit(f"no MNIST folder at {args.data}")

    with tempfile.TemporaryDirectory(prefix="digitlab-bench-") as tmp:
        tmp = Path(tmp)
        no_cache = [time_call(lambda: load_idx_folder(args.data, use_cache=False)) for _ in range(args.repeats)]
        # Cold: an empty cache dir each time, so the time includes writing the cache.
        cold = [
            time_call(lambda i=i: load_idx_folder(args.data, cache_dir=tmp / f"cold-{i}"))
            for i in range(args.repeats)
        ]
        load_idx_folder(args.data, cache_dir=tmp / "warm")
        warm = [time_call(lambda: load_idx_folder(args.data, cache_dir=tmp / "warm")) for _ in range(args.repeats)]

    print(f"MNIST from {args.data}, median of {args.repeats} loads:")
    print(f"  cold, IDX only (no cache):      {statistics.median(no_cache):.3f} s")
    print(f"  cold, IDX + writing the cache:  {statistics.median(cold):.3f} s")
    print(f"  warm, from the .npy cache:      {statistics.median(warm):.3f} s")


if __name__ == "__main__":
    main()
