"""LatestJob: run one computation at a time in a worker thread; while one runs, only the newest
request waits (older ones are dropped), and starts are at least ``min_interval_ms`` apart.

The Draw tab asks for a new evidence map after every prediction (up to ~30 a second while the
user draws); each map takes ~20-40 ms on 2 cores. Queuing them all would lag further and further
behind the pen; dropping all but the newest keeps the map at most one computation behind, and
the minimum interval leaves the other core to the GUI (and to a training run).

    job = LatestJob(parent=view)
    job.done.connect(lambda tag, result: ...)
    job.submit(lambda: compute(...), tag)      # fn runs in a worker thread; no Qt objects in it

Threads whose job is still running are kept referenced (module-level set) until they finish,
so closing a view mid-computation never destroys a running QThread.
"""
import time

from PyQt5.QtCore import QObject, QTimer, pyqtSignal

from gui.shell.errors import describe_error
from gui.training.worker import JobWorker, ThreadHandle

_RUNNING = set()   # ThreadHandles alive until their thread finished


class LatestJob(QObject):
    """Signals: done(tag, result); failed(tag, message for the user); idle() when the last job's
    thread ended and nothing waits."""

    done = pyqtSignal(object, object)
    failed = pyqtSignal(object, str)
    idle = pyqtSignal()

    def __init__(self, min_interval_ms=60, parent=None):
        super().__init__(parent)
        self.min_interval = min_interval_ms / 1000.0
        self._pending = None        # (fn, tag) waiting to start
        self._handle = None         # ThreadHandle of the running job
        self._last_start = -1e9
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start_pending)

    @property
    def busy(self):
        """True while a job runs or waits to start."""
        return self._pending is not None or (self._handle is not None and self._handle.running)

    def submit(self, fn, tag=None):
        """Run fn() in a worker thread as soon as allowed; replaces any request still waiting."""
        self._pending = (fn, tag)
        self._start_pending()

    def cancel_pending(self):
        self._pending = None
        self._timer.stop()

    def _start_pending(self):
        if self._pending is None or (self._handle is not None and self._handle.running):
            return
        wait = self._last_start + self.min_interval - time.monotonic()
        if wait > 0:
            if not self._timer.isActive():
                self._timer.start(int(wait * 1000) + 1)
            return
        fn, tag = self._pending
        self._pending = None
        self._last_start = time.monotonic()
        worker = JobWorker(lambda report, cancelled: fn())
        worker.done.connect(lambda result, tag=tag: self._deliver("done", tag, result))
        worker.failed.connect(lambda error, tag=tag: self._deliver("failed", tag, describe_error(error)))
        handle = self._handle = ThreadHandle(worker)
        _RUNNING.add(handle)
        handle.thread.finished.connect(self._on_finished)   # a QObject's method: runs on the GUI thread
        handle.start()

    def _deliver(self, signal_name, tag, value):
        """Emit a finished job's result, unless this object was deleted meanwhile (its view closed
        while the job ran): then the result has nobody to go to."""
        try:
            getattr(self, signal_name).emit(tag, value)
        except RuntimeError:   # "wrapped C/C++ object ... has been deleted"
            pass

    def _on_finished(self):
        _RUNNING.difference_update([h for h in _RUNNING if not h.running])
        self._start_pending()
        if not self.busy:
            self.idle.emit()

    def wait(self, milliseconds=2000):
        """Drop what waits and block until the running job ended (closing a window)."""
        self.cancel_pending()
        return self._handle.wait(milliseconds) if self._handle is not None else True
