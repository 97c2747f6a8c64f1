"""Render the Training, Weights, Evaluation and Draw tabs in a theme after a short run on the
built-in digits, to look at the colours (issue 19: the dark theme).

    QT_QPA_PLATFORM=offscreen python scripts/render_theme.py --theme dark --screen 1366x768 --out /tmp/theme

--switch renders after switching from the other theme at run time (the plots were made in the
other theme and restyled), which is what a user who picks View > Theme mid-session sees.
"""
import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

TABS = ("Training", "Weights", "Evaluation", "Draw")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--theme", default="dark", choices=("light", "dark"))
    parser.add_argument("--screen", default="1366x768")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument("--switch", action="store_true", help="start in the other theme, switch after the run")
    parser.add_argument("--out", default="/tmp/theme")
    args = parser.parse_args(argv)
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    os.environ["DIGITLAB_SCREEN"] = args.screen
    os.environ["DIGITLAB_SETTINGS"] = str(out / "settings.ini")   # never the user's settings
    os.environ["DIGITLAB_HOME"] = str(out / "home")
    other = "light" if args.theme == "dark" else "dark"
    from gui.ground.settings_store import open_settings
    settings = open_settings()
    settings.setValue("view/theme", other if args.switch else args.theme)
    settings.sync()
    from gui.shell.app import create_app
    app = create_app([])
    from gui.shell.main_window import MainWindow
    from render_readme import wait_signal, wait_until
    from render_window import draw_sample
    window = MainWindow(restore_settings=False)
    window.show()
    wait_signal(window.dataset_loaded, lambda: window.actions.trigger("load_data", "digits"), 60000, what="the digits")
    window.actions.trigger("pick_preset", "quick") if "quick" in _presets() else None
    window.actions.trigger("set_setting", "epochs", args.epochs)
    wait_signal(window.run_finished, lambda: window.actions.trigger("start"), 300000, what="the end of the run")
    if args.switch:
        window.actions.trigger(f"theme_{args.theme}")
    for title in TABS:
        window.actions.trigger("show_tab", title)
        if title == "Draw":
            draw_sample(window.tabs.draw_panel.canvas, 7)
            window.tabs.draw_panel.predict_now()
        for _ in range(30):
            app.processEvents()
        wait_until(lambda: not window.redraw.timer.isActive() if hasattr(window.redraw, "timer") else True, 3000)
        name = out / f"{args.theme}{'-switched' if args.switch else ''}-{args.screen}-{title.lower()}.png"
        window.grab().save(str(name))
        print(name)
    window.close()


def _presets():
    from core.settings.presets import PRESETS
    return PRESETS


if __name__ == "__main__":
    main()
