"""DigitLab launcher: no arguments opens the app; a sub-command runs the command line."""
import os
import sys

NO_DISPLAY = ("DigitLab: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open.\n"
              "Use the command line instead (python main.py --help), or render offscreen with "
              "QT_QPA_PLATFORM=offscreen.")


def display_missing(environ=os.environ, platform=sys.platform):
    """True on Linux without an X11/Wayland display and no Qt platform chosen: Qt would abort."""
    return (platform.startswith("linux") and not environ.get("DISPLAY")
            and not environ.get("WAYLAND_DISPLAY") and not environ.get("QT_QPA_PLATFORM"))


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        if display_missing():
            print(NO_DISPLAY, file=sys.stderr)
            return 1
        try:
            from gui.shell.app import run_app   # imported late: the CLI must work without Qt
        except ImportError as error:
            print(f"DigitLab: the app needs PyQt5 and pyqtgraph ({error}); "
                  f"install them with: pip install -r requirements.txt", file=sys.stderr)
            return 1
        return run_app()
    from core.cli import main as cli_main
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
