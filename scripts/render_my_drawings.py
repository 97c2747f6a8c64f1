"""Render the README's My drawings pictures from the real app: a project of five shape classes
drawn on the My drawings canvas with real mouse events and kept with real key presses, trained in
the main window, tested by drawing, and the transfer race.

    QT_QPA_PLATFORM=offscreen python scripts/render_my_drawings.py [--out-dir docs] [--per-class 20]

On a pretended 1366x768 laptop screen (DIGITLAB_SCREEN), under a temporary DIGITLAB_HOME (no user
folder is touched). The drawings are core.drawing.shapes' generated shapes (their strokes dragged
over the canvas); the test drawing is a held-out style. Waiting is on the app's own signals
(render_readme.wait_signal / wait_until), never fixed sleeps. Writes:
  screenshot-my-drawings.png           the My drawings window: classes, keep buttons, a gallery per class
  screenshot-my-drawings-training.png  the main window trained on the project (Training tab: the curves)
  screenshot-my-drawings-evaluation.png  its Evaluation tab (matrix and report with the project's classes)
  screenshot-my-drawings-draw.png      the Draw tab: probabilities over the project's classes
  screenshot-my-drawings-race.png      the race: digit model's conv layers (frozen) against scratch
"""
import argparse
import os
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from render_readme import SCREEN, settle, wait_signal, wait_until  # noqa: E402
from render_window import save_grab  # noqa: E402


def drag(canvas, strokes):
    """Press, move through every point, release: one stroke each (real mouse events)."""
    import numpy as np
    from PyQt5.QtCore import QEvent, QPointF, Qt
    from PyQt5.QtGui import QMouseEvent
    from PyQt5.QtWidgets import QApplication
    scale = min(canvas.width(), canvas.height()) / 280.0

    def send(kind, x, y, button, buttons):
        QApplication.sendEvent(canvas, QMouseEvent(kind, QPointF(x, y), button, buttons, Qt.NoModifier))
    for stroke in strokes:
        points = np.asarray(stroke) * scale
        send(QEvent.MouseButtonPress, *points[0], Qt.LeftButton, Qt.LeftButton)
        for x, y in points[1:]:
            send(QEvent.MouseMove, x, y, Qt.NoButton, Qt.LeftButton)
        send(QEvent.MouseButtonRelease, *points[-1], Qt.LeftButton, Qt.NoButton)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out-dir", default=str(ROOT / "docs"))
    parser.add_argument("--per-class", type=int, default=20)
    args = parser.parse_args(argv)
    out = Path(args.out_dir)
    home = tempfile.mkdtemp(prefix="digitlab-drawings-")
    os.environ.update(DIGITLAB_HOME=home, DIGITLAB_SETTINGS=str(Path(home) / "settings.ini"), DIGITLAB_SCREEN=SCREEN)
    import numpy as np
    from PyQt5.QtCore import Qt
    from PyQt5.QtTest import QTest
    from core.drawing.shapes import HELD_OUT, SHAPE_NAMES, draw_shape, make_shapes
    from gui.shell.app import create_app
    from gui.shell.main_window import MainWindow
    app = create_app([])   # noqa: F841 (kept alive)
    window = MainWindow(restore_settings=False)
    window.show()
    wait_until(window.isVisible, 5000, "the window")
    drawings = window.actions.trigger("my_drawings")
    drawings.new_project("shapes", ", ".join(SHAPE_NAMES))
    wait_until(drawings.canvas.isVisible, 5000, "the canvas")
    keys = [getattr(Qt, f"Key_{index + 1}") for index in range(len(SHAPE_NAMES))]
    for shape in make_shapes(args.per_class, seed=7):
        drawings.canvas.set_brush_width(shape.brush_width * min(drawings.canvas.width(), 280) / 280.0)
        drag(drawings.canvas, shape.strokes)
        QTest.keyClick(drawings.canvas, keys[shape.label])
    print(f"kept {len(drawings.project)} drawings: {drawings.project.counts().tolist()}")
    drag(drawings.canvas, draw_shape(3, np.random.default_rng(99)).strokes)   # one drawn, not yet kept
    settle(window)
    save_grab(drawings, out / "screenshot-my-drawings.png")

    drawings.transfer_combo.setCurrentIndex(0)   # from scratch: the curves climb from chance
    wait_signal(window.run_finished, drawings.train_button.click, 300000, what="the end of the run")
    drawings.hide()
    window.tabs.show_tab("Training")
    settle(window)
    save_grab(window, out / "screenshot-my-drawings-training.png")
    window.tabs.show_tab("Evaluation")
    settle(window)
    save_grab(window, out / "screenshot-my-drawings-evaluation.png")
    panel = window.tabs.draw_panel
    window.tabs.show_tab("Draw")
    wait_until(panel.canvas.isVisible, 5000, "the Draw tab's canvas")
    star = draw_shape(3, np.random.default_rng(5), style=HELD_OUT)
    panel.canvas.clear()
    wait_signal(panel.predicted, lambda: drag(panel.canvas, star.strokes), 10000, check=lambda p: p is not None,
                what="a prediction")
    wait_until(lambda: not panel._timer.isActive(), 5000, "the prediction timer")
    evidence = panel.look_inside.evidence   # the evidence map of the star, not the empty page
    wait_until(lambda: evidence.evidence is not None and not evidence.job.busy, 10000, "the evidence map")
    settle(window)
    print("Draw tab:", dict(zip(panel.probability_view.class_names, np.round(panel.last_probabilities, 3))))
    save_grab(window, out / "screenshot-my-drawings-draw.png")

    drawings.show()
    drawings.transfer_combo.setCurrentIndex(1)   # B: the digit model's conv layers, frozen; A: scratch
    race = wait_signal(window.my_drawings.race_opened, window.my_drawings.race, 30000, what="the race window")[0]
    session = race.start()
    wait_signal(session.finished, lambda: None, 300000, what="the race")
    race.redraw()
    settle(window)
    for lane, letter in zip(race.lanes, "AB"):
        print(f"race {letter}: validation accuracy by epoch", np.round(lane.epoch["accuracy"].view(), 3).tolist()[:10])
    save_grab(race, out / "screenshot-my-drawings-race.png")
    race.close()
    drawings.close()
    window.close()


if __name__ == "__main__":
    main()
