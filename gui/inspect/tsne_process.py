"""t-SNE in a child process: the map's t-SNE never competes with the window for the GIL.

scikit-learn's t-SNE spends long stretches in code that keeps the GIL; in a thread it made the
window's event loop stall for 100 ms and more on our 2-core machines (bench_gui.py --map), and
it can only be cancelled between stages (seconds). In a child process the window and the
training thread share nothing with it, and Cancel ends it at once (terminate).

    layout = tsne_in_process(features, progress=report, cancelled=is_cancelled)

Called from a worker thread, which waits on the child's queue (waiting releases the GIL). The
child is spawned, not forked: forking a process that runs Qt and other threads is unsafe.
A spawned child imports the parent's main script again (as __mp_main__): scripts that open the
map must keep their work under ``if __name__ == "__main__":`` (main.py and bench/ do).
"""
import multiprocessing
import os
import queue as queues

import numpy as np

from core.analysis.embedding import Cancelled, tsne_map
from core.errors import DigitLabError

POLL_SECONDS = 0.05


def _child(features, out):
    """Runs in the child: stage progress and the layout (or the error's text) on the queue.
    At a lower priority: on a 2-core machine the window and the training come first."""
    if hasattr(os, "nice"):
        os.nice(10)
    try:
        layout = tsne_map(features, progress=lambda done: out.put(("progress", done)))
        out.put(("done", layout))
    except Exception as error:     # the parent shows the message; the child just ends
        out.put(("error", f"{type(error).__name__}: {error}"))


def tsne_in_process(features, progress=None, cancelled=None):
    """(n, 2) t-SNE layout of features (n, d), computed by core.analysis.embedding.tsne_map in
    a spawned child. progress(fraction) after each stage; Cancelled when cancelled() turns
    True (the child is terminated within POLL_SECONDS)."""
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=_child, args=(np.asarray(features, np.float32), out), daemon=True,
                            name="digitlab-tsne")
    child.start()
    try:
        while True:
            if cancelled is not None and cancelled():
                raise Cancelled("t-SNE was cancelled")
            try:
                kind, value = out.get(timeout=POLL_SECONDS)
            except queues.Empty:
                if not child.is_alive() and out.empty():
                    raise DigitLabError(f"the t-SNE process ended unexpectedly (exit code {child.exitcode})")
                continue
            if kind == "progress":
                if progress is not None:
                    progress(value)
            elif kind == "done":
                return np.asarray(value, np.float64)
            else:
                raise DigitLabError(f"t-SNE failed: {value}")
    finally:
        if child.is_alive():
            child.terminate()
        child.join(5)
        out.close()
        out.join_thread()
