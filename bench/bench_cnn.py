"""Training speed of the NumPy conv stacks (`cnn` and `lenet-5` presets) against PyTorch.

For each preset network: samples/s of one training step (forward, backward, Adam update) on
the same MNIST batches (float32, prepared once), median of --runs runs of --batches batches,
with --threads BLAS threads (1, as the trainer uses: core/training/blas.py). When PyTorch is
installed (it is not a dependency) the same network, optimiser and batches run in PyTorch with
torch.set_num_threads(--threads), and the ratio NumPy / PyTorch is printed, per wall-clock
second and per CPU second of this process (on a busy machine wall time mostly measures the
other programs; CPU time much less so, and the runs alternate so both sides see the same load).
Not a test: nothing asserts on time.

    python bench/bench_cnn.py [--runs 3] [--batches 30] [--threads 1] [--presets cnn,lenet-5]
                              [--layers conv16x5,pool2,conv32x5,pool2,dense128,dense10]
"""
import argparse
import time
from dataclasses import replace

import numpy as np

from _common import load_mnist, median
from core.data.normalise import to_float
from core.nn.layer_spec import parse_layers
from core.training.blas import limited_blas_threads
from core.training.optim import make_optimizer
from core.settings.presets import get_preset
from core.training.training_run import build_network


def batches_of(dataset, batch_size, count, seed=0):
    """count batches of (x (n, 784) float32 in [0, 1], labels (n,)) drawn from the training set."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(dataset.train_labels))[:batch_size * count]
    images = dataset.train_images[order].reshape(len(order), -1)
    x = to_float(images)
    labels = dataset.train_labels[order].astype(np.int64)
    return [(x[i:i + batch_size], labels[i:i + batch_size]) for i in range(0, len(order), batch_size)]


def timed(step_all, n_samples):
    """(samples per wall second, samples per CPU second of this process) of step_all()."""
    wall, cpu = time.perf_counter(), time.process_time()
    step_all()
    return n_samples / (time.perf_counter() - wall), n_samples / (time.process_time() - cpu)


def numpy_run(config, batches, run, threads):
    network = build_network(config, 784, 10, seed=run, image_shape=(28, 28))
    optimizer = make_optimizer(config.optimizer, network.params, config.momentum)
    targets = [network.targets(labels) for _, labels in batches]

    def step_all():
        for (x, _), y in zip(batches, targets):
            _, grads = network.loss_and_gradients(x, y)
            optimizer.step(grads, config.learning_rate)

    with limited_blas_threads(threads):
        network.loss_and_gradients(batches[0][0], targets[0])          # buffers made outside the timing
        return timed(step_all, sum(len(x) for x, _ in batches))


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


def torch_run(config, batches, run, threads):
    """One PyTorch run (wall rate, CPU rate), or None when torch is not installed."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    data = [(torch.from_numpy(x).reshape(-1, 1, 28, 28), torch.from_numpy(labels)) for x, labels in batches]
    torch.manual_seed(run)
    model = torch_model(torch, config.layers, config.activation)
    optimizer = torch.optim.Adam(model.parameters(), lr=config.learning_rate)
    loss_fn = torch.nn.CrossEntropyLoss()

    def step(xb, yb):
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(xb), yb)
        loss.backward()
        optimizer.step()

    def step_all():
        for xb, yb in data:
            step(xb, yb)

    step(*data[0])
    return timed(step_all, sum(len(x) for x, _ in batches))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--batches", type=int, default=30)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--presets", default="cnn,lenet-5")
    parser.add_argument("--layers", action="append", default=[], metavar="STACK",
                        help="also time this stack with the cnn preset's other settings (repeatable), "
                             "e.g. conv16x5,pool2,conv32x5,pool2,dense128,dense10")
    parser.add_argument("--data")
    args = parser.parse_args()
    dataset = load_mnist(args.data)
    jobs = [(name, get_preset(name).config) for name in args.presets.split(",") if name]
    jobs += [(layers, replace(get_preset("cnn").config, layers=layers)) for layers in args.layers]
    for name, config in jobs:
        batches = batches_of(dataset, config.batch_size, args.batches)
        ours, theirs = [], []
        for run in range(args.runs):          # interleaved, so both see the same machine load
            ours.append(numpy_run(config, batches, run, args.threads))
            theirs.append(torch_run(config, batches, run, args.threads))
        print(f"{name} ({config.layers}), batch {config.batch_size}, {args.threads} thread(s), "
              f"median of {args.runs} runs of {args.batches} batches:")
        for label, index in (("wall", 0), ("CPU", 1)):
            mine = median([r[index] for r in ours])
            line = f"  per {label:4s} second: NumPy {mine:8,.0f} samples/s"
            if theirs[0] is None:
                line += "   (PyTorch not installed: no baseline)"
            else:
                base = median([r[index] for r in theirs])
                line += f"   PyTorch {base:8,.0f} samples/s   ratio {mine / base:.2f}x"
            print(line, flush=True)


if __name__ == "__main__":
    main()
