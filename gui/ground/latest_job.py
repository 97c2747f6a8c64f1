"""LatestJob: one background computation at a time; while one runs, only the newest request waits.

    job = LatestJob(parent, min_interval_ms=60)
    job.done.connect(lambda result, tag: ...)       # the result of a job that ran to its end
    job.failed.connect(lambda error, tag: ...)      # its exception (gui.ground.errors.describe_error)
    job.submit(fn, tag)                             # fn(report, cancelled) runs in a worker thread
    job.cancel(); job.shutdown(ms)                  # stop; shutdown also waits for the thread

Why only the newest: the Draw tab asks for a new evidence map after every prediction (up to ~30 a
second while the user draws), and an epoch's refresh makes the previous card or map pointless.
Queuing them all would lag further and further behind; keeping only the newest keeps the view at
most one computation behind. ``min_interval_ms`` spaces the starts so the other core stays free
for the GUI (and a training run). Results of a cancelled job are dropped. Thread handles stay
referenced (module-level set) until their thread ends, even if the owner is gone: a running
QThread must never be garbage collected.
"""
import time

from PyQt5.QtCore import QObject, QTimer, pyqtSignal

from gui.ground.threads import JobWorker, ThreadHandle

_LIVE = set()   # ThreadHandles alive until their thread finished


class LatestJob(QObject):
    done = pyqtSignal(object, object)        # result, tag
    failed = pyqtSignal(object, object)      # exception, tag
    progress = pyqtSignal(object, object)    # the values fn reported, tag
    idle = pyqtSignal()                      # nothing running and nothing waiting

    def __init__(self, parent=None, min_interval_ms=0):
        super().__init__(parent)
        self.min_interval = min_interval_ms / 1000.0
        self._active = None      # (handle, tag, cancelled flag list) of the running job
        self._pending = None     # (fn, tag) waiting to start
        self._closed = False
        self._last_start = -1e9
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self._start_next)

    @property
    def busy(self):
        """True while a job runs or waits to start."""
        return self._active is not None or self._pending is not None

    @property
    def running_tag(self):
        return self._active[1] if self._active is not None else None

    def submit(self, fn, tag=None):
        """Run fn(report, cancelled) in a worker thread as soon as allowed; replaces any request
        still waiting."""
        if self._closed:
            return
        self._pending = (fn, tag)
        self._start_next()

    def cancel_pending(self):
        """Drop the waiting request; a running job goes on and delivers."""
        self._pending = None
        self._timer.stop()

    def cancel(self):
        """Drop the waiting request and ask the running job to stop (its result is ignored)."""
        self.cancel_pending()
        if self._active is not None:
            self._active[2][0] = True
            try:
                self._active[0].worker.cancel()
            except RuntimeError:        # the worker already ended and was deleted
                pass

    def shutdown(self, milliseconds=10000):
        """Cancel and wait for the running thread (closing the window); True when it ended."""
        self._closed = True
        active = self._active
        self.cancel()
        return active[0].wait(milliseconds) if active is not None else True

    def wait(self, milliseconds=10000):
        """Drop what waits and block until the running job ended; True when it did."""
        self.cancel_pending()
        return self._active[0].wait(milliseconds) if self._active is not None else True

    def _start_next(self):
        if self._active is not None or self._pending is None or self._closed:
            return
        wait = self._last_start + self.min_interval - time.monotonic()
        if wait > 0:
            if not self._timer.isActive():
                self._timer.start(int(wait * 1000) + 1)
            return
        (fn, tag), self._pending = self._pending, None
        self._last_start = time.monotonic()
        worker = JobWorker(fn)
        # bound methods of this GUI-thread object: queued delivery, in order, before `finished`
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        worker.progress.connect(self._on_progress)
        handle = ThreadHandle(worker)
        _LIVE.add(handle)
        handle.thread.finished.connect(lambda: _LIVE.discard(handle))
        handle.thread.finished.connect(self._on_finished)
        self._active = (handle, tag, [False])
        handle.start()

    def _wanted(self):
        return self._active is not None and not self._active[2][0]

    def _emit(self, signal, value):
        """Deliver unless this object was deleted meanwhile (its view closed while the job ran)."""
        if self._wanted():
            try:
                signal.emit(value, self._active[1])
            except RuntimeError:   # "wrapped C/C++ object ... has been deleted"
                pass

    def _on_done(self, result):
        self._emit(self.done, result)

    def _on_failed(self, error):
        self._emit(self.failed, error)

    def _on_progress(self, values):
        self._emit(self.progress, values)

    def _on_finished(self):
        self._active = None
        if self._pending is not None and not self._closed:
            self._start_next()
        if not self.busy:
            self.idle.emit()
