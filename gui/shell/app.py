"""Application entry point: QApplication, theme, exception hook, main window, data on start."""
import sys

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QApplication

from core.training.blas import limit_process_blas_threads
from gui.ground.crash_log import ensure_log_file
from gui.ground.errors import install_excepthook
from gui.ground.settings_store import APPLICATION, ORGANISATION
from gui.shell.gc_guard import settle_garbage_collector
from gui.shell.theme_choice import apply_stored


def create_app(argv=None):
    """The QApplication (existing or new), themed."""
    QApplication.setAttribute(Qt.AA_EnableHighDpiScaling, True)
    QApplication.setAttribute(Qt.AA_UseHighDpiPixmaps, True)
    app = QApplication.instance() or QApplication(list(argv if argv is not None else sys.argv))
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    apply_stored(app)   # the remembered theme: light, dark or the system's (gui/shell/theme_choice.py)
    limit_process_blas_threads()   # the GUI thread keeps its core (core/training/blas.py)
    return app


def run_app(argv=None):
    """Open the main window and run until it closes; returns the exit code."""
    app = create_app(argv)
    ensure_log_file()   # unexpected errors, with tracebacks, go to the user's log folder
    install_excepthook()
    # The training thread runs Python between BLAS calls; a shorter GIL switch interval lets
    # the GUI thread get in sooner (lower input latency) at a negligible cost to training.
    sys.setswitchinterval(0.002)
    from gui.shell.main_window import MainWindow   # after the theme: pyqtgraph options must be set first
    window = MainWindow()
    window.show()
    settle_garbage_collector()
    window.dataset_panel.request_load()   # the remembered data choice (digits if MNIST is missing)
    return app.exec_()
