"""How long "fool it" takes: targeted iterative gradient steps until the network answers the target.

    python bench/bench_fool.py [--images 10]

For the shipped default model and a small CNN (the 'cnn' preset's layers, trained here for one
epoch on 10,000 images): every one of --images test images against every other digit as the
target, with the default L-inf bound (0.3) and step (0.01), and with the L2 bound (4.0).
Reported: median and worst time per attempt, success rate, median L-inf / L2 size of the change.
Timings on a shared 2-core machine are noisy.
"""
import argparse
import time

import numpy as np

from _common import load_mnist

from core.analysis.adversarial import fool
from core.data.normalise import to_float
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH
from core.nn.network import Network
from core.training.blas import limited_blas_threads
from core.training.optim import make_optimizer
from core.settings.presets import get_preset


def trained_cnn(dataset):
    network = Network.from_layers(get_preset("cnn").config.layers, (28, 28), seed=0)
    x, y = to_float(dataset.train_images[:10000]), network.targets(dataset.train_labels[:10000])
    optimizer = make_optimizer("adam", network.params)
    for i in range(0, len(x), 64):
        optimizer.step(network.loss_and_gradients(x[i:i + 64], y[i:i + 64])[1], 0.002)
    return network


def measure(name, network, x, norm):
    times, successes, sizes = [], [], []
    predicted = network.predict(x)
    for row, answer in zip(x, predicted):
        for target in range(10):
            if target == answer:
                continue
            start = time.perf_counter()
            result = fool(network, row, target, norm=norm)
            times.append(time.perf_counter() - start)
            successes.append(result.success)
            sizes.append(result.linf if norm == "linf" else result.l2)
    times = np.array(times) * 1000
    print(f"{name:<28} {norm:<4}: median {np.median(times):6.1f} ms, worst {times.max():6.1f} ms, "
          f"success {np.mean(successes):.0%} of {len(times)}, median size {np.median(sizes):.3f}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=10)
    args = parser.parse_args(argv)
    dataset = load_mnist()
    x = to_float(dataset.test_images[:args.images])
    with limited_blas_threads():
        default = load_model(DEFAULT_MODEL_PATH)[0]
        cnn = trained_cnn(dataset)
        for norm in ("linf", "l2"):
            measure(f"default model ({default.describe().split()[0]})", default, x, norm)
            measure("cnn preset (1 epoch)", cnn, x, norm)


if __name__ == "__main__":
    main()
