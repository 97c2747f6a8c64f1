"""One background job at a time, the latest request waiting: what the card and the map need.

    runner = LatestJob(parent)
    runner.done.connect(show)              # result of the job that ran to its end
    runner.submit(fn, tag)                 # fn(report, cancelled) runs in a worker thread
    runner.cancel(); runner.shutdown(ms)   # stop; shutdown also waits for the thread

A request made while a job runs replaces any earlier waiting one (an epoch's refresh makes the
previous one pointless), so a slow job never builds a queue. Results of a cancelled job are
dropped. Handles stay referenced until their thread ends, even if the owner is gone (a running
QThread must not be garbage collected).
"""
from PyQt5.QtCore import QObject, pyqtSignal

from gui.training.worker import JobWorker, ThreadHandle

_LIVE = set()


class LatestJob(QObject):
    done = pyqtSignal(object, object)        # result, tag
    failed = pyqtSignal(object, object)      # exception, tag
    progress = pyqtSignal(object, object)    # the values fn reported, tag
    idle = pyqtSignal()                      # nothing running and nothing waiting

    def __init__(self, parent=None):
        super().__init__(parent)
        self._active = None      # (handle, tag, cancelled flag list)
        self._pending = None     # (fn, tag)
        self._closed = False

    @property
    def busy(self):
        return self._active is not None or self._pending is not None

    @property
    def running_tag(self):
        return self._active[1] if self._active is not None else None

    def submit(self, fn, tag=None):
        if self._closed:
            return
        self._pending = (fn, tag)
        self._start_next()

    def cancel(self):
        """Drop the waiting request and ask the running job to stop (its result is ignored)."""
        self._pending = None
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
        return self._active[0].wait(milliseconds) if self._active is not None else True

    def _start_next(self):
        if self._active is not None or self._pending is None or self._closed:
            return
        (fn, tag), self._pending = self._pending, None
        cancelled = [False]
        worker = JobWorker(fn)
        # bound methods of this GUI-thread object: queued delivery, in order, before `finished`
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        worker.progress.connect(self._on_progress)
        handle = ThreadHandle(worker)
        _LIVE.add(handle)
        handle.thread.finished.connect(lambda: _LIVE.discard(handle))
        handle.thread.finished.connect(self._on_finished)
        self._active = (handle, tag, cancelled)
        handle.start()

    def _wanted(self):
        return self._active is not None and not self._active[2][0]

    def _on_done(self, result):
        if self._wanted():
            self.done.emit(result, self._active[1])

    def _on_failed(self, error):
        if self._wanted():
            self.failed.emit(error, self._active[1])

    def _on_progress(self, values):
        if self._wanted():
            self.progress.emit(values, self._active[1])

    def _on_finished(self):
        self._active = None
        if self._pending is not None and not self._closed:
            self._start_next()
        else:
            self.idle.emit()
