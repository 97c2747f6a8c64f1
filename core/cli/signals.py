"""SIGTERM ends a command as Ctrl-C does, and neither can be lost inside a training run.

`kill PID`, a closing terminal session, a job scheduler's time limit or `timeout` send SIGTERM,
whose default action ends the process on the spot: a run record without its end marker, and the
temp file of a checkpoint or --out write left half-written. Raised as KeyboardInterrupt instead
(Terminated is one), it unwinds like Ctrl-C: atomic writes delete their temp files, the run
record is marked 'stopped' (core.records.writer.recorded_run), and the command exits with one
line.

An exception raised from a signal handler can land anywhere, also in a finalizer (a ZipFile's
__del__ while a checkpoint is written), where Python prints "Exception ignored" and goes on: the
run then trained to its end as if nothing had happened. So while a training run is going
(``stop_runs_on_signal``), SIGTERM and SIGINT only ask the run to stop (its RunControl, checked
between batches) and remember the signal; the command raises Terminated at a safe point
(``raise_if_signalled``), after the run has ended and its record is marked 'stopped'. A second
signal while the first is being handled raises at once.
"""
import contextlib
import signal
import threading

_stop_callbacks = []     # what to call on a signal while a run goes (RunControl.stop)
_received = []           # the signals received while a run went, not yet raised


class Terminated(KeyboardInterrupt):
    """SIGTERM (or Ctrl-C) arrived: handled wherever Ctrl-C is."""


def _name(signum):
    return "SIGTERM" if signum == getattr(signal, "SIGTERM", None) else "Ctrl-C"


def _on_signal(signum, frame):
    if _stop_callbacks and not _received:
        _received.append(signum)
        for stop in list(_stop_callbacks):
            stop()   # a flag the loop reads between batches: safe in a signal handler
        return
    _received.clear()
    raise Terminated(f"terminated ({_name(signum)})")


def raise_if_signalled():
    """Raise Terminated if a signal asked a run to stop (call at a safe point, after the run)."""
    if _received:
        signum = _received.pop()
        _received.clear()
        raise Terminated(f"terminated ({_name(signum)})")


@contextlib.contextmanager
def stop_runs_on_signal(stop):
    """Within the block, SIGTERM and Ctrl-C call ``stop()`` (a run's RunControl.stop) instead of
    raising; the caller calls raise_if_signalled() once the run has ended."""
    _stop_callbacks.append(stop)
    try:
        yield
    finally:
        _stop_callbacks.remove(stop)


@contextlib.contextmanager
def sigterm_as_interrupt():
    """Within the block, SIGTERM raises Terminated in the main thread, and so does Ctrl-C, except
    inside stop_runs_on_signal (see the module doc); the previous handlers come back afterwards.
    Elsewhere than the main thread, or where SIGTERM does not exist, nothing."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "SIGTERM"):
        yield
        return
    previous = {signum: signal.signal(signum, _on_signal) for signum in (signal.SIGTERM, signal.SIGINT)}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        _received.clear()
