"""Latency from a stroke event to updated probability bars in the real DrawPanel (offscreen).

    QT_QPA_PLATFORM=offscreen python bench/bench_draw_latency.py [--events 400]

Each sample: one mouse-move event sent to the canvas (point added, segment painted), then the
prediction the throttle timer would run (strokes -> core.drawing -> network.predict_proba ->
bars and input image updated), then the event loop processes the repaint. The throttle itself
(PREDICT_DELAY_MS, coalescing bursts of events) adds up to that delay on top, by design.
Also reported: the cost of a mouse move alone (what keeps the canvas from lagging).
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
    args = parser.parse_args(argv)
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


if __name__ == "__main__":
    main()
