"""Drive a trainer's run() in a thread and wait for what it reports, without polling: every
snapshot notifies a Condition, and waits are condition waits with a timeout."""
import threading


class ThreadedRun:
    """snapshots: every snapshot so far; wait_for(predicate) returns once predicate() holds after
    a snapshot (or the run ended), failing the test after ``timeout`` seconds."""

    def __init__(self, trainer):
        self.trainer, self.snapshots, self.ended = trainer, [], False
        self._condition = threading.Condition()
        self.thread = threading.Thread(target=self._work, daemon=True)
        self.thread.start()

    def _work(self):
        try:
            for snapshot in self.trainer.run():
                with self._condition:
                    self.snapshots.append(snapshot)
                    self._condition.notify_all()
        finally:
            with self._condition:
                self.ended = True
                self._condition.notify_all()

    def wait_for(self, predicate, timeout=10.0):
        with self._condition:
            assert self._condition.wait_for(lambda: predicate() or self.ended, timeout), "timed out"
        assert predicate(), "the run ended first"
