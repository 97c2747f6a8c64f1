"""How long the invariance curves take: the transforms alone (sparse matrices from ndimage, the
fast path, against calling ndimage on the batch, the reference) and a whole measurement of the
shipped model (13 horizontal + 13 vertical shifts + 19 angles on 2,000 validation images).
Medians of --repeats runs; one BLAS thread, as the app's worker competes with training.

    python bench/bench_invariance.py [--repeats 3] [--model resources/default_model.npz]
    # also the window's responsiveness while the view measures (offscreen Qt): the gaps
    # between ticks of a 5 ms timer on the GUI thread, p50 / p99 / max
    QT_QPA_PLATFORM=offscreen python bench/bench_invariance.py --gui
"""
import argparse
import os
import time

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from _common import ROOT, load_mnist, median  # noqa: E402

import numpy as np  # noqa: E402

from core.analysis.invariance import (DEFAULT_ANGLES, DEFAULT_SHIFTS, curves_for_model, fixed_subset,  # noqa: E402
                                      pixel_columns, rotate_images, shift_images, transform_matrix, transformed)
from core.files.model_io import load_model  # noqa: E402


def timed(fn, repeats):
    times = []
    for _ in range(repeats):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return median(times)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--model", default=str(ROOT / "resources" / "default_model.npz"))
    parser.add_argument("--gui", action="store_true", help="also time GUI-thread stalls during a measurement")
    args = parser.parse_args()
    dataset = load_mnist()
    chosen = fixed_subset(dataset.test_labels)
    images, labels = dataset.test_images[chosen], dataset.test_labels[chosen]
    print(f"{len(images)} MNIST test images, {len(DEFAULT_SHIFTS)} shifts x 2 directions, {len(DEFAULT_ANGLES)} angles")

    def reference():
        for s in DEFAULT_SHIFTS:
            shift_images(images, s, 0)
            shift_images(images, 0, s)
        for angle in DEFAULT_ANGLES:
            rotate_images(images, angle)

    def build():
        transform_matrix.cache_clear()
        for s in DEFAULT_SHIFTS:
            transform_matrix((28, 28), int(s), 0, 0.0)
            transform_matrix((28, 28), 0, int(s), 0.0)
        for angle in DEFAULT_ANGLES:
            transform_matrix((28, 28), 0, 0, float(angle))

    def fast():
        columns = pixel_columns(images)
        for s in DEFAULT_SHIFTS:
            transformed(images, dx=s, columns=columns)
            transformed(images, dy=s, columns=columns)
        for angle in DEFAULT_ANGLES:
            transformed(images, angle=angle, columns=columns)

    t_reference = timed(reference, args.repeats)
    t_build = timed(build, args.repeats)
    t_fast = timed(fast, args.repeats)   # matrices cached by the last build
    print(f"transforms, ndimage on the batch (reference): {t_reference:.3f} s")
    print(f"transforms, sparse matrices (cached):         {t_fast:.3f} s  ({t_reference / t_fast:.1f}x faster)")
    print(f"building the 45 matrices (once per process):  {t_build:.3f} s")

    network, metadata = load_model(args.model)
    t_model = timed(lambda: curves_for_model(network, metadata, images, labels), args.repeats)
    curves = curves_for_model(network, metadata, images, labels)
    print(f"whole measurement of {network.describe()}: {t_model:.3f} s; accuracy unmoved "
          f"{curves.horizontal[len(curves.shifts) // 2]:.3f}, at +-6 px {np.round(curves.horizontal[[0, -1]], 3)} "
          f"(horizontal), {np.round(curves.vertical[[0, -1]], 3)} (vertical), at +-45 deg "
          f"{np.round(curves.rotation[[0, -1]], 3)}")

    if args.gui:
        stalls = gui_stalls(network, metadata, dataset.test_images, dataset.test_labels, args.repeats)
        print(f"GUI-thread gaps while measuring (5 ms timer, {len(stalls)} ticks over {args.repeats} "
              f"measurements): p50 {np.percentile(stalls, 50):.1f} ms, p99 {np.percentile(stalls, 99):.1f} ms, "
              f"max {max(stalls):.1f} ms")


def gui_stalls(network, metadata, images, labels, repeats):
    """Milliseconds between consecutive ticks of a 5 ms QTimer while InvarianceView measures."""
    from PyQt5.QtCore import QElapsedTimer, QEventLoop, QTimer
    from PyQt5.QtWidgets import QApplication
    from gui.ground.theme import apply_theme
    from gui.views.invariance_view import InvarianceView
    app = QApplication.instance() or QApplication([])
    apply_theme(app)
    view = InvarianceView()
    view.resize(1000, 340)
    view.show()
    view.set_current_model(network, metadata, images, labels)
    gaps, clock, last = [], QElapsedTimer(), [0]
    clock.start()

    def tick():
        now = clock.elapsed()
        gaps.append(now - last[0])
        last[0] = now

    timer = QTimer()
    timer.setInterval(5)
    timer.timeout.connect(tick)
    loop = QEventLoop()
    watch = QTimer()
    watch.setInterval(20)
    watch.timeout.connect(lambda: None if view.busy else loop.quit())
    for _ in range(repeats):
        view.compute()
        last[0] = clock.elapsed()
        timer.start()
        watch.start()
        loop.exec_()   # the real event loop, as in the app
        timer.stop()
        watch.stop()
    return gaps


if __name__ == "__main__":
    main()
