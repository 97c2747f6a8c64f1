"""The invariance view's measurements: one at a time in a worker thread, the others waiting in
order (a saved model added while the current one is measured waits its turn); for one key only
the newest request waits, and drop(key) calls off a running one whose model is gone. Split from
gui/views/invariance_view.py, which decides what is measured and draws the results.

Why not gui.ground.latest_job.LatestJob: it keeps only the newest request of all, and a saved
model the user added must not be dropped because the current model asked after it.
"""
from collections import deque

from PyQt5.QtCore import QObject, pyqtSignal

from core.analysis.invariance import Cancelled
from gui.ground.threads import JobWorker, ThreadHandle

_LIVE_JOBS = set()      # handles kept alive until their thread ends, even if the view is gone


class _Job:
    """The running measurement: which curves it is for, and whether it was called off."""

    def __init__(self, key, name, handle):
        self.key, self.name, self.handle = key, name, handle
        self.cancelled = False

    def cancel(self):
        self.cancelled = True
        try:
            self.handle.worker.cancel()
        except RuntimeError:   # the worker object is already deleted: the job has ended
            pass


class MeasurementQueue(QObject):
    """submit(key, name, fn): fn(report, cancelled) -> InvarianceCurves runs in a worker thread."""

    started = pyqtSignal(str)               # name
    progress = pyqtSignal(str, int, int)    # name, copies done, copies in all
    done = pyqtSignal(str, str, object)     # key, name, InvarianceCurves
    failed = pyqtSignal(str, object)        # name, exception
    stopped = pyqtSignal(str)               # name: called off (dropped, cleared, cancelled)

    def __init__(self, parent=None):
        super().__init__(parent)
        self._queue = deque()       # (key, name, fn) waiting for the worker
        self.active = None          # the running _Job

    @property
    def busy(self):
        return self.active is not None or bool(self._queue)

    def submit(self, key, name, fn):
        """Queue a measurement; a request for the same key still waiting is replaced (only the latest)."""
        self._queue = deque(job for job in self._queue if job[0] != key)
        self._queue.append((key, name, fn))
        self._start_next()

    def drop(self, key):
        """The requests for ``key`` go, and a running one is called off (its result is dropped)."""
        self._queue = deque(job for job in self._queue if job[0] != key)
        if self.active is not None and self.active.key == key:
            self.active.cancel()

    def clear(self):
        self._queue.clear()
        if self.active is not None:
            self.active.cancel()

    def shutdown(self, milliseconds=3000):
        """Stop the running measurement and wait for its thread (closing the window)."""
        active = self.active
        self.clear()
        if active is not None:
            active.handle.wait(milliseconds)

    def _start_next(self):
        if self.active is not None or not self._queue:
            return
        key, name, fn = self._queue.popleft()
        worker = JobWorker(fn)
        # bound methods of this GUI-thread object: queued delivery, in order, before `finished`
        worker.progress.connect(self._on_progress)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        handle = ThreadHandle(worker)
        _LIVE_JOBS.add(handle)
        handle.thread.finished.connect(lambda: _LIVE_JOBS.discard(handle))
        handle.thread.finished.connect(self._on_thread_finished)
        self.active = _Job(key, name, handle)
        self.started.emit(name)
        handle.start()

    def _on_progress(self, values):
        if self.active is not None and not self.active.cancelled:
            self.progress.emit(self.active.name, int(values[0]), int(values[1]))

    def _on_done(self, curves):
        job = self.active
        if job is not None and not job.cancelled:   # called off while it ran: not wanted
            self.done.emit(job.key, job.name, curves)

    def _on_failed(self, error):
        job = self.active
        if job is None or job.cancelled or isinstance(error, Cancelled):
            self.stopped.emit(job.name if job else "the model")
        else:
            self.failed.emit(job.name, error)

    def _on_thread_finished(self):
        self.active = None
        self._start_next()
