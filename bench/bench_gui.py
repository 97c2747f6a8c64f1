"""Training throughput with every live view on vs headless, and GUI event-loop stalls.

Runs the real MainWindow offscreen on full MNIST (784-128-10 ReLU, batch 128, like the CLI)
and, in the same process, the headless Trainer on the same config. Prints the medians over
--repeats runs of: samples/s both ways and their ratio (target >= 0.85), and the p99 gap of a
5 ms QTimer probe while training (target <= 30 ms: the window never feels frozen).

    QT_QPA_PLATFORM=offscreen python bench/bench_gui.py [--repeats 3] [--epochs 2] [--data DIR]
"""
import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from core.config import TrainConfig  # noqa: E402
from core.datasets import load_idx_folder  # noqa: E402
from core.train import run_to_end  # noqa: E402
from core.trainers import make_trainer  # noqa: E402

PROBE_MS = 5


def headless(config, dataset):
    end = run_to_end(make_trainer(config, dataset))
    return end.samples_per_second


def with_gui(app, config, dataset, tab):
    from PyQt5.QtCore import QTimer
    from gui.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    window.set_dataset(dataset)
    window.form.set_config(config)
    window.tabs.setCurrentIndex(tab)
    window.show()
    gaps, last = [], [time.perf_counter()]

    def probe():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    ends = []
    window.snapshot_received.connect(lambda s: ends.append(s) if s.kind == "end" else None)
    window.run_finished.connect(lambda _: app.quit())
    app.processEvents()
    timer.start()
    last[0] = time.perf_counter()
    window.start_training()
    app.exec_()
    timer.stop()
    window.close()
    window.deleteLater()
    app.processEvents()
    p99 = float(np.percentile(np.array(gaps) * 1000, 99)) if gaps else float("nan")
    return ends[-1].samples_per_second, p99, window.state.snapshot_count


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--tab", type=int, default=0, help="tab shown while training (0 Training, 1 Weights, ...)")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DIGITLAB_SETTINGS"] = str(Path(tmp) / "settings.ini")   # never the user's settings
        dataset = load_idx_folder(args.data, cache_dir=tmp)
        from gui.app import create_app
        app = create_app([])
        sys.setswitchinterval(0.002)   # as gui.app.run_app does
        config = TrainConfig(hidden_sizes=(128,), activation="relu", batch_size=128, epochs=args.epochs)
        rows = []
        for repeat in range(args.repeats):
            base = headless(config, dataset)
            gui, p99, n_snapshots = with_gui(app, config, dataset, args.tab)
            rows.append((base, gui, gui / base, p99))
            print(f"run {repeat + 1}: headless {base:,.0f} samples/s, GUI {gui:,.0f} samples/s, "
                  f"ratio {gui / base:.3f}, stall p99 {p99:.1f} ms ({n_snapshots} snapshots)", flush=True)
    base, gui, ratio, p99 = (statistics.median(col) for col in zip(*rows))
    print(f"\nmedian of {args.repeats}: headless {base:,.0f} samples/s | GUI {gui:,.0f} samples/s | "
          f"ratio {ratio:.3f} (target >= 0.85) | event-loop stall p99 {p99:.1f} ms (target <= 30)")


if __name__ == "__main__":
    main()
