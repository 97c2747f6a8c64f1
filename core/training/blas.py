"""How many threads the BLAS library (OpenBLAS/MKL) may use while training.

Measured on our 2-core machines (bench/bench_train.py --blas-threads): at MNIST sizes one BLAS
thread is as fast as two (about 200,000 samples/s either way), but with two threads and
*anything* else busy on the other core (the app's GUI thread, a second program) OpenBLAS's
spinning threads collapse to under 10,000 samples/s. One thread is the robust default;
DIGITLAB_BLAS_THREADS overrides it.
"""
import contextlib
import os
import threading

from threadpoolctl import threadpool_limits   # in requirements.txt (and a dependency of scikit-learn)


def training_blas_threads():
    """Thread count for training: $DIGITLAB_BLAS_THREADS if it is a positive integer, else 1."""
    try:
        value = int(os.environ.get("DIGITLAB_BLAS_THREADS", "1"))
    except ValueError:
        return 1
    return value if value >= 1 else 1


_lock = threading.Lock()
_users = 0          # blocks inside limited_blas_threads right now, in any thread
_limiter = None     # the threadpool_limits of the first of them


@contextlib.contextmanager
def limited_blas_threads(threads=None):
    """Limit the BLAS thread pool inside the block (process-wide, restored afterwards).

    The limit is process-wide, so concurrent blocks (two trainers racing in two threads) share
    it: the first one in sets it, the last one out restores the original. Nesting
    threadpool_limits per thread instead let the first racer to finish restore the original
    pool under the other, whose last batches then ran with more threads (and other rounding).
    """
    global _users, _limiter
    with _lock:
        if _users == 0:
            _limiter = threadpool_limits(limits=threads or training_blas_threads(), user_api="blas")
        _users += 1
    try:
        yield
    finally:
        with _lock:
            _users -= 1
            if _users == 0:
                _limiter.restore_original_limits()
                _limiter = None
