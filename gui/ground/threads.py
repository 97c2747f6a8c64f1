"""Background work in QThreads: the training loop, and one-off jobs (loading data, downloading).

Wiring follows the standard pattern (superqt, Orange): the worker QObject has no parent and is
moved to a fresh QThread; started -> work, finished -> quit, finished -> deleteLater on both.
The GUI must keep Python references to thread and worker until ``finished`` (handled by
``ThreadHandle``), or PyQt would destroy a running QThread.
"""
import threading

from PyQt5.QtCore import QObject, Qt, QThread, pyqtSignal

from gui.ground.crash_log import log_exception
from gui.ground.errors import describe_error


class TrainingWorker(QObject):
    """Builds a trainer, then drives ``trainer.run()`` and emits every snapshot.

    Two channels only: commands go in through ``control`` (a core.training.run_control.RunControl,
    thread-safe: a queued signal could not reach this object while ``work`` is busy in the loop);
    data comes out as snapshots, the first a StartSnapshot (copies of what the views need). The
    trainer itself never leaves this thread.

    ``make_trainer()`` runs in the worker thread (splitting full MNIST copies ~50 MB, downscaling
    it for ex4 takes seconds): a stop given meanwhile is in the control, so the run then ends at
    once with reason 'stopped' instead of training.

    ``begin(trainer)``, when given, also runs in this thread and returns the snapshots to emit
    instead of ``trainer.run()`` (the app's run records wrap the run: gui.runs.recording).
    """

    snapshot = pyqtSignal(object)
    failed = pyqtSignal(str, str)   # the message for the user, the log file's path ('' if none)
    finished = pyqtSignal()

    def __init__(self, make_trainer, control, begin=None):
        super().__init__()
        self._make_trainer = make_trainer
        self._begin = begin
        self.control = control

    def work(self):
        try:
            trainer = self._make_trainer().use_control(self.control)
            snapshots = self._begin(trainer) if self._begin is not None else trainer.run()
            self.snapshot.emit(trainer.start_snapshot())
            for snapshot in snapshots:
                self.snapshot.emit(snapshot)
        except Exception as error:   # the GUI shows a dialog; the thread must still finish
            path = log_exception("the training run failed", error)
            self.failed.emit(describe_error(error), str(path or ""))
        finally:
            self.finished.emit()


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
            self.failed.emit(error)
        else:
            self.done.emit(result)
        finally:
            self.finished.emit()


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
