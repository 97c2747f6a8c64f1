"""DigitLab launcher: no arguments opens the app; a sub-command runs the command line.

Before Qt is touched, two checks turn Qt's own abort ("Could not load the Qt platform plugin
xcb", then a core dump) into one clear sentence: is there a display at all, and, when Qt will
use X11 (xcb), are the system libraries its xcb plugin needs installed.
"""
import ctypes
import os
import sys

NO_DISPLAY = ("DigitLab: no display found (DISPLAY and WAYLAND_DISPLAY are unset), so the window cannot open.\n"
              "Use the command line instead (python main.py --help), or render offscreen with "
              "QT_QPA_PLATFORM=offscreen.")


def display_missing(environ=os.environ, platform=sys.platform):
    """True on Linux without an X11/Wayland display and no Qt platform chosen: Qt would abort."""
    return (platform.startswith("linux") and not environ.get("DISPLAY")
            and not environ.get("WAYLAND_DISPLAY") and not environ.get("QT_QPA_PLATFORM"))


# What Qt 5's xcb platform plugin loads beyond libxcb itself, as (shared library, Debian/Ubuntu
# package). PyQt5's wheels bundle Qt but not these; a fresh desktop install often lacks the first three.
XCB_LIBRARIES = (
    ("libxcb-icccm.so.4", "libxcb-icccm4"),
    ("libxcb-keysyms.so.1", "libxcb-keysyms1"),
    ("libxcb-xinerama.so.0", "libxcb-xinerama0"),
    ("libxcb-image.so.0", "libxcb-image0"),
    ("libxcb-render-util.so.0", "libxcb-render-util0"),
    ("libxkbcommon-x11.so.0", "libxkbcommon-x11-0"),
    ("libxcb-randr.so.0", "libxcb-randr0"),
    ("libxcb-shape.so.0", "libxcb-shape0"),
    ("libxcb-xfixes.so.0", "libxcb-xfixes0"),
    ("libxcb-xkb.so.1", "libxcb-xkb1"),
)


def library_loads(name):
    """True if the dynamic linker can load the shared library ``name`` (e.g. 'libxcb-icccm.so.4')."""
    try:
        ctypes.CDLL(name)
    except OSError:
        return False
    return True


def uses_xcb(environ=None, platform=None):
    """True when Qt 5 will pick its xcb (X11) plugin: on Linux unless QT_QPA_PLATFORM names another."""
    environ = os.environ if environ is None else environ
    platform = sys.platform if platform is None else platform
    chosen = environ.get("QT_QPA_PLATFORM", "").strip()
    return platform.startswith("linux") and (not chosen or chosen.split(":")[0] == "xcb")


def missing_xcb_packages(loads=library_loads, environ=None, platform=None):
    """The Debian/Ubuntu packages of the xcb libraries that ``loads`` cannot load ([] when Qt
    will not use xcb). ``loads(library_name) -> bool`` is injectable for tests."""
    if not uses_xcb(environ, platform):
        return []
    return [package for library, package in XCB_LIBRARIES if not loads(library)]


def missing_xcb_message(packages):
    return (f"DigitLab: the window cannot open because Qt's X11 (xcb) plugin needs system libraries that "
            f"are not installed: {', '.join(packages)}.\n"
            f"Install them with:\n    sudo apt-get install {' '.join(packages)}\n"
            f"(or run the command line: python main.py --help)")


def main(argv=None, library_loads=library_loads):
    """Run the app (no arguments) or a sub-command; returns the exit code. library_loads is
    what checks the xcb libraries (tests pass their own)."""
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        if display_missing():
            print(NO_DISPLAY, file=sys.stderr)
            return 1
        missing = missing_xcb_packages(library_loads)
        if missing:
            print(missing_xcb_message(missing), file=sys.stderr)
            return 1
        try:
            from gui.shell.app import run_app   # imported late: the CLI must work without Qt
        except ImportError as error:
            print(f"DigitLab: the app needs PyQt5 and pyqtgraph ({error}); "
                  f"install them with: pip install -r requirements.txt", file=sys.stderr)
            return 1
        return run_app()
    from core.cli import main as cli_main
    from core.cli.signals import sigterm_as_interrupt
    with sigterm_as_interrupt():   # `kill` ends a command as Ctrl-C does: records marked, no temp files left
        return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
