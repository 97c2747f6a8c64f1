"""How many threads the BLAS library (OpenBLAS/MKL) may use while training.

Measured on our 2-core machines (bench/bench_train.py --blas-threads): at MNIST sizes one BLAS
thread is as fast as two (about 200,000 samples/s either way), but with two threads and
*anything* else busy on the other core (the app's GUI thread, a second program) OpenBLAS's
spinning threads collapse to under 10,000 samples/s. One thread is the robust default;
DIGITLAB_BLAS_THREADS overrides it.
"""
import contextlib
import os

from threadpoolctl import threadpool_limits   # in requirements.txt (and a dependency of scikit-learn)


def training_blas_threads():
    """Thread count for training: $DIGITLAB_BLAS_THREADS if it is a positive integer, else 1."""
    try:
        value = int(os.environ.get("DIGITLAB_BLAS_THREADS", "1"))
    except ValueError:
        return 1
    return value if value >= 1 else 1


_process_limit = None   # the threadpoolctl limiter of limit_process_blas_threads (kept alive)


def limit_process_blas_threads(threads=None):
    """Limit the BLAS thread pool for the rest of the process (the desktop app does this at start).

    Why: with the GUI thread drawing on one core, OpenBLAS's second thread spins on the same two
    cores; the canvas's single-image prediction of the 16/32-filter default model then had a
    stroke-to-bars p95 of 16-19 ms instead of 13-14 ms (bench/bench_draw_latency.py), and every
    analysis in a worker thread took the GUI thread's core. Returns the thread count set."""
    global _process_limit
    count = threads or training_blas_threads()
    _process_limit = threadpool_limits(limits=count, user_api="blas")
    return count


@contextlib.contextmanager
def limited_blas_threads(threads=None):
    """Limit the BLAS thread pool inside the block (process-wide, restored afterwards)."""
    with threadpool_limits(limits=threads or training_blas_threads(), user_api="blas"):
        yield
