"""Reading the runs folder off the GUI thread: list_runs() reads every record's settings and
history (about 0.7 ms per record, so 75 ms for a hundred runs: too long for the GUI thread,
bench/bench_runs_panel.py). One listing at a time; a refresh asked for meanwhile runs after it,
so the table always ends up showing the folder as it was after the last change.
"""
from PyQt5.QtCore import QObject, pyqtSignal

from core.records.reader import list_runs
from gui.ground.errors import describe_error
from gui.ground.threads import JobWorker, ThreadHandle


class RunsLister(QObject):
    listed = pyqtSignal(list)     # RunSummary rows
    failed = pyqtSignal(str)      # the runs folder cannot be listed

    def __init__(self, parent=None):
        super().__init__(parent)
        self.handle = None
        self.again = False
        self.closed = False

    @property
    def busy(self):
        return self.handle is not None and self.handle.running

    def refresh(self):
        if self.closed:
            return
        if self.busy:
            self.again = True
            return
        self.again = False
        worker = JobWorker(lambda report, cancelled: list_runs())
        worker.done.connect(self._on_done)
        worker.failed.connect(lambda error: self.failed.emit(describe_error(error)))
        self.handle = ThreadHandle(worker)
        self.handle.thread.finished.connect(self._after)   # never drop a running QThread's handle
        self.handle.start()

    def _on_done(self, summaries):
        if not self.closed and not self.again:   # a newer listing follows: skip this one
            self.listed.emit(summaries)

    def _after(self):
        if self.again:
            self.refresh()

    def close(self, milliseconds=10000):
        self.closed = True
        return self.handle.wait(milliseconds) if self.handle is not None else True
