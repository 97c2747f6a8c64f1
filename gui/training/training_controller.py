"""Run control for the window: start, pause, resume, stop and the learning rate of the training
run, which trains in its own process (core.training_process). The window asks; this object does;
snapshots come back.

    controller.start(RunJob(config, dataset, ...))   # the dataset goes to shared memory, the job to the child
    controller.snapshot / failed / finished / recording / notice   # on the GUI thread

Commands go to the child through its RemoteControl (pause, resume, stop, learning rate); a reader
thread turns the child's messages into one queued signal, handled here on the GUI thread. The
window keeps the latest weights from the snapshots, so every view works on the model being
trained as before. A child that dies (killed, out of memory, a crash in BLAS) is told with its
exit code or signal; its run record stays, marked interrupted by its dead writer. Stop ends a run
within a second: a child still preparing its data is ended at once (nothing was trained), and one
that does not answer within STOP_GRACE_MS is ended too.
"""
import dataclasses
import math
import threading

from PyQt5.QtCore import QObject, QTimer, pyqtSignal

from core.training.fullbatch import LEARNING_RATE_NOTE
from core.training.snapshots import EndSnapshot
from core.training_process.parent import ChildRun
from core.training_process.shared_data import dataset_for_child, prepare
from gui.ground.crash_log import log_text

STOP_GRACE_MS = 2000   # a stopped child that has not ended by then is ended


class Run:
    """One training process as the controller sees it: the child and its state."""

    def __init__(self, child):
        self.child = child
        self.control = child.control
        self.start_info = None        # its StartSnapshot, once the child built the trainer
        self.got_end = False          # an EndSnapshot arrived
        self.ended = False            # the child's messages are all in (the process is gone)

    @property
    def running(self):
        return not self.ended

    def wait(self, milliseconds):
        """Join the process (the window is closing); True once it ended."""
        return self.child.wait(milliseconds / 1000)


class TrainingController(QObject):
    """At most one current run; runs let go of (Reset) end by themselves, their messages dropped."""

    snapshot = pyqtSignal(object)    # every snapshot of the current run (StartSnapshot first)
    failed = pyqtSignal(str, str)    # message, log file path ('' if none)
    finished = pyqtSignal()          # the current run's process ended
    recording = pyqtSignal(str, str)   # run id, record folder: the child made the run's record
    notice = pyqtSignal(str)         # recording failed; training goes on
    _message = pyqtSignal(object, object)   # (Run, message) from a reader thread

    def __init__(self, parent=None):
        super().__init__(parent)
        self.handle = None           # the current Run
        self._retired = set()
        self._message.connect(self._on_message)

    # ----- state -----------------------------------------------------------------------------
    @property
    def is_running(self):
        return self.handle is not None and self.handle.running

    @property
    def control(self):
        return self.handle.control if self.handle is not None else None

    @property
    def start_info(self):
        return self.handle.start_info if self.handle is not None else None

    @property
    def is_paused(self):
        return self.is_running and self.control.is_paused

    @property
    def retired_runs(self):
        """Runs let go of whose processes have not ended yet (for tests and shutdown)."""
        return frozenset(self._retired)

    @property
    def pid(self):
        """The current run's process id (tests and the log)."""
        return self.handle.child.process.pid if self.handle is not None else None

    # ----- commands ----------------------------------------------------------------------------
    @staticmethod
    def prepare(dataset):
        """Data was loaded: put it in shared memory now, in a background thread, so the first
        Start copies nothing (core.training_process.shared_data.prepare). Returns the thread."""
        return prepare(dataset)

    def start(self, job):
        """Train ``job`` (core.training_process.job.RunJob, its dataset a Dataset) in a new process."""
        if self.is_running:
            raise RuntimeError("a run is in progress")
        # shared memory made once per dataset and kept for its next runs (or the data itself)
        child = ChildRun.start(dataclasses.replace(job, dataset=dataset_for_child(job.dataset)))
        run = self.handle = Run(child)
        threading.Thread(target=self._read, args=(run,), name="digitlab-run-reader", daemon=True).start()
        return run

    def _read(self, run):   # a reader thread: every message, then ("ended",)
        for message in run.child.messages():
            self._message.emit(run, message)
        run.child.wait(5)
        self._message.emit(run, ("ended",))

    def toggle_pause(self):
        """Pause a running run, resume a paused one; returns True if now paused."""
        if not self.is_running:
            return False
        if self.control.is_paused:
            self.control.resume()
        else:
            self.control.pause()
        return self.control.is_paused

    def resume(self):
        if self.is_running:
            self.control.resume()

    def stop(self):
        """Ask the run to stop: it ends within a batch, also while paused, with reason 'stopped'.
        A run still preparing its data has trained nothing: its process is ended and the run
        ends here and now. A process that does not answer is ended after STOP_GRACE_MS."""
        if not self.is_running:
            return
        run = self.handle
        if run.start_info is None:
            self.let_go()
            run.child.kill()
            self.snapshot.emit(EndSnapshot(reason="stopped", message="Stopped before training started "
                                           "(the data was still being prepared).", step=0, epoch=0, elapsed=0.0,
                                           samples_per_second=0.0))
            self.finished.emit()
            return
        run.control.stop()
        QTimer.singleShot(STOP_GRACE_MS, lambda: run.ended or run.child.kill())

    def set_learning_rate(self, rate):
        """From the next batch on. Returns None, or why the rate does not apply (full-batch runs).
        ConfigError if the rate is not a positive number."""
        if not self.is_running:
            return None
        if self.start_info is not None and not self.start_info.uses_learning_rate:
            return LEARNING_RATE_NOTE
        self.control.set_learning_rate(rate)
        return None

    def let_go(self):
        """Stop the current run and forget it at once (Reset): it ends by itself; its remaining
        snapshots are dropped, so they cannot refill views that were just cleared."""
        if self.is_running:
            run = self.handle
            run.control.stop()
            self._retired.add(run)
            QTimer.singleShot(STOP_GRACE_MS, lambda: run.ended or run.child.kill())
        self.handle = None

    def shutdown(self, milliseconds=10000):
        """Stop every run and wait for its process (the window is closing); a process still there
        after ``milliseconds`` is ended. Leaves no process behind."""
        runs = [run for run in (self.handle, *self._retired) if run is not None and not run.ended]
        for run in runs:
            run.control.stop()
        ended = all(run.wait(milliseconds) for run in runs)
        for run in runs:
            run.child.kill()
        return ended

    # ----- from the child ----------------------------------------------------------------------
    def _on_message(self, run, message):
        kind = message[0]
        if kind == "ended":
            self._on_ended(run)
            return
        if run is not self.handle:
            return   # a run let go of: its news are dropped
        if kind == "snapshot":
            snapshot = message[1]
            if snapshot.kind == "start":
                run.start_info = snapshot
            elif snapshot.kind == "end":
                run.got_end = True
            elif snapshot.kind == "diverged":   # the loop paused itself and waits for a lower rate
                run.control.is_paused = run.control.waiting = True
            elif snapshot.kind == "batch" and run.control.waiting and not run.control.is_paused:
                run.control.waiting = False
            self.snapshot.emit(snapshot)
        elif kind == "failed":
            _, text, details = message
            path = log_text("the training run failed", details) if details else None
            self.failed.emit(text, str(path or ""))
        elif kind == "held":   # in order with the snapshots: none of the run's comes after this
            run.control.waiting = run.control.is_paused
        elif kind == "recording":
            self.recording.emit(message[1], message[2])
        elif kind == "notice":
            self.notice.emit(message[1])

    def _on_ended(self, run):
        run.ended = True
        self._retired.discard(run)
        if run is not self.handle:
            return
        if not run.child.ended_cleanly and not run.got_end:
            how = run.child.exit_description()
            path = log_text("the training process ended unexpectedly", f"pid {run.child.process.pid}: {how}")
            self.failed.emit(f"The training process ended unexpectedly ({how}). What it trained up to its "
                             f"last checkpoint is kept in its run record.", str(path or ""))
        self.finished.emit()


def snapshot_interval(config, n_examples):
    """Batches between snapshots: the trainer's default (20) on big data, but about ten points
    per epoch on small sets, so a 1,300-image run does not show a single dot."""
    n_val = config.val_split if config.val_split > 1 else round(config.val_split * n_examples)
    batches = max(1, math.ceil(max(1, n_examples - n_val) / config.batch_size))
    return int(min(config.snapshot_every, max(1, batches // 10)))
