"""Training speed of the NumPy engine on full MNIST (784-128-10, relu, batch 128, float32).

Loops over the same network, batch size and thread count, run interleaved in one process
(engine, bare, reference, PyTorch, engine, bare, ...) so that a busy machine slows all of them
alike:
  - the engine: core.training.minibatch.Trainer, everything included (uint8 batches converted
    per batch, targets, accuracy counting, snapshots every 50 batches, run controls);
  - a bare NumPy loop: the same mathematics in ~30 lines (inputs converted to float32 once,
    momentum SGD, nothing else): what the engine would cost if it did nothing but the maths;
  - the engine with Trainer.reference_path: its plain data path (a new batch array per batch,
    fancy indexing, allocating accuracy count and layer stats), to show what the fast one saves;
  - PyTorch, when it is installed (it is not a dependency): same network, loop and batch size.
Prints medians of samples/s and the ratios engine/PyTorch, bare/PyTorch and engine/bare (also
as medians of the per-round ratios, steadier than absolute figures on a shared machine), then
the training time to reach 98% test accuracy. Not a test: nothing here asserts on time.

    python bench/bench_train.py [--runs 5] [--data DIR] [--skip-accuracy] [--clock wall|cpu]
                                [--skip-reference] [--torch-2-threads]
"""
import argparse
import os
import time
from dataclasses import replace

import numpy as np

from _common import load_mnist, median
from core.settings.config import TrainConfig
from core.evaluation.evaluate import evaluate_network
from core.training.blas import limited_blas_threads
from core.training.minibatch import Trainer
from core.training.training_run import run_to_end

BENCH_CONFIG = TrainConfig(hidden_sizes=(128,), activation="relu", batch_size=128, epochs=1, val_split=0,
                           snapshot_every=50)
LEARNING_RATE, MOMENTUM = BENCH_CONFIG.learning_rate, BENCH_CONFIG.momentum
# --clock cpu: this thread's CPU time instead of wall time. All three loops compute in the calling
# thread (one BLAS thread, torch.set_num_threads(1)), so CPU time leaves out the time the
# scheduler gives to other programs on a busy machine (not their effect on caches).
clock = time.perf_counter


def engine_samples_per_second(dataset, seed, reference_path=False):
    """One epoch of the engine, as the app and the CLI run it (training seconds only). With the
    CPU clock: from the first batch snapshot to the last, snapshots included. reference_path:
    the plain, allocating data path that the tests compare the fast one with."""
    trainer = Trainer.from_dataset(replace(BENCH_CONFIG, seed=seed), dataset)
    trainer.reference_path = reference_path
    if clock is time.perf_counter:
        return run_to_end(trainer).samples_per_second
    marks = [(clock(), snapshot.step) for snapshot in trainer.run() if snapshot.kind == "batch"]
    (first_time, first_step), (last_time, last_step) = marks[0], marks[-1]
    return (last_step - first_step) * BENCH_CONFIG.batch_size / (last_time - first_time)


def bare_numpy_samples_per_second(inputs, labels, seed, batch_size=128, hidden=128):
    """The bare baseline: one epoch of the same network, mathematics only.

    inputs: (n, 784) float32 already in [0, 1] (converted once, outside the timing);
    labels: (n,) int. He-initialised 784-128-10 relu/softmax, cross-entropy gradient,
    classical momentum, fresh arrays every batch as a tutorial would write it.
    """
    rng = np.random.default_rng(seed)
    n, n_in = inputs.shape
    params = [(rng.standard_normal((n_in, hidden)) * np.sqrt(2 / n_in)).astype(np.float32),
              np.zeros(hidden, np.float32),
              (rng.standard_normal((hidden, 10)) * np.sqrt(2 / hidden)).astype(np.float32),
              np.zeros(10, np.float32)]
    velocities = [np.zeros_like(p) for p in params]
    one_hot = np.eye(10, dtype=np.float32)[labels]
    order = rng.permutation(n)
    with limited_blas_threads():   # the engine's thread count (core/training/blas.py)
        start = clock()
        for i in range(0, n, batch_size):
            rows = order[i:i + batch_size]
            x, y = inputs[rows], one_hot[rows]
            h = x @ params[0]
            h += params[1]
            np.maximum(h, 0, out=h)
            p = h @ params[2]
            p += params[3]
            p -= p.max(axis=1, keepdims=True)
            np.exp(p, out=p)
            p /= p.sum(axis=1, keepdims=True)
            d_out = (p - y) / len(rows)
            d_hidden = d_out @ params[2].T
            d_hidden *= h > 0
            grads = (x.T @ d_hidden, d_hidden.sum(axis=0), h.T @ d_out, d_out.sum(axis=0))
            for param, grad, velocity in zip(params, grads, velocities):
                velocity *= MOMENTUM
                velocity -= LEARNING_RATE * grad
                param += velocity
        return n / (clock() - start)


def torch_baseline(dataset, threads):
    """A function seed -> samples/s of one PyTorch epoch of the same network and loop (the
    uint8 batches converted per batch, as the engine does), or None without PyTorch."""
    try:
        import torch
    except ImportError:
        return None
    x_all = torch.from_numpy(dataset.train_images.reshape(len(dataset.train_images), -1))
    y_all = torch.from_numpy(dataset.train_labels.astype(np.int64))

    def one_epoch(seed):
        torch.set_num_threads(threads)
        torch.manual_seed(seed)
        model = torch.nn.Sequential(torch.nn.Linear(784, 128), torch.nn.ReLU(), torch.nn.Linear(128, 10))
        opt = torch.optim.SGD(model.parameters(), lr=LEARNING_RATE, momentum=MOMENTUM)
        loss_fn = torch.nn.CrossEntropyLoss()
        order = torch.randperm(len(x_all))
        start = clock()
        for i in range(0, len(order), 128):
            idx = order[i:i + 128]
            xb = x_all[idx].float().div_(255.0)
            opt.zero_grad(set_to_none=True)
            loss = loss_fn(model(xb), y_all[idx])
            loss.backward()
            opt.step()
        return len(order) / (clock() - start)
    return one_epoch


def interleaved(loops, runs):
    """{name: [samples/s per round]}: every loop once per round, in turn."""
    rates = {name: [] for name in loops}
    for run in range(runs):
        for name, loop in loops.items():
            rates[name].append(loop(run))
    return rates


def ratio_line(label, numerator, denominator):
    paired = median([a / b for a, b in zip(numerator, denominator)])
    return (f"  {label:<20} {median(numerator) / median(denominator):5.2f}  "
            f"(median of per-round ratios {paired:.2f}, range {min(a / b for a, b in zip(numerator, denominator)):.2f}"
            f"-{max(a / b for a, b in zip(numerator, denominator)):.2f})")


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
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall",
                        help="cpu: time each loop by its thread's CPU time (steadier on a busy machine)")
    parser.add_argument("--skip-reference", action="store_true",
                        help="skip the engine with its plain reference data path (Trainer.reference_path)")
    parser.add_argument("--torch-2-threads", action="store_true",
                        help="also PyTorch with 2 threads (very slow when anything else is running)")
    args = parser.parse_args()
    if args.blas_threads:
        os.environ["DIGITLAB_BLAS_THREADS"] = str(args.blas_threads)
    global clock
    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    dataset = load_mnist(args.data)
    float_inputs = dataset.train_images.reshape(len(dataset.train_images), -1).astype(np.float32) / np.float32(255)
    loops = {"engine": lambda seed: engine_samples_per_second(dataset, seed),
             "bare": lambda seed: bare_numpy_samples_per_second(float_inputs, dataset.train_labels, seed)}
    if not args.skip_reference:
        loops["reference"] = lambda seed: engine_samples_per_second(dataset, seed, reference_path=True)
    torch_one_thread = torch_baseline(dataset, threads=1)
    if torch_one_thread is not None:
        loops["torch"] = torch_one_thread
    rates = interleaved(loops, args.runs)
    names = {"engine": "NumPy engine (Trainer, everything included)",
             "bare": "bare NumPy loop (float32 once, maths only)",
             "reference": "engine with its plain reference data path",
             "torch": "PyTorch, same network and loop, 1 thread"}
    print(f"784-128-10 relu, batch 128, float32, one BLAS thread; {args.runs} interleaved one-epoch rounds "
          f"({args.clock} clock):")
    for name, values in rates.items():
        print(f"  {names[name]:<46} median {median(values):9,.0f} samples/s "
              f"(min {min(values):,.0f}, max {max(values):,.0f})")
    print("ratios (median / median):")
    print(ratio_line("engine / bare", rates["engine"], rates["bare"]))
    if "reference" in rates:
        print(ratio_line("engine / reference", rates["engine"], rates["reference"]))
    if "torch" in rates:
        print(ratio_line("engine / PyTorch", rates["engine"], rates["torch"]))
        print(ratio_line("bare / PyTorch", rates["bare"], rates["torch"]))
    else:
        print("PyTorch not installed: no PyTorch baseline (pip install torch to compare in the same run)")
    if "torch" in rates and args.torch_2_threads:
        torch_two = [torch_baseline(dataset, threads=2)(seed) for seed in range(args.runs)]
        print(f"PyTorch, 2 threads (after the rounds above): median {median(torch_two):,.0f} samples/s "
              f"-> engine / PyTorch = {median(rates['engine']) / median(torch_two):.2f}")
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
