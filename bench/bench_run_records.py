"""What recording a run costs: full MNIST, 784-128-10 relu, momentum, batch 128, 3 epochs.

Prints the median wall time of a run driven plainly (trainer.run()) and recorded
(recorded_run: history row, checkpoint with optimiser state, per-epoch ECE on 6,000 validation
images), their ratio, and the median time one epoch's recording takes. The runs alternate
(plain, recorded, plain, ...) so background load hits both alike. Not a test.

    python bench/bench_run_records.py [--runs 3] [--data DIR]
"""
import argparse
import os
import tempfile
import time
from dataclasses import replace

from _common import load_mnist, median
from core.settings.config import TrainConfig
from core.records.writer import RunRecorder, recorded_run
from core.records.resume import start_recording
from core.training.trainers import make_trainer

CONFIG = TrainConfig(hidden_sizes=(128,), batch_size=128, epochs=3, val_split=6000, schedule="constant",
                     snapshot_every=50)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--data")
    args = parser.parse_args()
    dataset = load_mnist(args.data)
    plain, recorded, per_epoch = [], [], []
    observe = RunRecorder.observe

    def timed_observe(self, snapshot, state=None):
        started = time.perf_counter()
        observe(self, snapshot, state)
        if snapshot.kind == "epoch":
            per_epoch.append(time.perf_counter() - started)

    RunRecorder.observe = timed_observe
    with tempfile.TemporaryDirectory() as home:
        os.environ["DIGITLAB_HOME"] = home
        for run in range(args.runs):
            config = replace(CONFIG, seed=run)
            trainer = make_trainer(config, dataset)
            started = time.perf_counter()
            for _ in trainer.run():
                pass
            plain.append(time.perf_counter() - started)
            trainer = make_trainer(config, dataset)
            started = time.perf_counter()
            for _ in recorded_run(trainer, start_recording(trainer, dataset)):
                pass
            recorded.append(time.perf_counter() - started)
    print(f"plain run (3 epochs):    median {median(plain):.2f} s over {args.runs} runs {[round(t, 2) for t in plain]}")
    print(f"recorded run (3 epochs): median {median(recorded):.2f} s {[round(t, 2) for t in recorded]}")
    print(f"recorded / plain:        {median(recorded) / median(plain):.3f}")
    print(f"recording one epoch:     median {1000 * median(per_epoch):.0f} ms (checkpoint + row + ECE)")


if __name__ == "__main__":
    main()
