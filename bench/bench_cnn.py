"""Training speed of the NumPy conv stacks (`cnn` and `lenet-5` presets) against PyTorch.

For each preset network: samples/s of one training step (forward, backward, Adam update) on
the same MNIST batches (float32, prepared once), median of --runs runs of --batches batches,
with --threads BLAS threads (1, as the trainer uses: core/training/blas.py). When PyTorch is
installed (it is not a dependency) the same network, optimiser and batches run in PyTorch with
torch.set_num_threads(--threads), and the ratio NumPy / PyTorch is printed. Not a test: nothing
asserts on time; on a busy machine the figures are noisy (both sides suffer alike, so the
ratio is the steadier number).

    python bench/bench_cnn.py [--runs 3] [--batches 30] [--threads 1] [--presets cnn,lenet-5]
"""
import argparse
import time

import numpy as np

from _common import load_mnist, median
from core.data.normalise import to_float
from core.nn.layer_spec import parse_layers
from core.training.blas import limited_blas_threads
from core.training.optim import make_optimizer
from core.training.presets import get_preset
from core.training.training_run import build_network


def batches_of(dataset, batch_size, count, seed=0):
    """count batches of (x (n, 784) float32 in [0, 1], labels (n,)) drawn from the training set."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(dataset.train_labels))[:batch_size * count]
    images = dataset.train_images[order].reshape(len(order), -1)
    x = to_float(images)
    labels = dataset.train_labels[order].astype(np.int64)
    return [(x[i:i + batch_size], labels[i:i + batch_size]) for i in range(0, len(order), batch_size)]


def numpy_rate(config, batches, runs, threads):
    rates = []
    for run in range(runs):
        network = build_network(config, 784, 10, seed=run, image_shape=(28, 28))
        optimizer = make_optimizer(config.optimizer, network.params, config.momentum)
        targets = [network.targets(labels) for _, labels in batches]
        with limited_blas_threads(threads):
            network.loss_and_gradients(batches[0][0], targets[0])          # buffers made outside the timing
            started = time.perf_counter()
            for (x, _), y in zip(batches, targets):
                _, grads = network.loss_and_gradients(x, y)
                optimizer.step(grads, config.learning_rate)
            seconds = time.perf_counter() - started
        rates.append(sum(len(x) for x, _ in batches) / seconds)
    return rates


def torch_model(torch, layers, activation):
    """The same stack in PyTorch: conv 'same' pads k // 2; activation after conv and hidden dense."""
    act = {"relu": torch.nn.ReLU, "tanh": torch.nn.Tanh, "sigmoid": torch.nn.Sigmoid,
           "leaky_relu": torch.nn.LeakyReLU}[activation]
    modules, channels, size, flat = [], 1, 28, None
    specs = parse_layers(layers)
    for index, spec in enumerate(specs):
        if spec.kind == "conv":
            modules += [torch.nn.Conv2d(channels, spec.size, spec.kernel,
                                        padding=spec.kernel // 2 if spec.padding == "same" else 0), act()]
            size = size if spec.padding == "same" else size - spec.kernel + 1
            channels = spec.size
        elif spec.kind == "pool":
            modules.append(torch.nn.MaxPool2d(spec.size))
            size //= spec.size
        elif spec.kind == "dropout":
            modules.append(torch.nn.Dropout(spec.rate))
        elif spec.kind == "dense":
            if flat is None:
                modules.append(torch.nn.Flatten())
                flat = channels * size * size
            modules.append(torch.nn.Linear(flat, spec.size))
            flat = spec.size
            if index < len(specs) - 1:
                modules.append(act())
    return torch.nn.Sequential(*modules)


def torch_rate(config, batches, runs, threads):
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    data = [(torch.from_numpy(x).reshape(-1, 1, 28, 28), torch.from_numpy(labels)) for x, labels in batches]
    rates = []
    for run in range(runs):
        torch.manual_seed(run)
        model = torch_model(torch, config.layers, config.activation)
        optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
        loss_fn = torch.nn.CrossEntropyLoss()

        def step(xb, yb):
            optimizer.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), yb)
            loss.backward()
            optimizer.step()

        step(*data[0])
        started = time.perf_counter()
        for xb, yb in data:
            step(xb, yb)
        rates.append(sum(len(x) for x, _ in batches) / (time.perf_counter() - started))
    return rates


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--presets", default="cnn,lenet-5")
    parser.add_argument("--data")
    args = parser.parse_args()
    dataset = load_mnist(args.data)
    for name in args.presets.split(","):
        config = get_preset(name).config
        batches = batches_of(dataset, config.batch_size, args.batches)
        ours = numpy_rate(config, batches, args.runs, args.threads)
        line = (f"{name:8s} {config.layers} batch {config.batch_size}, {args.threads} thread(s): "
                f"NumPy {median(ours):8,.0f} samples/s")
        theirs = torch_rate(config, batches, args.runs, args.threads)
        if theirs is None:
            line += "   (PyTorch not installed: no baseline)"
        else:
            line += f"   PyTorch {median(theirs):8,.0f} samples/s   ratio {median(ours) / median(theirs):.2f}x"
        print(line, flush=True)


if __name__ == "__main__":
    main()
