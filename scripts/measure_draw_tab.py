"""Measure the Draw tab as it opens on a screen of a given size: window, canvas, evidence map.

    QT_QPA_PLATFORM=offscreen python scripts/measure_draw_tab.py 1280x720 1366x768 1920x1080

The screen is pretended (DIGITLAB_SCREEN, gui/ground/screen_fit.py); a 7 is drawn on the
canvas with the shipped model, as a person would see it. Prints one line per screen size.
"""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SEVEN = [[(90, 80), (230, 75), (150, 260)], [(120, 170), (210, 168)]]   # canvas pixels of a 7


def measure(screen):
    """One line of sizes for the pretended screen ``screen`` ('WxH'), measured in this process."""
    home = tempfile.mkdtemp(prefix="digitlab-measure-")
    os.environ.update(QT_QPA_PLATFORM=os.environ.get("QT_QPA_PLATFORM", "offscreen"), DIGITLAB_SCREEN=screen,
                      DIGITLAB_HOME=home, DIGITLAB_SETTINGS=str(Path(home) / "settings.ini"))
    sys.path.insert(0, str(ROOT))
    from gui.shell.app import create_app
    app = create_app([])
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    window.show()
    window.actions.trigger("show_tab", "Draw")
    panel = window.tabs.draw_panel
    for _ in range(20):
        app.processEvents()
    panel.draw(SEVEN)
    for _ in range(20):
        app.processEvents()
    evidence = panel.look_inside.evidence.map_view
    return (f"{screen}: window {window.width()}x{window.height()}, canvas {panel.canvas.width()}x"
            f"{panel.canvas.height()}, evidence map {evidence.width()}x{evidence.height()}, "
            f"settings panel {'hidden' if window.left_panel.isHidden() else 'shown'}")


def main(argv=None):
    screens = (argv if argv is not None else sys.argv[1:]) or ["1280x720", "1366x768", "1920x1080"]
    if len(screens) == 1:
        print(measure(screens[0]))
        return 0
    for screen in screens:   # one process per screen: the window sizes itself once, at creation
        subprocess.run([sys.executable, __file__, screen], check=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
