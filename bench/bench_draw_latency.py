"""Latency from a stroke event to updated probability bars in the real DrawPanel (offscreen).

    QT_QPA_PLATFORM=offscreen python bench/bench_draw_latency.py [--events 400] [--while-training]

Each sample: one mouse-move event sent to the canvas (point added, segment painted), then the
prediction the throttle timer would run (strokes -> core.drawing -> network.predict_proba ->
bars and input image updated), then the event loop processes the repaint. The throttle itself
(PREDICT_DELAY_MS, coalescing bursts of events) adds up to that delay on top, by design.
Also reported: the cost of a mouse move alone (what keeps the canvas from lagging).

--while-training measures the same while the `cnn` preset trains on full MNIST in its own process
(as the app trains: core.training_process, the data in shared memory), on the other core.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PyQt5.QtCore import QEvent, QPointF, Qt  # noqa: E402
from PyQt5.QtGui import QMouseEvent  # noqa: E402
from PyQt5.QtWidgets import QApplication  # noqa: E402


def send(widget, kind, x, y, button, buttons):
    QApplication.sendEvent(widget, QMouseEvent(kind, QPointF(x, y), button, buttons, Qt.NoModifier))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=400)
    parser.add_argument("--while-training", action="store_true",
                        help="measure while a cnn run trains in its own process")
    parser.add_argument("--data", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                                                       "..", "shared", "data", "mnist"))
    args = parser.parse_args(argv)
    training = start_training(args.data) if args.while_training else None
    from gui.shell.app import create_app   # as the app starts: theme, one BLAS thread
    app = create_app(sys.argv[:1])
    from gui.draw.draw_panel import PREDICT_DELAY_MS, DrawPanel
    panel = DrawPanel()
    panel.resize(820, 460)
    panel.show()
    app.processEvents()
    canvas = panel.canvas
    rng = np.random.default_rng(0)
    full, move_only = [], []
    stroke_points = 0
    for i in range(args.events):
        if stroke_points == 0:   # new stroke: a figure-of-eight, like drawing a digit
            if len(canvas.strokes()) >= 3:
                canvas.clear()
            centre = rng.uniform(100, 180, 2)
            send(canvas, QEvent.MouseButtonPress, *centre, Qt.LeftButton, Qt.LeftButton)
        t = stroke_points * 0.12
        x, y = centre[0] + 60 * np.sin(2 * t), centre[1] + 90 * np.sin(t)
        started = time.perf_counter()
        send(canvas, QEvent.MouseMove, x, y, Qt.NoButton, Qt.LeftButton)
        moved = time.perf_counter()
        panel.predict_now()
        app.processEvents()
        done = time.perf_counter()
        move_only.append(moved - started)
        full.append(done - started)
        stroke_points += 1
        if stroke_points == 60:
            send(canvas, QEvent.MouseButtonRelease, x, y, Qt.LeftButton, Qt.NoButton)
            stroke_points = 0
    full_ms, move_ms = np.array(full[10:]) * 1000, np.array(move_only[10:]) * 1000
    print(f"{len(full_ms)} stroke events, model {panel.source}")
    print(f"event -> bars updated: median {np.median(full_ms):.2f} ms, p95 {np.percentile(full_ms, 95):.2f} ms, "
          f"max {full_ms.max():.2f} ms")
    print(f"mouse move alone (canvas): median {np.median(move_ms):.3f} ms, p95 {np.percentile(move_ms, 95):.3f} ms")
    print(f"plus the throttle delay of at most {PREDICT_DELAY_MS} ms while events keep coming")
    assert panel.probability_view.probabilities is not None   # the loop really predicted
    if training is not None:
        run, shared, batches = training
        print(f"while a cnn run trained in its own process ({len(batches)} batch snapshots meanwhile)")
        run.control.stop()
        run.wait(10)
        run.kill()
        shared.release()


def start_training(data):
    """A cnn run on full MNIST in its own process; a thread drains its messages (as the app's
    reader does). Returns (ChildRun, SharedDataset, [batch snapshots seen])."""
    import dataclasses
    import threading
    import tempfile
    from core.data.datasets import load_idx_folder
    from core.settings.presets import PRESETS
    from core.training_process.job import RunJob
    from core.training_process.parent import ChildRun
    from core.training_process.shared_data import SharedDataset
    dataset = load_idx_folder(data, cache_dir=tempfile.mkdtemp())
    shared = SharedDataset.create(dataset)
    run = ChildRun.start(RunJob(dataclasses.replace(PRESETS["cnn"].config, epochs=50), shared.ref))
    batches = []
    first = threading.Event()

    def drain():
        for message in run.messages():
            if message[0] == "snapshot" and message[1].kind == "batch":
                batches.append(message[1].step)
                first.set()
    threading.Thread(target=drain, daemon=True).start()
    first.wait(60)   # training for real before the first stroke
    return run, shared, batches


if __name__ == "__main__":
    main()
