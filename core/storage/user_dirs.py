"""The user's folders for DigitLab (data, cache, logs, settings, run records), from platformdirs.

Every folder can be moved by an environment variable, which tests use so they never touch the
real user's home: DIGITLAB_DATA (MNIST itself), DIGITLAB_HOME (all of DigitLab's user folders
under one root, e.g. a portable install), and the XDG_* variables that platformdirs honours on
Linux. Nothing here creates a folder: callers create what they write into.
"""
import os
from pathlib import Path

import platformdirs

APP_NAME = "digitlab"


def _home_override(*parts):
    root = os.environ.get("DIGITLAB_HOME", "").strip()
    return Path(root).expanduser().joinpath(*parts) if root else None


def _dirs():
    # appauthor=False: no vendor folder on Windows (%LOCALAPPDATA%\digitlab, not ...\digitlab\digitlab)
    return platformdirs.PlatformDirs(APP_NAME, appauthor=False)


def user_data_dir() -> Path:
    """Where DigitLab keeps what the user makes: run records, My digits, downloaded MNIST."""
    return _home_override("data") or Path(_dirs().user_data_dir)


def user_cache_dir() -> Path:
    """Caches that can be rebuilt at any time (the MNIST .npy cache)."""
    return _home_override("cache") or Path(_dirs().user_cache_dir)


def user_log_dir() -> Path:
    """The app's log files (unexpected errors with their tracebacks)."""
    return _home_override("logs") or Path(_dirs().user_log_dir)


def user_config_dir() -> Path:
    """Settings the user chose (the app's window layout and form values)."""
    return _home_override("config") or Path(_dirs().user_config_dir)


def runs_dir() -> Path:
    """One folder per recorded training run."""
    return user_data_dir() / "runs"


def my_digits_dir() -> Path:
    """The user's own drawn digits, kept as a dataset."""
    return user_data_dir() / "my_digits"


def my_drawings_dir() -> Path:
    """The user's My drawings projects, one folder each (core.data.my_drawings)."""
    return user_data_dir() / "my_drawings"


def default_mnist_dir() -> Path:
    """Where a downloaded MNIST goes when DIGITLAB_DATA does not say otherwise."""
    return user_data_dir() / "mnist"


def lessons_dir() -> Path:
    """The user's own lessons (a teacher's .md files); listed beside the shipped ones."""
    return user_data_dir() / "lessons"
