"""Background work in QThreads: the training loop, and one-off jobs (loading data, downloading).

Wiring follows the standard pattern (superqt, Orange): the worker QObject has no parent and is
moved to a fresh QThread; started -> work, finished -> quit, finished -> deleteLater on both.
The GUI must keep Python references to thread and worker until ``finished`` (handled by
``ThreadHandle``), or PyQt would destroy a running QThread.
"""
import threading

from PyQt5.QtCore import QObject, Qt, QThread, pyqtSignal

from gui.shell.errors import describe_error


class TrainingWorker(QObject):
    """Drives ``trainer.run()`` and emits every snapshot. Control goes through the trainer's
    own thread-safe methods (pause/resume/stop/set_learning_rate): a queued signal could not
    reach this object while ``work`` is busy in the loop.

    ``request_stop()`` may be called from any thread at any time, also while the trainer is
    still being built: the run then ends at once (reason 'stopped') instead of training.
    """

    ready = pyqtSignal(object)      # the Trainer, once built (in this thread)
    snapshot = pyqtSignal(object)
    failed = pyqtSignal(str)
    finished = pyqtSignal()

    def __init__(self, trainer=None, make_trainer=None):
        """Give a trainer, or make_trainer() to build it in the worker thread: splitting full
        MNIST copies ~50 MB, which would freeze the window for a tenth of a second."""
        super().__init__()
        self.trainer = trainer
        self._make_trainer = make_trainer
        self._stop = threading.Event()

    def request_stop(self):
        """Thread-safe and non-blocking. Whichever of the two threads comes second sees the
        other's write: we set the event before reading ``trainer``; ``work`` assigns
        ``trainer`` before checking the event. Stopping a trainer twice is harmless."""
        self._stop.set()
        trainer = self.trainer
        if trainer is not None:
            trainer.stop()

    @property
    def stop_requested(self):
        return self._stop.is_set()

    def work(self):
        try:
            if self.trainer is None:
                self.trainer = self._make_trainer()
            if self._stop.is_set():   # stopped while the data was being prepared
                self.trainer.stop()   # run() then yields its 'stopped' EndSnapshot at once
            self.ready.emit(self.trainer)
            for snapshot in self.trainer.run():
                self.snapshot.emit(snapshot)
        except Exception as error:   # the GUI shows a dialog; the thread must still finish
            self.failed.emit(describe_error(error))
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
