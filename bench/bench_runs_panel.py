"""What the Runs panel costs on the GUI thread, and what one rewind step costs in its worker.

1. Listing: N run records of E epochs each (history rows + checkpoint file names) are read with
   list_runs() (in the app: a worker thread, gui.runs.runs_lister) and put in the RunsPanel's
   table (the GUI thread's share): the first fill, and the refresh at every run start and end (one
   new run on top: only the rows that changed are filled); medians of each.
2. Rewind: a 784-128-10 checkpoint loaded and evaluated on full MNIST's 10,000-image validation
   split (gui.runs.checkpoint_views.load_and_evaluate): the first step splits and converts the
   data (cache miss), later steps reuse it (cache hit). Runs in a worker thread in the app.

Not a test. Timings on a shared 2-core machine are noisy.

    QT_QPA_PLATFORM=offscreen python bench/bench_runs_panel.py [--runs 100] [--epochs 30] [--repeat 7]
"""
import argparse
import os
import tempfile
import time
from pathlib import Path

from _common import load_mnist, median

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def make_records(root, n_runs, n_epochs, network, config):
    from core.records.writer import RunRecorder, checkpoint_path
    for i in range(n_runs):
        rows = [{"epoch": e, "step": 100 * e, "train_loss": 0.5 / e, "train_accuracy": 0.9, "val_loss": 0.4 / e,
                 "val_accuracy": 0.9 + 0.001 * e, "learning_rate": 0.1, "elapsed": 3.0 * e}
                for e in range(1, n_epochs + 1)]
        recorder = RunRecorder.create(config, "mnist", "", (28, 28), [str(d) for d in range(10)], network,
                                      name=f"run {i}", root=root, rows=rows)
        recorder.finish("finished")
        for epoch in range(1, n_epochs + 1, 3):
            checkpoint_path(recorder.record_dir, epoch).touch()


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=30)
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--data")
    args = parser.parse_args()

    from PyQt5.QtWidgets import QApplication
    from core.files.model_io import model_metadata, save_model
    from core.settings.config import TrainConfig
    from core.records.reader import list_runs
    from core.training.training_run import build_network
    from gui.runs.checkpoint_views import ValidationSplitCache, load_and_evaluate
    from gui.runs.runs_panel import RunsPanel

    app = QApplication.instance() or QApplication([])
    config = TrainConfig(hidden_sizes=(128,), val_split=10000, schedule="constant")
    network = build_network(config, 784, 10)
    with tempfile.TemporaryDirectory() as root:
        os.environ["DIGITLAB_SETTINGS"] = str(Path(root) / "settings.ini")
        make_records(root, args.runs, args.epochs, network, config)
        reads, fills, refreshes = [], [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            summaries = list_runs(root)
            reads.append(time.perf_counter() - started)
            panel = RunsPanel(200)   # the first fill: every row
            started = time.perf_counter()
            panel.set_runs(summaries)
            app.processEvents()
            fills.append(time.perf_counter() - started)
            newest = max(summaries, key=lambda s: s.id)   # a refresh at Start: one new run on top
            panel = RunsPanel(200)
            panel.set_runs([s for s in summaries if s is not newest])
            app.processEvents()
            started = time.perf_counter()
            panel.set_runs(summaries)
            app.processEvents()
            refreshes.append(time.perf_counter() - started)
            panel.deleteLater()
        print(f"{args.runs} runs x {args.epochs} epochs: list_runs (worker thread) median {1000 * median(reads):.1f} ms "
              f"(min {1000 * min(reads):.1f}); table fill (GUI thread) median {1000 * median(fills):.1f} ms "
              f"(min {1000 * min(fills):.1f}); refresh with one new run (GUI thread, at every Start and run's end) "
              f"median {1000 * median(refreshes):.1f} ms; {args.repeat} repeats")

        dataset = load_mnist(args.data)
        path = Path(root) / "checkpoint.npz"
        save_model(path, network, model_metadata(network, (28, 28), list(dataset.class_names), "zero_one",
                                                 "mnist", config.to_dict(), {}))
        cache = ValidationSplitCache()
        started = time.perf_counter()
        load_and_evaluate("bench", 1, path, dataset, cache)
        miss = time.perf_counter() - started
        hits = []
        for _ in range(args.repeat):
            started = time.perf_counter()
            result = load_and_evaluate("bench", 1, path, dataset, cache)
            hits.append(time.perf_counter() - started)
        assert result.confusion.sum() == 10000
        print(f"rewind step, 784-128-10 on 10,000 validation images: first {1000 * miss:.0f} ms (split + convert), "
              f"then median {1000 * median(hits):.0f} ms (min {1000 * min(hits):.0f}, max {1000 * max(hits):.0f})")


if __name__ == "__main__":
    main()
