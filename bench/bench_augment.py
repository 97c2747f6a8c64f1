"""Augmentation speed: images/s for each kind and all together, against a training epoch.

    python bench/bench_augment.py [--runs 5] [--batch-size 128] [--data DIR]

Each figure is the median of ``runs`` passes over 60 batches of real MNIST training images
(uint8 in, uint8 out, as the trainer calls it). The baseline, measured in the same run, is one
epoch of the 784-128-10 MLP (bench_train.py's configuration) in images/s. A CNN epoch is about
ten times slower than the MLP's, and augmentation may cost at most 25% of it: augmentation at
rate A adds n/A seconds to an epoch that takes n/T, so the budget is A >= 4 T_cnn ~= 0.4 T_mlp.
"""
import argparse
import time

import numpy as np

from _common import load_mnist, median
from core.data.augment import AugmentSettings, Augmenter
from core.training.blas import limited_blas_threads
from core.training.config import TrainConfig
from core.training.minibatch import Trainer

KINDS = {
    "affine (shift 2, rot 12, scale .1, shear 10)": AugmentSettings(shift=2.0, rotation=12.0, scale=0.1, shear=10.0),
    "elastic (alpha 34, sigma 4)": AugmentSettings(elastic_alpha=34.0),
    "thickness (0.5)": AugmentSettings(thickness=0.5),
}
KINDS["all together"] = AugmentSettings(shift=2.0, rotation=12.0, scale=0.1, shear=10.0, elastic_alpha=34.0,
                                        thickness=0.5)
CNN_SLOWDOWN = 10.0     # a CNN epoch vs the MLP's (the CNN engine's own estimate; re-measure when it lands)
BUDGET_FRACTION = 0.25  # augmentation may add at most this fraction of an epoch


def augment_rate(settings, images, batch_size, batches, seed):
    augmenter = Augmenter(settings, np.random.default_rng(seed))
    with limited_blas_threads():   # as inside the trainer: the elastic smoothing is two small GEMMs
        started = time.perf_counter()
        for b in range(batches):
            augmenter(images[b * batch_size:(b + 1) * batch_size])
        return batches * batch_size / (time.perf_counter() - started)


def mlp_epoch_rate(dataset, seed):
    config = TrainConfig(hidden_sizes=(128,), activation="relu", batch_size=128, epochs=1, val_split=0,
                         snapshot_every=50, seed=seed)
    return list(Trainer.from_dataset(config, dataset).run())[-1].samples_per_second


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=128)
    parser.add_argument("--batches", type=int, default=60)
    parser.add_argument("--data", help="MNIST folder (default ../shared/data/mnist)")
    args = parser.parse_args(argv)
    dataset = load_mnist(args.data)
    images = dataset.train_images[:args.batch_size * args.batches]
    mlp = median([mlp_epoch_rate(dataset, run) for run in range(max(1, min(args.runs, 3)))])
    cnn = mlp / CNN_SLOWDOWN
    budget = cnn / BUDGET_FRACTION
    print(f"baseline: 784-128-10 MLP epoch {mlp:,.0f} images/s (median); CNN estimate {cnn:,.0f} images/s "
          f"(MLP / {CNN_SLOWDOWN:g}); budget: augmentation >= {budget:,.0f} images/s "
          f"(<= {BUDGET_FRACTION:.0%} of a CNN epoch)")
    print("noisy machine: 2 cores shared with other work; re-measure before quoting")
    print(f"{'kind':48}{'images/s':>12}{'x MLP epoch':>13}{'% of CNN epoch':>16}")
    for name, settings in KINDS.items():
        rate = median([augment_rate(settings, images, args.batch_size, args.batches, seed=run)
                       for run in range(args.runs)])
        print(f"{name:48}{rate:12,.0f}{rate / mlp:13.2f}{100 * cnn / rate:15.1f}%")


if __name__ == "__main__":
    main()
