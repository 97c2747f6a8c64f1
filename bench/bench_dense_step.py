"""What changes to the dense-layer maths buy: one training step of 784-128-10 (relu, softmax
cross-entropy, momentum 0.9, batch 128, float32, one BLAS thread) written out by hand, with each
change switched on alone and all together, against the engine's own step
(core.nn.network.Network.loss_and_gradients + core.training.optim.Momentum, with the weight
gradients folded into the momentum GEMM as the Trainer does between snapshots; "engine step,
unfolded" is the same without folding). A measurement for whoever tunes core/nn, not code the
app runs. Not a test.

Changes (flags of ``written_out_step``; the engine has its own versions of all three):
  fused     the first layer's weight gradient and the momentum update in one BLAS call,
            v = momentum * v - lr * x^T dh  (scipy.linalg.blas.sgemm with beta = momentum on
            F-ordered views, no copies), then W += v: the gradient matrix is never written or
            read back. (Layer stats want the gradient: take the unfused path on snapshot batches.)
  pick      the cross-entropy from the label's probability only, -mean(log(p[i, label_i])),
            instead of -sum(y * log(p)) over the whole one-hot matrix (three temporaries).
  in_place  delta = (p - y) / n and the relu mask written into reused buffers.
Prints samples/s (medians of interleaved epochs), each variant's ratio to the engine's step, and
how far its loss and weights drift from the engine's after one epoch (float rounding only).

    python bench/bench_dense_step.py [--runs 5] [--data DIR] [--clock wall|cpu]
"""
import argparse
import time

import numpy as np
from scipy.linalg import blas

from _common import load_mnist, median
from core.nn.network import Network
from core.training.batches import TrainingBatches
from core.training.blas import limited_blas_threads
from core.training.optim import make_optimizer

LEARNING_RATE, MOMENTUM, BATCH, HIDDEN = 0.2, 0.9, 128, 128
clock = time.perf_counter   # --clock cpu: time.thread_time (steadier on a busy machine)


def engine_step(images, labels, seed, fold=True):
    """The engine's own maths on the engine's data path; returns (step(rows) -> loss, network).
    fold: weight gradients folded into the optimiser's GEMM (the Trainer's choice between snapshots)."""
    net = Network((images.shape[1], HIDDEN, 10), seed=seed)
    optimizer = make_optimizer("momentum", net.params, MOMENTUM)
    batches = TrainingBatches(images, labels, net.targets(labels), "zero_one", np.float32, BATCH)

    def step(rows):
        x, y, batch_labels = batches.gather(rows)
        loss, grads = net.loss_and_gradients(x, y, fold_weight_grads=fold)
        batches.count_correct(net.last_output, batch_labels)
        optimizer.step(grads, LEARNING_RATE)
        return loss
    return step, net


def written_out_step(images, labels, seed, fused=False, pick=False, in_place=False):
    """The same step written out, with the proposed changes as flags (all False = the engine's ops)."""
    net = Network((images.shape[1], HIDDEN, 10), seed=seed)
    W1, b1, W2, b2 = net.params
    batches = TrainingBatches(images, labels, net.targets(labels), "zero_one", np.float32, BATCH)
    h, dh = np.empty((BATCH, HIDDEN), np.float32), np.empty((BATCH, HIDDEN), np.float32)
    p, d = np.empty((BATCH, 10), np.float32), np.empty((BATCH, 10), np.float32)
    mask = np.empty((BATCH, HIDDEN), bool)
    grads = [np.empty_like(q) for q in net.params]
    velocities = [np.zeros_like(q) for q in net.params]
    all_rows, tiny = np.arange(BATCH), np.float32(1e-12)

    def step(rows):
        x, y, batch_labels = batches.gather(rows)
        n = len(rows)
        hb, pb, dhb = h[:n], p[:n], dh[:n]
        np.dot(x, W1, out=hb)
        hb += b1
        np.maximum(hb, 0, out=hb)
        np.dot(hb, W2, out=pb)
        pb += b2
        pb -= pb.max(axis=1, keepdims=True)
        np.exp(pb, out=pb)
        pb /= pb.sum(axis=1, keepdims=True)
        if pick:
            picked = pb[all_rows[:n], batch_labels] + tiny
            loss = float(-np.sum(np.log(picked, out=picked)) / n)
        else:
            loss = float(-np.sum(y * np.log(pb + tiny)) / n)
        if in_place:
            delta = np.subtract(pb, y, out=d[:n])
            delta /= n
        else:
            delta = (pb - y) / n
        batches.count_correct(pb, batch_labels)
        np.dot(hb.T, delta, out=grads[2])
        np.sum(delta, axis=0, out=grads[3])
        np.dot(delta, W2.T, out=dhb)
        if in_place:
            dhb *= np.greater(hb, 0, out=mask[:n])
        else:
            dhb *= hb > 0
        np.sum(dhb, axis=0, out=grads[1])
        first = 0
        if fused:   # C-ordered v (784, 128) is F-ordered v.T: v.T = momentum v.T - lr dh^T x
            blas.sgemm(-LEARNING_RATE, dhb.T, x.T, beta=MOMENTUM, c=velocities[0].T, trans_b=1, overwrite_c=1)
            np.add(W1, velocities[0], out=W1)
            first = 1
        else:
            np.dot(x.T, dhb, out=grads[0])
        for param, grad, velocity in list(zip(net.params, grads, velocities))[first:]:
            velocity *= MOMENTUM
            velocity -= LEARNING_RATE * grad
            param += velocity
        return loss
    return step, net


def one_epoch(make_step, images, labels, seed, **flags):
    step, net = make_step(images, labels, seed, **flags)
    order = np.random.default_rng(seed).permutation(len(labels))
    losses = []
    with limited_blas_threads():
        start = clock()
        for i in range(0, len(order), BATCH):
            losses.append(step(order[i:i + BATCH]))
        rate = len(order) / (clock() - start)
    return rate, np.array(losses), net


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--data")
    parser.add_argument("--clock", choices=("wall", "cpu"), default="wall")
    args = parser.parse_args()
    global clock
    clock = time.thread_time if args.clock == "cpu" else time.perf_counter
    dataset = load_mnist(args.data)
    images = np.ascontiguousarray(dataset.train_images.reshape(len(dataset.train_images), -1))
    labels = dataset.train_labels.astype(np.int64)
    variants = {"engine step (Network + Momentum)": (engine_step, {}),
                "engine step, unfolded": (engine_step, dict(fold=False)),
                "written out, same ops": (written_out_step, {}),
                "+ fused sgemm momentum": (written_out_step, dict(fused=True)),
                "+ loss from the label's p": (written_out_step, dict(pick=True)),
                "+ in-place delta and mask": (written_out_step, dict(in_place=True)),
                "all three": (written_out_step, dict(fused=True, pick=True, in_place=True))}
    rates = {name: [] for name in variants}
    drift = {}
    for run in range(args.runs):
        reference = None
        for name, (make_step, flags) in variants.items():
            rate, losses, net = one_epoch(make_step, images, labels, run, **flags)
            rates[name].append(rate)
            if reference is None:
                reference = losses, net
            elif run == 0:
                loss_drift = float(np.max(np.abs(losses - reference[0]) / np.abs(reference[0])))
                weight_drift = max(float(np.max(np.abs(a - b)) / np.max(np.abs(b)))
                                   for a, b in zip(net.params, reference[1].params))
                drift[name] = (loss_drift, weight_drift)
    base = rates["engine step (Network + Momentum)"]
    print(f"one step of 784-{HIDDEN}-10, batch {BATCH}, float32, one BLAS thread; {args.runs} interleaved epochs, "
          f"{args.clock} clock")
    for name, values in rates.items():
        paired = median([a / b for a, b in zip(values, base)])
        note = ("" if name not in drift else
                f"; after 1 epoch: loss drift {drift[name][0]:.1e}, weight drift {drift[name][1]:.1e} (relative)")
        print(f"  {name:<34} median {median(values):9,.0f} samples/s, x{median(values) / median(base):.3f} "
              f"the engine's step (paired x{paired:.3f}){note}")


if __name__ == "__main__":
    main()
