"""Preallocated growing arrays: the GUI appends one value per snapshot and plots a view.

Appending to a Python list and converting to an array on every redraw costs O(n) per frame;
these buffers double their capacity when full, so appends are amortised O(1) and ``view()``
is a free slice. Memory stays proportional to the number of snapshots (a few floats each).
"""
import numpy as np


class GrowingArray:
    """A 1-D float64 array that grows by doubling. ``view()`` -> (n,) read-only slice."""

    def __init__(self, capacity=1024, dtype=np.float64):
        self._data = np.empty(max(1, int(capacity)), dtype)
        self._size = 0

    def __len__(self):
        return self._size

    def append(self, value):
        if self._size == len(self._data):
            grown = np.empty(2 * len(self._data), self._data.dtype)
            grown[:self._size] = self._data
            self._data = grown
        self._data[self._size] = value
        self._size += 1

    def view(self):
        """The filled part, without copying (valid until the next append that grows)."""
        out = self._data[:self._size]
        out.flags.writeable = False
        return out

    def last(self, default=np.nan):
        return self._data[self._size - 1] if self._size else default

    def clear(self):
        self._size = 0


class EmaTracker:
    """Incremental bias-corrected EMA: O(1) per new point, recomputed only when alpha changes."""

    def __init__(self, alpha=0.9):
        self.alpha = alpha
        self.values = GrowingArray()
        self._acc = 0.0
        self._weight = 0.0

    def append(self, value):
        if np.isfinite(value):
            self._acc = self.alpha * self._acc + (1 - self.alpha) * value
            self._weight = self.alpha * self._weight + (1 - self.alpha)
        self.values.append(self._acc / self._weight if self._weight else np.nan)

    def recompute(self, raw, alpha):
        """Start over with a new alpha on the (n,) raw values seen so far."""
        self.alpha = alpha
        self.values.clear()
        self._acc = self._weight = 0.0
        for value in raw:
            self.append(value)

    def clear(self):
        self.values.clear()
        self._acc = self._weight = 0.0
