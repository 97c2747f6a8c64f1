"""A Dataset in shared memory, so a training process gets MNIST without 47 MB through a pipe.

    shared = SharedDataset.create(dataset)     # parent: copies the arrays once into shared memory
    job.dataset = shared.ref                   # a small picklable reference (names, shapes, dtypes)
    dataset, keep = attach(job.dataset)        # child: the same arrays, no copy (keep ``keep`` alive)
    shared.release()                           # parent, once the child has ended

The parent owns the memory: it creates and unlinks it; a child only attaches. (A spawned child
shares the parent's resource tracker, so its attaching registers nothing new, and the tracker
unlinks a block the parent left only when the parent itself is gone.)
"""
import atexit
import os
import threading
import weakref
from dataclasses import dataclass, fields
from multiprocessing import shared_memory

import numpy as np

from core.data.dataset import Dataset

ARRAYS = ("train_images", "train_labels", "test_images", "test_labels")


@dataclass(frozen=True)
class DatasetRef:
    """What a child needs to see the parent's dataset: the blocks' names, shapes, dtypes, and the
    dataset's other (small) fields."""
    blocks: dict          # array name -> (shared memory name, shape, dtype string)
    others: dict          # the Dataset's other fields (name, class_names, source, ...)


class SharedDataset:
    def __init__(self, ref, memories):
        self.ref, self._memories = ref, memories

    @classmethod
    def create(cls, dataset):
        blocks, memories = {}, []
        try:
            for name in ARRAYS:
                array = np.ascontiguousarray(getattr(dataset, name))
                memory = shared_memory.SharedMemory(create=True, size=max(1, array.nbytes))
                memories.append(memory)
                np.ndarray(array.shape, array.dtype, buffer=memory.buf)[...] = array
                blocks[name] = (memory.name, array.shape, array.dtype.str)
        except BaseException:
            for memory in memories:
                memory.close()
                memory.unlink()
            raise
        others = {f.name: getattr(dataset, f.name) for f in fields(dataset) if f.name not in ARRAYS}
        return cls(DatasetRef(blocks, others), memories)

    def release(self):
        """Free the memory (children that still map it keep their mapping until they exit)."""
        memories, self._memories = self._memories, []
        for memory in memories:
            try:
                memory.close()
                memory.unlink()
            except (FileNotFoundError, BufferError):
                pass


_SHARED = weakref.WeakKeyDictionary()   # Dataset -> its SharedDataset, while both live
_LOCK = threading.Lock()                 # one maker at a time (a preparing thread and Start)
_RETIRED = []                            # SharedDatasets whose dataset is gone, not yet released


def _retire(shared):
    """A dataset was freed. Called by its finalizer, possibly inside a garbage collection that
    interrupted code holding multiprocessing's resource-tracker lock (a plain Lock in Python
    3.11): unlinking here would take that lock again and hang the thread for ever. So only a
    note is made; release_retired frees the memory on an ordinary path."""
    _RETIRED.append(shared)


def release_retired():
    """Release the shared memory of every dataset freed since the last call."""
    while _RETIRED:
        try:
            shared = _RETIRED.pop()
        except IndexError:   # another thread took the last one
            return
        shared.release()


def dataset_for_child(dataset):
    """What a RunJob carries for ``dataset``: a DatasetRef to shared memory, or, where shared
    memory has no room for it (a container's 64 MB /dev/shm: writing past it would kill the
    window with SIGBUS), the Dataset itself, pickled through the pipe (slower, but it works)."""
    shared = shared_for(dataset)
    return shared.ref if shared is not None else dataset


def has_room(nbytes, folder="/dev/shm"):
    """Whether POSIX shared memory has room for nbytes (True where it cannot be told)."""
    try:
        stats = os.statvfs(folder)
    except (AttributeError, OSError):   # Windows, or no /dev/shm: its shared memory is the page file
        return True
    return stats.f_bavail * stats.f_frsize > 1.2 * nbytes


def shared_for(dataset):
    """The dataset's SharedDataset, made at its first run and kept while the dataset lives: the
    next runs (and both racers) start without copying 55 MB (30 ms of the window's time at every
    Start). Released after the dataset is freed (at the next call: release_retired), and at exit.
    None when there is no room."""
    release_retired()
    with _LOCK:
        shared = _SHARED.get(dataset)
        if shared is None:
            if not has_room(sum(getattr(dataset, name).nbytes for name in ARRAYS)):
                return None
            shared = _SHARED[dataset] = SharedDataset.create(dataset)
            weakref.finalize(dataset, _retire, shared)
        return shared


def is_prepared(dataset):
    """Whether ``dataset`` is in shared memory already (its next Start copies nothing)."""
    return dataset in _SHARED


def prepare(dataset):
    """Put ``dataset`` in shared memory in a background thread (the window calls this when data
    is loaded): copying 55 MB held the window 50-100 ms at the first Start, and the copy releases
    the GIL, so in a thread it costs the window nothing. Start (shared_for) waits for a
    preparation still under way. Returns the thread."""
    def make():
        try:
            shared_for(dataset)
        except (OSError, MemoryError):   # no shared memory to be had: Start says so, or uses the pipe
            pass
    thread = threading.Thread(target=make, name="digitlab-share-data", daemon=True)
    thread.start()
    return thread


@atexit.register
def _release_all():
    release_retired()
    for shared in list(_SHARED.values()):
        shared.release()


def attach(ref):
    """(Dataset whose arrays are views of the shared blocks, [SharedMemory] to keep open while
    the arrays are used). Read-only: the child never writes the parent's data."""
    arrays, memories = {}, []
    for name, (memory_name, shape, dtype) in ref.blocks.items():
        memory = shared_memory.SharedMemory(name=memory_name)
        memories.append(memory)
        array = np.ndarray(shape, np.dtype(dtype), buffer=memory.buf)
        array.flags.writeable = False
        arrays[name] = array
    return Dataset(**arrays, **ref.others), memories
