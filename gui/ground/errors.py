"""Error dialogs and the last-resort exception hook: the user sees a message, never a traceback;
the traceback goes to the log file (gui.ground.crash_log), whose path the dialog shows.

Dialogs are opened with ``open()`` (window-modal, non-blocking) so a training run, a test or a
timer keeps running while the dialog is up; the returned QMessageBox lets callers inspect it.
"""
import sys
import traceback

from PyQt5.QtWidgets import QApplication, QMessageBox

from core.errors import DigitLabError
from gui.ground.crash_log import log_exception, where_logged


def show_error(parent, title, text, details=None):
    """Show a non-blocking error dialog and return it (deleted when closed)."""
    box = QMessageBox(QMessageBox.Warning, title, text, QMessageBox.Ok, parent)
    box.setObjectName("errorDialog")
    if details:
        box.setDetailedText(details)
    box.setAttribute(_delete_on_close(), True)
    box.open()
    return box


def show_info(parent, title, text):
    box = QMessageBox(QMessageBox.Information, title, text, QMessageBox.Ok, parent)
    box.setAttribute(_delete_on_close(), True)
    box.open()
    return box


def _delete_on_close():
    from PyQt5.QtCore import Qt
    return Qt.WA_DeleteOnClose


def describe_error(error):
    """A one-paragraph message for an exception: DigitLabError text as is, others with their type."""
    if isinstance(error, DigitLabError):
        return str(error)
    if isinstance(error, MemoryError):
        return "Out of memory. Try a smaller network, batch size or dataset."
    if isinstance(error, OSError):
        return f"{error.strerror or error} ({error.filename})" if error.filename else str(error)
    return f"{type(error).__name__}: {error}"


def install_excepthook():
    """Route uncaught exceptions (e.g. in a slot) to a dialog instead of stderr + abort."""
    previous = sys.excepthook

    def hook(kind, value, tb):
        if issubclass(kind, KeyboardInterrupt):
            previous(kind, value, tb)
            return
        details = "".join(traceback.format_exception(kind, value, tb))
        if value.__traceback__ is None:
            value = value.with_traceback(tb)
        path = log_exception("unexpected error", value)
        if QApplication.instance() is None:
            previous(kind, value, tb)
            return
        hook.last_dialog = show_error(_dialog_parent(), "Unexpected error",
                   "Something went wrong, but your work is still here.\n\n" + describe_error(value)
                   + "\n\n" + where_logged(path)
                   + " If this keeps happening, please report it with the details below.", details)

    hook.last_dialog = None   # a parentless box must be referenced, or Python deletes it at once
    sys.excepthook = hook
    return previous


def _dialog_parent():
    """The active window, else a visible main window (offscreen and in tests nothing is active)."""
    from PyQt5.QtWidgets import QMainWindow
    active = QApplication.activeWindow()
    if active is not None:
        return active
    return next((w for w in QApplication.topLevelWidgets() if isinstance(w, QMainWindow) and w.isVisible()), None)
