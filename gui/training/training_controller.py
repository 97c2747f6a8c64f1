"""Run control for the window: start, pause, resume, stop and the learning rate of the training
run, the worker and its QThread. The window asks; this object does; snapshots come back.

Commands reach the training loop through the run's RunControl (core.training.run_control), the
one thread-safe channel in. It exists before the trainer does, so whatever the user does while
the worker still prepares the data (a stop, a new learning rate) is simply there when the loop
starts. Data comes back only as snapshots (``snapshot``), the first a StartSnapshot.
"""
import math

from PyQt5.QtCore import QObject, pyqtSignal

from core.training.fullbatch import LEARNING_RATE_NOTE
from core.training.run_control import RunControl
from core.training.snapshots import EndSnapshot
from gui.ground.threads import ThreadHandle, TrainingWorker


class TrainingController(QObject):
    """At most one current run; runs let go of (Reset) are kept alive until their thread ends
    (PyQt must not destroy a running QThread), and their signals are dropped."""

    snapshot = pyqtSignal(object)    # every snapshot of the current run (StartSnapshot first)
    failed = pyqtSignal(str, str)    # message, log file path ('' if none)
    finished = pyqtSignal()          # the current run's thread ended

    def __init__(self, parent=None):
        super().__init__(parent)
        self.handle = None           # ThreadHandle of the current run
        self.control = None          # its RunControl
        self.start_info = None       # its StartSnapshot, once the worker built the trainer
        self._retired = set()

    # ----- state -----------------------------------------------------------------------------
    @property
    def is_running(self):
        return self.handle is not None and self.handle.running

    @property
    def is_paused(self):
        return self.is_running and self.control.is_paused

    @property
    def retired_runs(self):
        """Runs let go of whose threads have not ended yet (for tests and shutdown)."""
        return frozenset(self._retired)

    # ----- commands ----------------------------------------------------------------------------
    def start(self, make_trainer, begin=None):
        """Build (make_trainer(), in the worker thread) and run a trainer; returns the handle.
        begin(trainer) -> snapshots, also in the worker thread: what to iterate instead of
        trainer.run() (the run record's recorded_run)."""
        if self.is_running:
            raise RuntimeError("a run is in progress")
        control = RunControl()
        worker = TrainingWorker(make_trainer, control, begin)
        handle = ThreadHandle(worker)
        self.handle, self.control, self.start_info = handle, control, None
        worker.snapshot.connect(self._if_current(handle, self._on_snapshot))
        worker.failed.connect(self._if_current(handle, self.failed.emit))
        handle.thread.finished.connect(lambda: self._on_thread_finished(handle))
        return handle.start()

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
        """Ask the run to stop, without waiting: it ends within a batch (or a cost evaluation),
        also while paused, with reason 'stopped'.

        A run still preparing its data (make_trainer can take seconds, e.g. downscaling all of
        MNIST for ex4) cannot be interrupted, and nothing has been trained yet: it is let go of
        (it ends by itself as soon as it is built, without a step) and the run ends here and now.
        """
        if not self.is_running:
            return
        if self.start_info is not None:
            self.control.stop()
            return
        self.let_go()
        self.snapshot.emit(EndSnapshot(reason="stopped", message="Stopped before training started "
                                       "(the data was still being prepared).", step=0, epoch=0, elapsed=0.0,
                                       samples_per_second=0.0))
        self.finished.emit()

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
            self.control.stop()
            self._retired.add(self.handle)
        self.handle = self.control = self.start_info = None

    def shutdown(self, milliseconds=10000):
        """Stop every run and join their threads (the window is closing). A running loop ends
        within a batch; one still preparing its data first finishes building (a few seconds at
        most), hence the generous timeout."""
        runs = [h for h in (self.handle, *self._retired) if h is not None and h.running]
        for handle in runs:
            handle.worker.control.stop()
        return all(handle.wait(milliseconds) for handle in runs)

    # ----- from the worker ----------------------------------------------------------------------
    def _if_current(self, handle, slot):
        """``slot``, but only while ``handle`` is the current run. (The signals are queued, so a
        disconnect would not drop the ones already posted.)"""
        def call(*args):
            if self.handle is handle:
                slot(*args)
        return call

    def _on_snapshot(self, snapshot):
        if snapshot.kind == "start":
            self.start_info = snapshot
        self.snapshot.emit(snapshot)

    def _on_thread_finished(self, handle):
        self._retired.discard(handle)
        if self.handle is handle:
            self.finished.emit()


def snapshot_interval(config, n_examples):
    """Batches between snapshots: the trainer's default (20) on big data, but about ten points
    per epoch on small sets, so a 1,300-image run does not show a single dot."""
    n_val = config.val_split if config.val_split > 1 else round(config.val_split * n_examples)
    batches = max(1, math.ceil(max(1, n_examples - n_val) / config.batch_size))
    return int(min(config.snapshot_every, max(1, batches // 10)))
