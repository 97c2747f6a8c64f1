"""A training run in its own process: commands go in, snapshots come out.

    run = ChildRun.start(job)            # spawns the process (the "spawn" method on every OS)
    run.control.pause() / .resume() / .stop() / .set_learning_rate(0.05)
    for message in run.messages():       # in a reader thread: ("snapshot", s), ("recording", id, dir),
        ...                              # ("notice", text), ("failed", text, traceback), ("done",)
    run.exit_description()               # "exit code 1", "killed by signal 9", ... once it ended
    run.kill()                           # a child that does not answer

Why a process: the window's thread and the loop shared one GIL, so every curve redraw stalled the
loop and every step stalled the window; a crash in the loop (a MemoryError, a segfault in BLAS)
could take the window with it. The child gets the data through shared memory
(core.training_process.shared_data), builds its trainer with core.training_process.job.build_trainer (the
command line's code path), records the run itself (core.records) and sends every snapshot.

The protocol is one duplex pipe: the parent sends the RunJob, then commands; the child sends
messages. A parent that goes away closes the pipe: the child stops at its next batch.
"""
import multiprocessing
import signal
import threading

from core.training.run_control import RunControl
from core.training_process.child import child_main

CONTEXT = multiprocessing.get_context("spawn")


class RemoteControl:
    """The parent's side of a RunControl: the same calls, sent to the child; the flags kept here
    so the window can ask "paused?" without a round trip."""

    def __init__(self, connection):
        self._connection, self._lock = connection, threading.Lock()
        self.is_paused = self.stop_requested = False
        self.waiting = False           # the child said its loop is held by the pause ("held")
        self.learning_rate = None

    def _send(self, *command):
        with self._lock:
            try:
                self._connection.send(command)
            except (OSError, ValueError):   # the child has ended (or the pipe is closed): nothing to tell
                pass

    def pause(self):
        self.is_paused = True
        self._send("pause")

    def resume(self):
        self.is_paused = self.waiting = False
        self._send("resume")

    def stop(self):
        self.stop_requested, self.is_paused, self.waiting = True, False, False
        self._send("stop")

    def set_learning_rate(self, rate):
        RunControl().set_learning_rate(rate)   # the same checks (ConfigError) before anything is sent
        self.learning_rate = float(rate)
        self._send("rate", float(rate))


class ChildRun:
    def __init__(self, process, connection):
        self.process, self.connection = process, connection
        self.control = RemoteControl(connection)
        self.ended_cleanly = False     # the child said "done" (else it died)

    @classmethod
    def start(cls, job):
        parent_end, child_end = CONTEXT.Pipe(duplex=True)
        process = CONTEXT.Process(target=child_main, args=(child_end,), name="digitlab-training", daemon=True)
        process.start()
        child_end.close()   # only the child holds it now: its death closes the pipe (EOF here)
        parent_end.send(job)
        return cls(process, parent_end)

    @property
    def running(self):
        return self.process.is_alive()

    def messages(self):
        """Every message until the child ends (blocking; for a reader thread)."""
        while True:
            try:
                message = self.connection.recv()
            except (EOFError, OSError):
                return
            if message[0] == "done":
                self.ended_cleanly = True
            yield message

    def wait(self, seconds=None):
        self.process.join(seconds)
        return not self.process.is_alive()

    def kill(self):
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)

    def exit_description(self):
        code = self.process.exitcode
        if code is None:
            return "still running"
        if code < 0:
            try:
                name = signal.Signals(-code).name
            except ValueError:
                name = f"signal {-code}"
            return f"killed by {name} (signal {-code})"
        return f"exit code {code}"

    def close(self):
        self.connection.close()
