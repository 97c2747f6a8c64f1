"""Background work in QThreads: one-off jobs (loading data, evaluating, analysis). Training runs
in its own process instead (gui/training/training_controller.py).

Wiring follows the standard pattern (superqt, Orange): the worker QObject has no parent and is
moved to a fresh QThread; started -> work, finished -> quit, finished -> deleteLater on both.
The GUI must keep Python references to thread and worker until ``finished`` (handled by
``ThreadHandle``), or PyQt would destroy a running QThread.
"""
import threading

from PyQt5.QtCore import QObject, Qt, QThread, pyqtSignal



class JobWorker(QObject):
    """Runs fn(report, cancelled) once. report(*values) emits ``progress``; cancelled() is True
    after ``cancel()``. Emits ``done(result)`` or ``failed(exception)``, then ``finished``."""

    progress = pyqtSignal(object)
    done = pyqtSignal(object)
    failed = pyqtSignal(object)
    finished = pyqtSignal()

    def __init__(self, fn):
        super().__init__()
        self._fn = fn
        self._cancel = threading.Event()

    def cancel(self):
        self._cancel.set()

    def work(self):
        try:
            result = self._fn(lambda *values: self.progress.emit(values), self._cancel.is_set)
        except Exception as error:
            _emit(self, "failed", error)
        else:
            _emit(self, "done", result)
        finally:
            _emit(self, "finished")


def _emit(worker, name, *values):
    """worker.<name>.emit(*values), unless Qt already deleted the worker: a job that ends while
    the application shuts down has nobody to tell (and a traceback on the terminal would be
    noise). Reading the signal of a deleted worker is what raises, so it is read in here."""
    try:
        getattr(worker, name).emit(*values)
    except RuntimeError:      # "wrapped C/C++ object of type JobWorker has been deleted"
        pass


class ThreadHandle:
    """A started worker + its QThread, alive until the thread finishes."""

    def __init__(self, worker):
        self.worker = worker
        self.thread = QThread()
        self.running = True
        worker.moveToThread(self.thread)
        self.thread.started.connect(worker.work)
        # Direct: quit() is thread-safe, and a queued call could not run while the GUI thread
        # is blocked in wait() (closing the window), which would make every join time out.
        worker.finished.connect(self.thread.quit, Qt.DirectConnection)
        worker.finished.connect(worker.deleteLater)
        self.thread.finished.connect(self.thread.deleteLater)
        self.thread.finished.connect(self._on_finished)

    def start(self):
        self.thread.start()
        return self

    def _on_finished(self):
        self.running = False

    def wait(self, milliseconds=2000):
        """Block until the thread ended (True) or the timeout passed (False)."""
        if not self.running:
            return True
        try:
            return self.thread.wait(milliseconds)
        except RuntimeError:   # the C++ QThread was already deleted: it had finished
            return True
