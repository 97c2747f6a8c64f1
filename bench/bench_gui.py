"""Training throughput with every live view on vs headless, and GUI event-loop stalls.

Runs the real MainWindow offscreen on full MNIST (784-128-10 ReLU, batch 128, like the CLI; the
window's run trains in its own process, gui/training/training_controller.py)
and, in the same process, the headless Trainer on the same config. Prints the medians over
--repeats runs of: samples/s both ways and their ratio (target >= 0.95), and the p99 gap of a
5 ms QTimer probe while training (target <= 16 ms, one frame at 60 Hz), and the GUI
thread's own CPU seconds over the run's wall seconds (time.thread_time: less sensitive to other
processes than the throughput ratio, though a slower run spreads the same drawing thinner).

    QT_QPA_PLATFORM=offscreen python bench/bench_gui.py [--repeats 3] [--epochs 2] [--data DIR]

--preset NAME trains that preset instead (e.g. cnn), --train N on the first N training images.
--feature-maps shows the Feature maps tab with a digit drawn on the canvas (real mouse events)
while training, so the maps redraw live (at most 10 Hz) as the weights change; it also prints
the median and p99 duration of one feature-maps redraw.

Each run starts once the window has put the data in shared memory (it does so in the background
when data is loaded, TrainingController.prepare), as a user clicks Start a while after loading.

--long-epochs N (10 when given without N) instead checks that a long run keeps a flat memory
profile: one N-epoch run in the window with every view drawing (the shown tab changes each
epoch, so the weights, layer statistics, evaluation, data and draw tabs all repaint), the
process's resident memory (RSS) read at every epoch, and the growth from the end of epoch 2
(caches and buffers warmed up) to the end printed in total and per epoch.

--race instead measures the race window (gui/training/race_window.py): per repeat, set-up B alone,
then A and B racing (the same config, so the two lanes do identical work), in the same window
and threads; samples/s per run from the EndSnapshots (training samples / training seconds) and
the p99 gap of the 5 ms probe while racing. On 2 cores the fair share is ~1x per racer (one
BLAS thread each), i.e. racing two should keep each run near its solo speed if the GUI thread
only draws; on a busy machine less.
--map instead measures the stalls while the Map tab recomputes during training: the tab shown,
its PCA (2,000 validation images) recomputed at every epoch end as in the app (with
--map-continuous: again as soon as each map is drawn, the worst case), one t-SNE started with
the first map (an early map is requested at the first batch, so t-SNE overlaps training).
Prints the p99 gap with the Training tab shown (same run, the baseline), over the Map run, and
over the probes taken while a map job ran (target <= 30 ms).
"""
import argparse
import dataclasses
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

from core.settings.config import TrainConfig  # noqa: E402
from core.data.datasets import load_idx_folder  # noqa: E402
from core.training.training_run import run_to_end  # noqa: E402
from core.training.trainers import make_trainer  # noqa: E402

PROBE_MS = 5
PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


def rss_mb():
    """Resident memory of this process now, in MB (/proc/self/statm; peak RSS elsewhere)."""
    try:
        with open("/proc/self/statm") as statm:
            return int(statm.read().split()[1]) * PAGE_BYTES / 1e6
    except OSError:   # not Linux: the peak is the best portable figure
        import resource
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / (1e6 if sys.platform == "darwin" else 1e3)


def flush_deletes(app):
    """Destroy the windows given to deleteLater now: processEvents() leaves deferred deletes for
    the next event loop, which was the measured run's (35 ms of a window's destruction, counted
    as a stall of the next repeat)."""
    from PyQt5.QtCore import QEvent
    app.processEvents()
    app.sendPostedEvents(None, QEvent.DeferredDelete)


def settled(window, app):
    """The window shown and the collector settled as gui.shell.app.run_app does it."""
    from gui.shell.gc_guard import settle_garbage_collector
    window.show()
    app.processEvents()
    settle_garbage_collector()


def headless(config, dataset):
    end = run_to_end(make_trainer(config, dataset))
    return end.samples_per_second


def draw_seven(canvas):
    """A 7 drawn with real mouse events (press, moves with the button held, release)."""
    from PyQt5.QtCore import QEvent, QPointF, Qt
    from PyQt5.QtGui import QMouseEvent
    from PyQt5.QtWidgets import QApplication
    points = [(60, 50), (200, 50), (120, 240)]

    def send(kind, x, y, button, buttons):
        QApplication.sendEvent(canvas, QMouseEvent(kind, QPointF(x, y), button, buttons, Qt.NoModifier))
    send(QEvent.MouseButtonPress, *points[0], Qt.LeftButton, Qt.LeftButton)
    for (x0, y0), (x1, y1) in zip(points[:-1], points[1:]):
        for t in np.linspace(0, 1, 12)[1:]:
            send(QEvent.MouseMove, x0 + t * (x1 - x0), y0 + t * (y1 - y0), Qt.NoButton, Qt.LeftButton)
    send(QEvent.MouseButtonRelease, *points[-1], Qt.LeftButton, Qt.NoButton)


def with_gui(app, config, dataset, tab, feature_maps=False):
    from PyQt5.QtCore import QTimer
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    window.set_dataset(dataset)
    window.training.prepare(dataset).join()   # as in the app: the data is loaded a while before Start
    window.form.set_config(config)
    window.tabs.setCurrentIndex(tab)
    settled(window, app)
    if feature_maps:
        window.tabs.setCurrentWidget(window.tabs.draw_panel)
        app.processEvents()
        draw_seven(window.tabs.draw_panel.canvas)
        window.tabs.setCurrentWidget(window.tabs.feature_maps)
        window.feature_maps.redraw_seconds.clear()
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
    cpu, wall = time.thread_time(), time.perf_counter()
    window.start_training()
    app.exec_()
    # the GUI thread's own CPU time: what drawing takes from training (other processes do not count)
    gui_share = (time.thread_time() - cpu) / (time.perf_counter() - wall)
    timer.stop()
    window.close()
    window.deleteLater()
    flush_deletes(app)
    p99 = float(np.percentile(np.array(gaps) * 1000, 99)) if gaps else float("nan")
    if feature_maps:
        times = np.array(window.feature_maps.redraw_seconds) * 1000
        print(f"  feature maps: {len(times)} redraws, median {np.median(times):.2f} ms, "
              f"p99 {np.percentile(times, 99):.2f} ms each", flush=True)
    return ends[-1].samples_per_second, p99, window.state.snapshot_count, gui_share


def race_run(app, config, dataset, solo):
    """One race (or B alone) in a RaceWindow: ([samples/s per run], probe p99 ms)."""
    from PyQt5.QtCore import QTimer
    from gui.training.race_window import RaceWindow
    from gui.training.training_controller import TrainingController
    window = RaceWindow(config, dataset)
    TrainingController.prepare(dataset).join()   # as in the app: the data was loaded in the main window
    settled(window, app)
    gaps, last = [], [time.perf_counter()]

    def probe():
        now = time.perf_counter()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    app.processEvents()
    timer.start()
    last[0] = time.perf_counter()
    session = window.start(config, solo=solo)
    session.finished.connect(app.quit)
    app.exec_()
    timer.stop()
    lanes = [window.lanes[1]] if solo else window.lanes
    speeds = [lane.end.samples_per_second for lane in lanes]
    window.close()
    window.deleteLater()
    flush_deletes(app)
    return speeds, float(np.percentile(np.array(gaps) * 1000, 99)) if gaps else float("nan")


def race_bench(app, config, dataset, repeats):
    rows = []
    for repeat in range(repeats):
        [alone], alone_p99 = race_run(app, config, dataset, solo=True)
        (a, b), p99 = race_run(app, config, dataset, solo=False)
        rows.append((alone, a, b, (a + b) / 2 / alone, p99, alone_p99))
        print(f"run {repeat + 1}: alone {alone:,.0f} samples/s (stall p99 {alone_p99:.1f} ms) | racing A {a:,.0f}, "
              f"B {b:,.0f} samples/s, per-run ratio {(a + b) / 2 / alone:.3f}, total {(a + b) / alone:.2f}x | "
              f"stall p99 while racing {p99:.1f} ms", flush=True)
    alone, a, b, ratio, p99, alone_p99 = (statistics.median(col) for col in zip(*rows))
    print(f"\nmedian of {repeats}: alone {alone:,.0f} samples/s | racing A {a:,.0f} + B {b:,.0f} samples/s "
          f"(per run {ratio:.3f} of alone, together {(a + b) / alone:.2f}x) | event-loop stall p99 while racing "
          f"{p99:.1f} ms (alone {alone_p99:.1f} ms; target <= 16)")


def map_stalls(app, config, dataset, continuous=False):
    """--map: the Map tab shown while training (its PCA recomputed at every epoch end, as in the
    app; continuous: again as soon as each map is drawn, the worst case) and one t-SNE started
    with the first map. Returns (GUI samples/s, stall p99 over the whole run, stall p99 while a map job
    was running, maps computed, t-SNE finished)."""
    from PyQt5.QtCore import QTimer
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    window.set_dataset(dataset)
    window.training.prepare(dataset).join()   # as in the app: the data is loaded a while before Start
    window.form.set_config(config)
    view = window.inspect.map
    window.tabs.setCurrentWidget(view)
    settled(window, app)
    gaps, busy, last, maps, tsne = [], [], [time.perf_counter()], [0], []

    def probe():
        now = time.perf_counter()
        gaps.append(now - last[0])
        busy.append(view.pca_jobs.busy or view.tsne_jobs.busy)
        last[0] = now

    def again(_data):
        maps[0] += 1
        if maps[0] == 1:
            view.run_tsne()
        if continuous and window.is_training:
            view.recompute()

    timer = QTimer()
    timer.setInterval(PROBE_MS)
    timer.timeout.connect(probe)
    ends = []
    window.snapshot_received.connect(lambda s: ends.append(s) if s.kind == "end" else None)
    window.snapshot_received.connect(lambda s: view.recompute() if s.kind == "batch" and view.data is None
                                     and window.state.network is not None and not view.pca_jobs.busy else None)
    view.map_ready.connect(again)
    view.tsne_finished.connect(tsne.append)
    window.run_finished.connect(lambda _: app.quit())
    app.processEvents()
    timer.start()
    last[0] = time.perf_counter()
    window.start_training()
    app.exec_()
    timer.stop()
    window.close()
    window.deleteLater()
    flush_deletes(app)
    gaps_ms = np.array(gaps) * 1000
    busy_gaps = gaps_ms[np.array(busy, bool)]
    p99 = float(np.percentile(gaps_ms, 99)) if len(gaps_ms) else float("nan")
    p99_busy = float(np.percentile(busy_gaps, 99)) if len(busy_gaps) else float("nan")
    return ends[-1].samples_per_second, p99, p99_busy, maps[0], ",".join(tsne) or "still running"


def long_run_memory(app, config, dataset):
    """Train config.epochs epochs in the window; [(epoch, rss MB, seconds)] at every epoch end."""
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    window.set_dataset(dataset)
    window.form.set_config(config)
    window.show()
    n_tabs = window.tabs.count()
    rows, started = [], time.perf_counter()

    def on_snapshot(snapshot):
        if snapshot.kind == "epoch":
            # measured in the GUI thread as the epoch arrives; then show the next tab
            rows.append((snapshot.epoch + 1, rss_mb(), time.perf_counter() - started))
            print(f"  epoch {snapshot.epoch + 1:3d}: RSS {rows[-1][1]:7.1f} MB  ({rows[-1][2]:.0f} s)", flush=True)
            window.tabs.setCurrentIndex((snapshot.epoch + 1) % n_tabs)

    window.snapshot_received.connect(on_snapshot)
    window.run_finished.connect(lambda _: app.quit())
    app.processEvents()
    print(f"  before the run: RSS {rss_mb():.1f} MB", flush=True)
    window.start_training()
    app.exec_()
    window.close()
    window.deleteLater()
    flush_deletes(app)
    return rows


def report_memory(rows):
    by_epoch = {epoch: rss for epoch, rss, _ in rows}
    last = rows[-1][0]
    if 2 not in by_epoch or last <= 2:
        print("need at least 3 epochs to measure growth after warm-up")
        return
    growth = by_epoch[last] - by_epoch[2]
    steps = [b - a for (_, a, _), (_, b, _) in zip(rows[1:], rows[2:])]
    print(f"\nRSS growth from epoch 2 to epoch {last}: {growth:+.1f} MB ({growth / (last - 2):+.2f} MB per epoch; "
          f"largest single-epoch step {max(steps, key=abs):+.1f} MB). Peak RSS {max(by_epoch.values()):.1f} MB.")
    if last > 3:
        # the last epoch often arrives after the worker ended and freed its buffers (the float
        # validation inputs alone are ~19 MB on MNIST): the growth while it still runs, too
        alive = by_epoch[last - 1] - by_epoch[2]
        print(f"while the trainer is alive (epoch 2 to {last - 1}): {alive:+.1f} MB "
              f"({alive / (last - 3):+.2f} MB per epoch)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--tab", type=int, default=0, help="tab shown while training (0 Training, 1 Weights, ...)")
    parser.add_argument("--preset", default=None, help="train this preset (e.g. cnn) instead of 784-128-10")
    parser.add_argument("--train", type=int, default=None, metavar="N", help="only the first N training images")
    parser.add_argument("--feature-maps", action="store_true",
                        help="show the Feature maps tab with a drawn digit while training")
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    parser.add_argument("--map", action="store_true",
                        help="instead: stalls while the Map tab recomputes during training (PCA again and "
                             "again, one t-SNE)")
    parser.add_argument("--map-continuous", action="store_true", help="with --map: recompute PCA without pause")
    parser.add_argument("--long-epochs", type=int, nargs="?", const=10, default=None, metavar="N",
                        help="instead: one N-epoch run (default 10) recording RSS at every epoch")
    parser.add_argument("--race", action="store_true",
                        help="instead: B alone vs A and B racing in the race window (samples/s per run, stall p99)")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DIGITLAB_SETTINGS"] = str(Path(tmp) / "settings.ini")   # never the user's settings
        os.environ["DIGITLAB_HOME"] = tmp   # nor the user's run list (each run here is recorded, as in the app)
        dataset = load_idx_folder(args.data, cache_dir=tmp)
        from gui.shell.app import create_app
        app = create_app([])
        sys.setswitchinterval(0.002)   # as gui.shell.app.run_app does
        config = TrainConfig(hidden_sizes=(128,), activation="relu", batch_size=128, epochs=args.epochs)
        if args.preset:
            from core.settings.presets import PRESETS
            config = dataclasses.replace(PRESETS[args.preset].config, epochs=args.epochs, iterations=0)
        if args.train:
            from core.data.transforms import subsample
            dataset = subsample(dataset, args.train, len(dataset.test_labels))
        if args.long_epochs:
            config.epochs = args.long_epochs
            print(f"long run: {config.epochs} epochs of {len(dataset.train_labels):,} images, every view on", flush=True)
            report_memory(long_run_memory(app, config, dataset))
            return
        if args.race:
            print(f"race: {config.epochs} epochs of {len(dataset.train_labels):,} images per run, "
                  f"784-128-10 relu, batch 128", flush=True)
            race_bench(app, config, dataset, args.repeats)
            return
        if args.map:
            results = []
            for repeat in range(args.repeats):
                _, base_p99, _, _ = with_gui(app, config, dataset, 0)     # the same run, Training tab shown
                gui, p99, p99_busy, maps, tsne = map_stalls(app, config, dataset, args.map_continuous)
                results.append((base_p99, gui, p99, p99_busy))
                print(f"run {repeat + 1}: Training tab stall p99 {base_p99:.1f} ms | Map tab: GUI {gui:,.0f} "
                      f"samples/s, stall p99 {p99:.1f} ms over the run, {p99_busy:.1f} ms while a map job ran "
                      f"({maps} PCA maps, t-SNE {tsne})", flush=True)
            base_p99, gui, p99, p99_busy = (statistics.median(col) for col in zip(*results))
            print(f"\nmedian of {args.repeats}: stall p99 with the Training tab {base_p99:.1f} ms | with the Map "
                  f"tab recomputing {p99:.1f} ms over the run, {p99_busy:.1f} ms while a map job ran "
                  f"(target <= 16) | GUI {gui:,.0f} samples/s")
            return
        rows = []
        for repeat in range(args.repeats):
            base = headless(config, dataset)
            gui, p99, n_snapshots, share = with_gui(app, config, dataset, args.tab, args.feature_maps)
            rows.append((base, gui, gui / base, p99, share))
            print(f"run {repeat + 1}: headless {base:,.0f} samples/s, GUI {gui:,.0f} samples/s, "
                  f"ratio {gui / base:.3f}, stall p99 {p99:.1f} ms ({n_snapshots} snapshots), "
                  f"GUI thread CPU {100 * share:.1f}% of the run", flush=True)
    base, gui, ratio, p99, share = (statistics.median(col) for col in zip(*rows))
    print(f"\nmedian of {args.repeats}: headless {base:,.0f} samples/s | GUI {gui:,.0f} samples/s | "
          f"ratio {ratio:.3f} (target >= 0.95) | event-loop stall p99 {p99:.1f} ms (target <= 16) | "
          f"GUI thread CPU {100 * share:.1f}% of the run")


if __name__ == "__main__":
    main()
