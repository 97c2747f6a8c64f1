"""Training batches prepared ahead in one background thread, in exactly the order the loop takes them.

Why: data augmentation (core.data.augment) costs a good part of a small CNN's training step
(bench/bench_augment.py), and the machines we target have two cores or more. NumPy releases the
GIL in the heavy parts (random numbers, the smoothing GEMMs, gathers, element-wise arithmetic),
so one producer thread augmenting batch k+1 while the training thread computes batch k can hide
most of that cost, given a free core; on a machine whose cores are all busy it cannot (the
benchmark shows both).

Why results do not change: the producer is the only user of the augmenter (and so of its random
Generator), and it prepares the batches strictly in the order they were planned, which is the
order the loop takes them. The draws are therefore the same, batch for batch, as when the loop
augments inline; ``take`` checks that each prepared batch is the one the loop asks for.

    prefetcher = BatchPrefetcher(prepare)            # prepare: indices (n,) -> a batch, any object
    prefetcher.plan(index_batches)                   # e.g. one epoch's batches, in order
    batch = prefetcher.take(index_batches[0])        # blocks until prepared; producer errors re-raise here
    prefetcher.close()                               # the thread ends (also: ``with BatchPrefetcher(...)``)

The queue is bounded (``depth`` prepared batches waiting, plus the one being prepared), so the
producer sleeps on a Condition while the loop is paused or slow; ``close`` wakes and ends it.
"""
import collections
import threading

import numpy as np

from core.errors import DigitLabError

DEFAULT_DEPTH = 3            # batches prepared ahead: enough to ride out one slow batch, a few hundred KB
THREAD_NAME = "digitlab-batch-prefetch"
JOIN_SECONDS = 5.0           # close() waits this long for a batch being prepared (a few ms normally)


class PrefetchError(RuntimeError):
    """Preparing a batch failed in the producer thread (the original is the __cause__)."""


class BatchPrefetcher:
    """Runs ``prepare(indices)`` for each planned batch in one background thread.

    prepare: function (indices (n,) int array) -> prepared batch; runs in the producer thread
    only, one batch after the other in plan order. depth: how many prepared batches may wait.
    """

    def __init__(self, prepare, depth=DEFAULT_DEPTH):
        if depth < 1:
            raise ValueError(f"depth must be at least 1 (got {depth})")
        self._prepare, self._depth = prepare, depth
        self._condition = threading.Condition()
        self._planned = collections.deque()     # (ordinal, indices) not yet started
        self._ready = collections.deque()       # (ordinal, indices, batch) prepared, not yet taken
        self._preparing = False
        self._waiting = False                   # the producer sleeps in wait()
        self._error = None                      # (ordinal, exception) from the producer
        self._closed = False
        self._planned_count = 0                 # ordinals: the n-th batch ever planned (for messages)
        self._thread = None

    # ----- the consumer's side (the training loop's thread) -----------------------------------
    def plan(self, index_batches):
        """Queue batches (an iterable of index arrays) to prepare after those already planned."""
        with self._condition:
            if self._closed:
                raise RuntimeError("this prefetcher is closed")
            for indices in index_batches:
                self._planned_count += 1
                self._planned.append((self._planned_count, indices))
            if self._thread is None:
                self._thread = threading.Thread(target=self._produce, name=THREAD_NAME, daemon=True)
                self._thread.start()
            self._condition.notify_all()

    def take(self, indices):
        """The next prepared batch, which must have been planned for ``indices`` (n,).

        Blocks while it is being prepared. An exception raised by ``prepare`` for this batch is
        raised here: DigitLabError and MemoryError as they are (they already carry a message for
        the user), anything else as PrefetchError naming the batch, with the original as cause.
        """
        with self._condition:
            self._condition.wait_for(self._can_take)
            if self._ready:
                ordinal, planned_indices, batch = self._ready.popleft()
                self._condition.notify_all()    # room for the producer
            elif self._error is not None:
                ordinal, error = self._error
                if isinstance(error, (DigitLabError, MemoryError)):
                    raise error
                raise PrefetchError(f"preparing training batch {ordinal:,} in the background failed: "
                                    f"{type(error).__name__}: {error}") from error
            elif self._closed:
                raise RuntimeError("this prefetcher is closed")
            else:
                raise RuntimeError("take() was called for a batch that was never planned")
        if not np.array_equal(planned_indices, indices):
            raise RuntimeError(f"batch {ordinal} was prepared for other rows than the loop asks for: the plan and "
                               f"the loop's batch order differ")
        return batch

    def close(self):
        """Forget what is planned or prepared and end the producer thread (waits for the batch
        being prepared, normally a few milliseconds). Safe to call more than once."""
        with self._condition:
            self._closed = True
            self._planned.clear()
            self._ready.clear()
            self._condition.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(JOIN_SECONDS)

    @property
    def running(self):
        """True while the producer thread is alive."""
        return self._thread is not None and self._thread.is_alive()

    def wait_until_idle(self, timeout=None):
        """Block until the producer sleeps, waiting for work or for room in the queue (it uses no
        CPU then), or has ended; False if the timeout (seconds) ran out first. For tests."""
        with self._condition:
            return self._condition.wait_for(lambda: self._idle_now() or self._error is not None or self._closed,
                                            timeout)

    @property
    def prepared(self):
        """How many prepared batches wait to be taken (at most ``depth``)."""
        with self._condition:
            return len(self._ready)

    def __enter__(self):
        return self

    def __exit__(self, *exc_info):
        self.close()

    def _can_take(self):
        # a batch is there, or will never come (failure, closed, nothing planned or in progress)
        return bool(self._ready) or self._error is not None or self._closed or not (self._planned or self._preparing)

    # ----- the producer thread -------------------------------------------------------------
    def _has_work(self):
        return self._closed or (bool(self._planned) and len(self._ready) < self._depth)

    def _idle_now(self):
        # waiting, and nothing has woken it yet (a take() that made room sets no flag of its own)
        return self._waiting and not self._has_work()

    def _produce(self):
        while True:
            with self._condition:
                while not self._has_work():    # nothing planned, or the queue is full (a paused loop)
                    self._waiting = True
                    self._condition.notify_all()
                    self._condition.wait()
                self._waiting = False
                if self._closed:
                    return
                ordinal, indices = self._planned.popleft()
                self._preparing = True
            try:
                batch = self._prepare(indices)
            except BaseException as error:   # handed to the consumer, who raises it in the loop's thread
                with self._condition:
                    self._error, self._preparing = (ordinal, error), False
                    self._planned.clear()
                    self._condition.notify_all()
                return
            with self._condition:
                self._preparing = False
                if not self._closed:
                    self._ready.append((ordinal, indices, batch))
                self._condition.notify_all()
