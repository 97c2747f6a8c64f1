"""What one Map-tab frame costs the GUI thread, paint included, with and without a busy thread.

    QT_QPA_PLATFORM=offscreen python bench/bench_map_draw.py [--repeats 30] [--points 2000]

bench_gui.py --map gives the figure the issue asks for (event-loop stall p99 while the map
recomputes during training), but on a shared 2-core machine it is dominated by noise. This
bench isolates the map's own GUI-thread work: the real EmbeddingView (offscreen, 1100 x 700)
on a 784-128-10 MLP trained briefly on MNIST and 2,000 of the 10,000 test images, and times
until the event loop is idle again:
  new map     a worker's map arriving (EmbeddingView._on_map: points moved, range) + its paint
  repaint     one full repaint of the plot (what a resize or an exposed window costs)
  marker      the Draw tab's drawing moving the star (network + marker + paint)
  no drawing  the Draw tab saying "no drawing" again (it does at every weights refresh)
  hover       a mouse move over a dot (pyqtgraph hover, the image shown beside the plot)
Each is measured quiet and with a thread that keeps asking for the GIL (pure Python, as the
training thread does between its NumPy calls, sys.setswitchinterval 2 ms as the app sets it):
there every return of the GUI thread from Qt to Python can wait up to 2 ms, so the figure
counts the crossings as much as the work. Medians and p90 of --repeats; noisy on a shared machine.
"""
import argparse
import os
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from _common import load_mnist  # noqa: E402
from bench_neuron import trained_mlp  # noqa: E402


def settle(app):
    """Run the event loop until nothing is pending (posted updates, then the paint)."""
    for _ in range(4):
        app.processEvents()


class BusyThread:
    """A thread that runs Python bytecode without pause: it holds the GIL whenever the GUI
    thread gives it up, like the training thread between its NumPy calls (worst case)."""

    def __init__(self):
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._spin, daemon=True)

    def _spin(self):
        n = 0
        while not self.stop.is_set():
            n += 1

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.stop.set()
        self.thread.join()


def mouse_move(widget, x, y):
    from PyQt5.QtCore import QEvent, QPointF, Qt
    from PyQt5.QtGui import QMouseEvent
    from PyQt5.QtWidgets import QApplication
    QApplication.sendEvent(widget, QMouseEvent(QEvent.MouseMove, QPointF(x, y), Qt.NoButton, Qt.NoButton,
                                               Qt.NoModifier))


def measure(app, view, maps, drawings, repeats):
    """{name: [seconds]} for each frame kind."""
    from pyqtgraph import Point
    times = {"new map": [], "repaint": [], "marker": [], "no drawing": [], "hover": []}
    viewport = view.plot.viewport()
    layer = maps[0].layer
    for r in range(repeats):
        start = time.perf_counter()
        view._on_map(maps[r % 2], layer)
        settle(app)
        times["new map"].append(time.perf_counter() - start)

        start = time.perf_counter()
        viewport.repaint()
        times["repaint"].append(time.perf_counter() - start)

        start = time.perf_counter()
        view.set_drawing(drawings[r % 2])
        settle(app)
        times["marker"].append(time.perf_counter() - start)

        view.set_drawing(None)
        settle(app)
        start = time.perf_counter()
        view.set_drawing(None)
        settle(app)
        times["no drawing"].append(time.perf_counter() - start)

        xy = view.points()[0][r * 37 % len(maps[0].indices)]
        scene_xy = view.plot.getPlotItem().getViewBox().mapViewToScene(Point(float(xy[0]), float(xy[1])))
        pos = view.plot.mapFromScene(scene_xy)
        time.sleep(0.012)                  # pyqtgraph drops mouse moves closer than 10 ms apart
        shown = view.hover_text.text()
        start = time.perf_counter()
        mouse_move(viewport, pos.x(), pos.y())
        settle(app)
        times["hover"].append(time.perf_counter() - start)
        assert view.hover_text.text() != shown, "the hover did not reach the map"
        time.sleep(0.012)
        mouse_move(viewport, 2, 2)         # off the dots again
        settle(app)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=30)
    parser.add_argument("--points", type=int, default=2000)
    parser.add_argument("--png", default=None, help="also save the view as this PNG")
    args = parser.parse_args()
    from gui.shell.app import create_app
    from gui.inspect.context import InspectContext
    from gui.inspect.embedding_view import EmbeddingView
    from gui.inspect.map_data import compute_map
    from core.analysis.embedding import subset
    app = create_app([])
    sys.setswitchinterval(0.002)       # as gui.shell.app.run_app does
    dataset = load_mnist()
    network = trained_mlp(dataset, 128)
    images, labels = dataset.test_images, dataset.test_labels
    context = InspectContext(network, images, labels, labels, "zero_one", "bench", 1, id(images))
    indices = subset(labels, args.points)
    later = network.copy()
    later.params[0][...] *= 1.05                          # "the next epoch": the points move
    maps = [compute_map(context, 1, indices),
            compute_map(InspectContext(later, images, labels, labels, "zero_one", "bench", 2, id(images)), 1,
                        indices)]
    view = EmbeddingView(lambda: context, n_points=args.points)
    view.resize(1100, 700)
    view.show()
    view._on_map(maps[0], maps[0].layer)                 # the first map: the items get their points
    view.pin(3)
    settle(app)
    drawings = [images[5].astype(np.float32) / 255, images[9].astype(np.float32) / 255]
    measure(app, view, maps, drawings, 3)                  # warm up (atlas, caches)
    results = {"quiet": measure(app, view, maps, drawings, args.repeats)}
    with BusyThread():
        results["busy thread"] = measure(app, view, maps, drawings, args.repeats)
    print(f"Map frames, {args.points:,} points, ms on the GUI thread until idle (median / p90 of {args.repeats})")
    print(f"{'':12s}" + "".join(f"{name:>22s}" for name in results))
    for kind in results["quiet"]:
        cells = "".join(f"{np.median(t[kind]) * 1000:12.1f} / {np.percentile(t[kind], 90) * 1000:6.1f} "
                        for t in results.values())
        print(f"{kind:12s}{cells}")
    if args.png:
        view.set_drawing(drawings[0])
        settle(app)
        view.grab().save(args.png)
        print("saved", args.png)
    view.shutdown()


if __name__ == "__main__":
    main()
