"""Render the main window's every tab and the dialogs at a screen size, to look at the layout.

    QT_QPA_PLATFORM=offscreen python scripts/render_screens.py --screen 1366x768 --out /tmp/screens

The screen is pretended (DIGITLAB_SCREEN, gui/ground/screen_fit.py): the window is sized as it
would be on that screen (maximised when 1400x900 does not fit). No training: the views show the
shipped model on the Draw tab (a 7 drawn with simulated mouse strokes) and empty live views.
"""
import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def settle(app, rounds=10):
    for _ in range(rounds):
        app.processEvents()


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--screen", default="1366x768", help="WxH of the pretended available screen")
    parser.add_argument("--out", default="/tmp/screens")
    args = parser.parse_args(argv)
    os.environ["DIGITLAB_SCREEN"] = args.screen
    os.environ.setdefault("DIGITLAB_SETTINGS", str(Path(args.out) / "settings.ini"))
    os.environ.setdefault("DIGITLAB_HOME", str(Path(args.out) / "home"))   # never the user's runs or digits
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    from gui.shell.app import create_app
    app = create_app([])
    from gui.shell.main_window import MainWindow
    from render_window import draw_sample
    window = MainWindow(restore_settings=False)
    window.show()
    settle(app)
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        settle(app)
        if window.tabs.tabText(index).replace("&", "") == "Draw":
            draw_sample(window.tabs.draw_panel.canvas, 7)
            window.tabs.draw_panel.predict_now()
            settle(app, 30)
        name = window.tabs.tabText(index).replace("&", "").replace(" ", "-").lower()
        window.grab().save(str(out / f"{args.screen}-tab-{name}.png"))
        print(f"{args.screen}-tab-{name}.png", window.size().width(), window.size().height())
    window.close()


if __name__ == "__main__":
    main()
