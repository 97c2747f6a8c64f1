"""Augmentation cost: its share of a CNN training epoch, inline and prepared ahead, and images/s per kind.

    python bench/bench_augment.py [--runs 5] [--train 12800] [--batches 60] [--data DIR] [--layers STACK]

Part 1, the target of issue 11 ("augmentation costs at most 25% of a CNN epoch"): one epoch of
the `canvas` preset (the `cnn` network with the augmentation the shipped model trains with) on
the first --train MNIST training images, three ways, measured in the same run and interleaved
(run 1: none, inline, prefetch; run 2: ...), so a busy spell hits all three alike:

    none      the same epoch with every augmentation strength 0
    inline    augmentation in the training thread (Trainer.prefetch_augmentation = False)
    prefetch  augmentation prepared ahead in a background thread (core.training.prefetch), the default

The time is the loop's training time (EndSnapshot.elapsed: batches, no evaluation). The cost is
(t_with - t_none) / t_none per run; the table shows medians over runs. This wall-clock cost is
the target, and it is only meaningful on a quiet machine: with every core busy, prefetching has
no free core to use (and two threads sharing the GIL then wait for each other when the OS
preempts one), so it can even be slower than inline. The CPU columns help read a busy machine:
"CPU s" is the whole process (prefetching does not make augmentation cheaper, it moves it to
the other core), "loop CPU s" the training loop's own thread, and "loop cost" the work left on
it, as a share of the plain epoch's: about what the wall-clock cost becomes with a free core.

Part 2: images/s of the augmentation alone, per kind (median of --runs passes over --batches
batches of real MNIST images, uint8 in and out, as the trainer calls it), and what that rate
would cost inline against the plain CNN epoch of part 1.
"""
import argparse
import time
from dataclasses import replace

import numpy as np

from _common import load_mnist, median
from core.data.augment import AugmentSettings, Augmenter
from core.training.blas import limited_blas_threads
from core.training.minibatch import Trainer
from core.settings.presets import get_preset

PRESET = "canvas"
BUDGET_FRACTION = 0.25  # augmentation may add at most this fraction of a CNN epoch
KINDS = {
    "affine (shift 2, rot 12, scale .1, shear 10)": AugmentSettings(shift=2.0, rotation=12.0, scale=0.1, shear=10.0),
    "elastic (alpha 34, sigma 4)": AugmentSettings(elastic_alpha=34.0),
    "thickness (0.5)": AugmentSettings(thickness=0.5),
    "all together": AugmentSettings(shift=2.0, rotation=12.0, scale=0.1, shear=10.0, elastic_alpha=34.0,
                                    thickness=0.5),
}
KINDS[f"the '{PRESET}' preset's"] = get_preset(PRESET).config.augmentation
WAYS = ("none", "inline", "prefetch")


LAYERS = None   # --layers: another network with the same augmentation (e.g. the smaller `cnn` preset's)


def epoch_config(run):
    """The canvas preset for one epoch, no validation split, seed = run (and --layers, if given)."""
    config = replace(get_preset(PRESET).config, epochs=1, val_split=0, seed=run)
    return replace(config, layers=LAYERS) if LAYERS else config


def timed_epoch(config, images, labels, prefetch):
    """(training seconds, process CPU seconds, CPU seconds of the loop's own thread) of one epoch."""
    trainer = Trainer(config, images, labels, image_shape=(28, 28))
    trainer.prefetch_augmentation = prefetch
    cpu, loop_cpu = time.process_time(), time.thread_time()
    end = list(trainer.run())[-1]
    return end.elapsed, time.process_time() - cpu, time.thread_time() - loop_cpu


def epoch_costs(images, labels, runs):
    """{way: [(seconds, cpu seconds, loop thread cpu seconds) per run]}, the ways interleaved run by run."""
    results = {way: [] for way in WAYS}
    for run in range(runs):
        augmented = epoch_config(run)
        plain = replace(augmented, **AugmentSettings().to_mapping())
        results["none"].append(timed_epoch(plain, images, labels, prefetch=False))
        results["inline"].append(timed_epoch(augmented, images, labels, prefetch=False))
        results["prefetch"].append(timed_epoch(augmented, images, labels, prefetch=True))
    return results


def augment_rate(settings, images, batch_size, batches, seed):
    augmenter = Augmenter(settings, np.random.default_rng(seed))
    with limited_blas_threads():   # as inside the trainer: the elastic smoothing is two small GEMMs
        started = time.perf_counter()
        for b in range(batches):
            augmenter(images[b * batch_size:(b + 1) * batch_size])
        return batches * batch_size / (time.perf_counter() - started)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--train", type=int, default=12800, help="training images per epoch (55,000 = full)")
    parser.add_argument("--batches", type=int, default=60, help="batches per pass in part 2")
    parser.add_argument("--data", help="MNIST folder (default ../shared/data/mnist)")
    parser.add_argument("--layers", help="train this layer stack instead of the preset's (e.g. the cnn preset's "
                        "conv8x5,pool2,conv16x5v,pool2,dense128,dense10: a cheaper epoch, so a larger share)")
    args = parser.parse_args(argv)
    global LAYERS
    LAYERS = args.layers
    dataset = load_mnist(args.data)
    images, labels = dataset.train_images[:args.train], dataset.train_labels[:args.train]
    config = epoch_config(0)
    print(f"noisy machine: 2 cores shared with other work; re-measure before quoting")
    print(f"part 1: one epoch of the '{PRESET}' preset ({config.layers}, batch {config.batch_size}) on {len(labels):,} "
          f"MNIST images, median of {args.runs} interleaved runs; target: augmentation <= {BUDGET_FRACTION:.0%} "
          f"of the epoch")
    results = epoch_costs(images, labels, args.runs)
    print(f"{'way':10}{'epoch s':>9}{'images/s':>10}{'cost':>8}  {'<= 25%':7}{'CPU s':>7}{'loop CPU s':>12}{'loop cost':>11}")
    for way in WAYS:
        seconds, cpu, loop = (median([run[i] for run in results[way]]) for i in range(3))
        line = f"{way:10}{seconds:9.2f}{len(labels) / seconds:10,.0f}"
        if way == "none":
            line += f"{'':8}  {'':7}"
        else:   # per-run ratios against the plain epoch of the same run, then the median
            cost = median([run[0] / base[0] - 1.0 for run, base in zip(results[way], results["none"])])
            line += f"{cost:8.1%}  {'yes' if cost <= BUDGET_FRACTION else 'NO':7}"
        line += f"{cpu:7.2f}{loop:12.2f}"
        if way != "none":
            line += f"{median([run[2] / base[2] - 1.0 for run, base in zip(results[way], results['none'])]):11.1%}"
        print(line)
    none_seconds = [run[0] for run in results["none"]]
    cnn_rate = len(labels) / median(none_seconds)

    batch_size = config.batch_size
    sample = dataset.train_images[:batch_size * args.batches]
    print(f"\npart 2: augmentation alone, batch {batch_size}, median of {args.runs} passes of {args.batches} batches")
    print(f"{'kind':48}{'images/s':>12}{'inline % of CNN epoch':>24}")
    for name, settings in KINDS.items():
        rate = median([augment_rate(settings, sample, batch_size, args.batches, seed=run) for run in range(args.runs)])
        print(f"{name:48}{rate:12,.0f}{100 * cnn_rate / rate:23.1f}%")


if __name__ == "__main__":
    main()
