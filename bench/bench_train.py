"""Training speed of the NumPy engine on full MNIST (784-128-10, relu, batch 128, float32).

Prints samples/s (median of several one-epoch runs), the same for PyTorch on this CPU when it
is installed (a baseline measured in the same run), and the training time to reach 98% test
accuracy with a good configuration. Not a test: nothing here asserts on time.

    python bench/bench_train.py [--runs 5] [--data DIR]
"""
import argparse
import os
import time
from dataclasses import replace

import numpy as np

from _common import load_mnist, median
from core.training.config import TrainConfig
from core.training.evaluate import evaluate_network
from core.training.minibatch import Trainer

BENCH_CONFIG = TrainConfig(hidden_sizes=(128,), activation="relu", batch_size=128, epochs=1, val_split=0,
                           snapshot_every=50)


def numpy_samples_per_second(dataset, runs):
    rates = []
    for run in range(runs):
        trainer = Trainer.from_dataset(replace(BENCH_CONFIG, seed=run), dataset)
        end = [s for s in trainer.run()][-1]
        rates.append(end.samples_per_second)
    return rates


def torch_samples_per_second(dataset, runs, threads):
    """The same network, loop and batch size in PyTorch (None when torch is not installed)."""
    try:
        import torch
    except ImportError:
        return None
    torch.set_num_threads(threads)
    x_all = torch.from_numpy(dataset.train_images.reshape(len(dataset.train_images), -1))
    y_all = torch.from_numpy(dataset.train_labels.astype(np.int64))
    rates = []
    for run in range(runs):
        torch.manual_seed(run)
        model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
        opt = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
        loss_fn = torch.nn.CrossEntropyLoss()
        order = torch.randperm(len(x_all))
        start = time.perf_counter()
        for i in range(0, len(order), 128):
            idx = order[i:i + 128]
            xb = x_all[idx].float().div_(255.0)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), y_all[idx])
            loss.backward()
            opt.step()
        rates.append(len(order) / (time.perf_counter() - start))
    return rates


def time_to_accuracy(dataset, target=0.98, epochs=15):
    """Training seconds (evaluation excluded) until the test accuracy first reaches target."""
    config = replace(TrainConfig(), epochs=epochs, val_split=0)
    trainer = Trainer.from_dataset(config, dataset)
    for snapshot in trainer.run():
        if snapshot.kind == "epoch":
            accuracy = evaluate_network(snapshot.network, dataset.test_images, dataset.test_labels,
                                        dataset.class_names)["accuracy"]
            if accuracy >= target:
                return snapshot.elapsed, snapshot.epoch + 1, accuracy, config
    return None, epochs, accuracy, config


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data")
    parser.add_argument("--blas-threads", type=int, help="BLAS threads while training (default: core/blas.py)")
    parser.add_argument("--skip-accuracy", action="store_true", help="only measure samples/s")
    args = parser.parse_args()
    if args.blas_threads:
        os.environ["DIGITLAB_BLAS_THREADS"] = str(args.blas_threads)
    dataset = load_mnist(args.data)
    ours = numpy_samples_per_second(dataset, args.runs)
    print(f"NumPy engine, 784-128-10 relu, batch 128, float32: median {median(ours):,.0f} samples/s "
          f"over {args.runs} one-epoch runs (min {min(ours):,.0f}, max {max(ours):,.0f})")
    for threads in (1, 2):
        theirs = torch_samples_per_second(dataset, args.runs, threads)
        if theirs is None:
            print("PyTorch not installed: no baseline (pip install torch to compare in the same run)")
            break
        print(f"PyTorch, same network and loop, {threads} thread(s): median {median(theirs):,.0f} samples/s "
              f"-> NumPy / PyTorch = {median(ours) / median(theirs):.2f}")
    if args.skip_accuracy:
        return
    seconds, epochs, accuracy, config = time_to_accuracy(dataset)
    setup = (f"784-{','.join(map(str, config.hidden_sizes))}-10 {config.activation}, {config.optimizer} "
             f"lr {config.learning_rate} {config.schedule} over {config.epochs} epochs, batch {config.batch_size}")
    if seconds is None:
        print(f"98% test accuracy not reached in {epochs} epochs ({setup}); best {accuracy:.4f}")
    else:
        print(f"98% test accuracy reached after {epochs} epochs, {seconds:.2f} s of training "
              f"(test accuracy {accuracy:.4f}; {setup})")


if __name__ == "__main__":
    main()
