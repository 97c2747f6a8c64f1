"""The one way to steer a running training loop from another thread: pause, resume, stop and a
new learning rate. Data never flows back through here; the loop reports through snapshots.

All state sits under one Condition, so every method is safe from any thread, and the rules that
make Stop reliable hold whatever the order of calls:

* stop() wins over everything: once stopped, pause() does nothing and wait_while_paused()
  returns at once. (The loop pauses itself after a divergence; a stop that arrives just before
  that pause used to be undone by it, leaving the loop waiting forever.)
* a waiting loop wakes the moment resume() or stop() is called (notify_all, no polling).
"""
import math
import threading
import time

from core.errors import ConfigError


class RunControl:
    """Commands for one training run. ``learning_rate`` is the base rate the loop should use
    from its next step (the schedule still multiplies it); None until someone sets one."""

    def __init__(self, learning_rate=None):
        self._condition = threading.Condition()
        self._paused = False
        self._stopped = False
        self._waiting = False
        self._learning_rate = None if learning_rate is None else self._checked(learning_rate)

    # ----- commands (any thread) ------------------------------------------------------------
    def pause(self):
        """Hold the loop at its next check. Ignored once a stop was requested."""
        with self._condition:
            if not self._stopped:
                self._paused = True

    def resume(self):
        with self._condition:
            self._paused = False
            self._condition.notify_all()

    def stop(self):
        """End the run at the loop's next check, also when it is paused (it wakes up)."""
        with self._condition:
            self._stopped = True
            self._paused = False
            self._condition.notify_all()

    def set_learning_rate(self, learning_rate):
        """New base learning rate from the next step on; ConfigError if not a positive number."""
        rate = self._checked(learning_rate)
        with self._condition:
            self._learning_rate = rate

    # ----- what the loop (and the GUI) read ---------------------------------------------------
    @property
    def is_paused(self):
        with self._condition:
            return self._paused

    @property
    def stop_requested(self):
        with self._condition:
            return self._stopped

    @property
    def waiting(self):
        """True while the loop is held in wait_while_paused (the pause has taken effect)."""
        with self._condition:
            return self._waiting

    def wait_until_held(self, timeout=None):
        """Block until the loop is held by a pause (or the run was stopped); True unless the
        timeout (seconds) ran out first. For a caller that must act only once nothing runs."""
        with self._condition:
            return self._condition.wait_for(lambda: self._waiting or self._stopped, timeout)

    @property
    def learning_rate(self):
        with self._condition:
            return self._learning_rate

    def wait_while_paused(self):
        """Block while paused (not once stopped); returns the seconds spent waiting, which the
        loop leaves out of its training time."""
        with self._condition:
            if not self._paused or self._stopped:
                return 0.0
            started = time.perf_counter()
            self._waiting = True
            self._condition.notify_all()   # wakes wait_until_held
            try:
                self._condition.wait_for(lambda: not self._paused or self._stopped)
            finally:
                self._waiting = False
            return time.perf_counter() - started

    @staticmethod
    def _checked(learning_rate):
        try:
            rate = float(learning_rate)
        except (TypeError, ValueError):
            rate = math.nan
        if not (rate > 0 and math.isfinite(rate)):
            raise ConfigError(f"learning rate must be a positive number (got {learning_rate})")
        return rate
