"""The app starts with one BLAS thread (core/training/blas.py): OpenBLAS's spinning second thread
would take the GUI thread's core on a 2-core machine."""
from threadpoolctl import threadpool_info

from core.training.blas import limit_process_blas_threads
from gui.shell.app import create_app


def blas_threads():
    return {pool["num_threads"] for pool in threadpool_info() if pool["user_api"] == "blas"}


def test_the_app_limits_blas_threads_for_the_whole_process(qapp, monkeypatch):
    monkeypatch.setenv("DIGITLAB_BLAS_THREADS", "2")
    try:
        limit_process_blas_threads()
        assert blas_threads() == {2}
        monkeypatch.delenv("DIGITLAB_BLAS_THREADS")
        assert create_app() is qapp
        assert blas_threads() == {1}          # the default, set by the app's start
    finally:
        limit_process_blas_threads(1)
