"""Microseconds per training batch spent turning row indices into network inputs, targets and
labels (784 inputs, batch 128, full MNIST in a random order), for three ways of doing it:

  - "index + mixed multiply": what the trainer did before: images[indices] (a new uint8 batch),
    then one np.multiply(uint8, scale, dtype=float32) into a buffer, targets[indices], labels[indices];
  - "float32 once + take": the whole training set converted once (188 MB), rows gathered with
    np.take(..., mode="clip", out=buffer);
  - "TrainingBatches.gather": what the trainer does now (core/training/batches.py).
All three give the same values (checked here). Medians of several passes over an epoch, the
variants interleaved. Not a test.

    python bench/bench_batch_path.py [--runs 5] [--data DIR] [--clock wall|cpu]
"""
import argparse
import time

import numpy as np

from _common import load_mnist, median
from core.data.normalise import NORMALISATIONS
from core.nn.network import Network
from core.training.batches import TrainingBatches

BATCH = 128


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="cpu: this thread's CPU time (steadier on a busy machine)")
    args = parser.parse_args()
    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    dataset = load_mnist(args.data)
    images = np.ascontiguousarray(dataset.train_images.reshape(len(dataset.train_images), -1))
    labels = dataset.train_labels.astype(np.int64)
    targets = Network((784, 10)).targets(labels)
    scale = np.float32(NORMALISATIONS["zero_one"][0])
    float_images = np.multiply(images, scale, dtype=np.float32)
    inputs_buffer = np.empty((BATCH, images.shape[1]), np.float32)
    targets_buffer = np.empty((BATCH, targets.shape[1]), np.float32)
    labels_buffer = np.empty(BATCH, np.int64)
    batches = TrainingBatches(images, labels, targets, "zero_one", np.float32, BATCH)

    def index_and_mixed_multiply(rows):
        x = np.multiply(images[rows], scale, out=inputs_buffer[:len(rows)], dtype=np.float32)
        return x, targets[rows], labels[rows]

    def float_once_and_take(rows):
        n = len(rows)
        return (np.take(float_images, rows, axis=0, out=inputs_buffer[:n], mode="clip"),
                np.take(targets, rows, axis=0, out=targets_buffer[:n], mode="clip"),
                np.take(labels, rows, out=labels_buffer[:n], mode="clip"))

    variants = {"index + mixed multiply": index_and_mixed_multiply,
                "float32 once + take": float_once_and_take,
                "TrainingBatches.gather": batches.gather}
    order = np.random.default_rng(0).permutation(len(labels))
    check = order[:BATCH]
    reference = [np.array(a) for a in index_and_mixed_multiply(check)]
    for name, gather in variants.items():
        assert all(np.array_equal(a, b) for a, b in zip(gather(check), reference)), name
    per_batch = {name: [] for name in variants}
    n_batches = len(order) // BATCH
    for _ in range(args.runs):
        for name, gather in variants.items():
            start = clock()
            for b in range(n_batches):
                gather(order[b * BATCH:(b + 1) * BATCH])
            per_batch[name].append((clock() - start) / n_batches * 1e6)
    before = median(per_batch["index + mixed multiply"])
    print(f"data path per batch of {BATCH} (784 inputs, float32), medians of {args.runs} epochs, interleaved, "
          f"{args.clock} clock:")
    for name, values in per_batch.items():
        print(f"  {name:<24} {median(values):6.1f} us  ({before / median(values):.2f}x the first; "
              f"min {min(values):.1f}, max {max(values):.1f})")


if __name__ == "__main__":
    main()
