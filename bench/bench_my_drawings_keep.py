"""How long keeping one drawing takes in File > My drawings as a project grows (the canvas clears,
the thumbnail joins its class, the counts and the readiness line update): real widgets offscreen,
real files in a temporary folder, core.drawing.shapes' generated drawings.

    QT_QPA_PLATFORM=offscreen python bench/bench_my_drawings_keep.py [--per-class 20 100]

Prints, per project size, the median and the slowest of 10 keeps (the drawing kept through the
window's own keep(), as a key press does, and the events processed).
"""
import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def measure(app, per_class, repeats=10):
    import numpy as np
    from core.drawing.shapes import SHAPE_NAMES, make_shapes
    from core.drawing.strokes import prepare_strokes
    from gui.my_drawings.window import MyDrawingsWindow
    from gui.shell.my_drawings_parts import PARTS
    window = MyDrawingsWindow(PARTS, root=tempfile.mkdtemp(prefix="digitlab-keep-"))
    window.show()
    window.new_project("shapes", ", ".join(SHAPE_NAMES))
    for shape in make_shapes(per_class, seed=1):
        window.project.keep(shape.label, shape.strokes, prepare_strokes(shape.strokes))
    window.galleries.reload()
    times = []
    for index in range(repeats):
        shape = make_shapes(1, seed=100 + index)[index % len(SHAPE_NAMES)]
        window.canvas.set_strokes(shape.strokes)
        start = time.perf_counter()
        window.keep(shape.label)
        app.processEvents()
        times.append(time.perf_counter() - start)
    print(f"{len(window.project):4d} drawings in {len(SHAPE_NAMES)} classes: a keep takes "
          f"{1000 * np.median(times):.0f} ms (median of {repeats}), slowest {1000 * max(times):.0f} ms")
    window.close()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, nargs="+", default=[20, 100])
    args = parser.parse_args(argv)
    os.environ["DIGITLAB_HOME"] = tempfile.mkdtemp(prefix="digitlab-keep-home-")
    from PyQt5.QtWidgets import QApplication
    app = QApplication([])
    for per_class in args.per_class:
        measure(app, per_class)


if __name__ == "__main__":
    main()
