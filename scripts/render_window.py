"""Render the main window after a few epochs of real training (README screenshots, layout checks).

Uses MNIST from ../shared/data/mnist (or --data DIR) when present, else the built-in digits.

    QT_QPA_PLATFORM=offscreen python scripts/render_window.py [--epochs 3] [--tab 0] [--out docs/screenshot.png]
    # one run, every tab: /tmp/tabs/tab0.png ... tab4.png (the Draw tab with a drawn 7)
    QT_QPA_PLATFORM=offscreen python scripts/render_window.py --tabs 0,1,2,3,4 --out-dir /tmp/tabs --draw 7
    # the README pictures: docs/screenshot.png (Training) and docs/screenshot-draw.png (Draw, a drawn 7)
    QT_QPA_PLATFORM=offscreen python scripts/render_window.py --readme

The digit is drawn through the canvas with real mouse events (press, moves with the left button
held, release), exactly as a user would, so the panel predicts it the normal way.
"""
import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TAB_NAMES = ("training", "weights", "evaluation", "data", "draw")
DRAW_TAB = 4
# Sample digits as polylines in unit coordinates (0..1 of the canvas side), drawn like a hand would.
SAMPLE_STROKES = {
    "7": [[(0.30, 0.26), (0.45, 0.25), (0.60, 0.24), (0.70, 0.25), (0.62, 0.40), (0.54, 0.56), (0.48, 0.72),
           (0.45, 0.80)],
          [(0.40, 0.50), (0.55, 0.49), (0.66, 0.49)]],
    "1": [[(0.44, 0.32), (0.52, 0.22), (0.52, 0.80)]],
    "4": [[(0.55, 0.22), (0.35, 0.56), (0.70, 0.56)], [(0.58, 0.30), (0.58, 0.80)]],
}
MAX_PNG_BYTES = 300_000


def draw_sample(canvas, digit, steps=10):
    """Drag the mouse along the sample strokes of digit (a key of SAMPLE_STROKES) on canvas."""
    import numpy as np
    from PyQt5.QtCore import QEvent, QPointF, Qt
    from PyQt5.QtGui import QMouseEvent
    from PyQt5.QtWidgets import QApplication

    side = min(canvas.width(), canvas.height())
    canvas.clear()
    canvas.set_brush_width(max(10.0, side / 18))

    def send(kind, x, y, button, buttons):
        event = QMouseEvent(kind, QPointF(x * side, y * side), button, buttons, Qt.NoModifier)
        QApplication.sendEvent(canvas, event)

    for polyline in SAMPLE_STROKES[str(digit)]:
        send(QEvent.MouseButtonPress, *polyline[0], Qt.LeftButton, Qt.LeftButton)
        for (x0, y0), (x1, y1) in zip(polyline[:-1], polyline[1:]):
            for t in np.linspace(0, 1, steps)[1:]:
                send(QEvent.MouseMove, x0 + t * (x1 - x0), y0 + t * (y1 - y0), Qt.NoButton, Qt.LeftButton)
        send(QEvent.MouseButtonRelease, *polyline[-1], Qt.LeftButton, Qt.NoButton)


def save_grab(window, path):
    """Save a screenshot of window to path (PNG, max compression); returns its size in bytes."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not window.grab().save(str(path), None, 0):   # quality 0 = smallest PNG (lossless anyway)
        raise SystemExit(f"could not write {path}")
    size = path.stat().st_size
    print(f"wrote {path} ({size / 1000:.0f} kB)")
    return size


def render(args, outputs):
    """Train args.epochs epochs, then save window grabs: outputs is a list of (tab, path)."""
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["DIGITLAB_SETTINGS"] = str(Path(tmp) / "settings.ini")
        from core.data.datasets import load_dataset
        from gui.shell.app import create_app
        from gui.shell.main_window import MainWindow
        app = create_app([])
        dataset, notice = load_dataset("mnist", args.data, cache_dir=tmp)
        window = MainWindow(restore_settings=False)
        window.resize(args.width, args.height)
        window.dataset_panel.set_choice("mnist", args.data)
        window.set_dataset(dataset, notice)
        window.form.epochs_spin.setValue(args.epochs)
        window.tabs.setCurrentIndex(outputs[0][0])
        window.show()
        window.run_finished.connect(lambda _: app.quit())
        window.start_training()
        app.exec_()
        window.tabs.weights.select_unit(5)
        sizes = []
        for tab, path in outputs:
            window.tabs.setCurrentIndex(tab)
            app.processEvents()
            if tab == DRAW_TAB and args.draw:
                panel = window.tabs.draw_panel
                draw_sample(panel.canvas, args.draw)
                panel.predict_now()
                app.processEvents()
                top = panel.probability_view.top_index
                print(f"drew a {args.draw}: the network says {top}")
            sizes.append(save_grab(window, path))
        window.close()
        app.processEvents()
        return sizes


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--tab", type=int, default=0, help="0 Training, 1 Weights, 2 Evaluation, 3 Data, 4 Draw")
    parser.add_argument("--out", default=str(ROOT / "docs" / "screenshot.png"))
    parser.add_argument("--tabs", help="several tabs from one run, e.g. 0,1,2,3,4 (written to --out-dir)")
    parser.add_argument("--out-dir", default="/tmp/digitlab-tabs")
    parser.add_argument("--draw", choices=sorted(SAMPLE_STROKES), help="draw this digit on the canvas first")
    parser.add_argument("--readme", action="store_true",
                        help="write docs/screenshot.png (Training) and docs/screenshot-draw.png (Draw with a 7)")
    parser.add_argument("--width", type=int, default=1400)
    parser.add_argument("--height", type=int, default=900)
    args = parser.parse_args(argv)
    if args.readme:
        args.draw = args.draw or "7"
        outputs = [(0, ROOT / "docs" / "screenshot.png"), (DRAW_TAB, ROOT / "docs" / "screenshot-draw.png")]
    elif args.tabs:
        tabs = [int(t) for t in args.tabs.split(",")]
        outputs = [(t, Path(args.out_dir) / f"tab{t}.png") for t in tabs]
    else:
        outputs = [(args.tab, Path(args.out))]
    sizes = render(args, outputs)
    if args.readme and max(sizes) > MAX_PNG_BYTES:
        print(f"warning: a screenshot is over {MAX_PNG_BYTES // 1000} kB")


if __name__ == "__main__":
    main()
