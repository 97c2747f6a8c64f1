"""Small shared helpers for the GUI tests (real windows, real data)."""
import dataclasses

from core.data.datasets import load_digits

_DIGITS = None


def digits():
    """The built-in 8x8 digits (loaded once per test session; it is read-only data)."""
    global _DIGITS
    if _DIGITS is None:
        _DIGITS = load_digits()
    return _DIGITS


def make_window(qtbot, dataset=None, **form):
    """A shown MainWindow with the dataset set and form fields filled (by attribute name)."""
    from gui.shell.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.set_dataset(dataset or digits())
    config = dataclasses.replace(window.form.config(), **form)
    window.form.set_config(config)
    return window


def collect(window):
    snapshots = []
    window.snapshot_received.connect(snapshots.append)
    return snapshots
