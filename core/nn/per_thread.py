"""Scratch space of which each thread has its own, and which is never pickled.

The window's workers read the model being trained from several threads at once (the evidence
map, Fool it, the calibration, the unit list), and snapshots carry networks across the process
boundary. Work buffers kept on a shared object let one thread overwrite another's (4-8% of
answers changed); pickled, they come back as stale copies.

    scratch = PerThread(dict)      # in __init__
    buffers = scratch.get()        # this thread's dict, made on first use
"""
import threading


class PerThread:
    """A value made by ``make()`` the first time each thread asks; pickles as ``make`` alone
    (``make`` must be picklable: a class or a module-level function)."""

    def __init__(self, make):
        self._make = make
        self._local = threading.local()

    def get(self):
        value = getattr(self._local, "value", None)
        if value is None:
            value = self._local.value = self._make()
        return value

    def __getstate__(self):
        return {"make": self._make}

    def __setstate__(self, state):
        self.__init__(state["make"])
