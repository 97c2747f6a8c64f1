"""SIGTERM ends a command as Ctrl-C does.

`kill PID`, a closing terminal session, a job scheduler's time limit or `timeout` send SIGTERM,
whose default action ends the process on the spot: a run record without its end marker, and the
temp file of a checkpoint or --out write left half-written. Raised as KeyboardInterrupt instead
(Terminated is one), it unwinds like Ctrl-C: atomic writes delete their temp files, the run
record is marked 'stopped' (core.records.writer.recorded_run), and the command exits with one
line.
"""
import contextlib
import signal
import threading


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived: handled wherever Ctrl-C is."""


def _raise_terminated(signum, frame):
    raise Terminated("terminated (SIGTERM)")


@contextlib.contextmanager
def sigterm_as_interrupt():
    """Within the block, SIGTERM raises Terminated in the main thread (the previous handler comes
    back afterwards). Elsewhere than the main thread, or where SIGTERM does not exist, nothing."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
