"""The main window's link to the step-through dialog (Training > One update, step by step…).

    window.step_through = StepThroughController(window.services)   # one line in MainWindow.__init__

open() shows the dialog (created once) and takes a first step. The dialog's networks come from
here: the tiny teaching preset on the built-in 8x8 digits, or the settings form's network on the
window's dataset (the built-in digits when none is loaded). When the window closes, a step still
running in the worker is waited for (an event filter on the window: no code in closeEvent).
"""
from PyQt5.QtCore import QEvent, QObject

from core.settings.presets import get_preset
from gui.inspect.step_through_dialog import StepThroughDialog

TINY_PRESET = "numerical-gradients-tiny"


def _digits():
    from core.data.datasets import load_digits     # imports scikit-learn: only in the worker, when needed
    return load_digits()


class StepThroughController(QObject):
    def __init__(self, services):
        super().__init__(services.parent)
        self.services = services
        self.dialog = None
        services.parent.installEventFilter(self)   # the window: its close waits for a running step

    def source(self, key):
        """(config, load_dataset) for 'tiny' or 'form'; the form's config may raise ConfigError."""
        if key == "tiny":
            return get_preset(TINY_PRESET).config, _digits
        config = self.services.form_config()
        dataset = self.services.dataset()
        return config, (lambda: dataset) if dataset is not None else _digits

    def open(self):
        """Show the dialog; the first time (or after a failure), take a first step."""
        if self.dialog is None:
            self.dialog = StepThroughDialog(self.source, self.services.parent)
        self.dialog.show()
        self.dialog.raise_()
        if self.dialog.record is None and not self.dialog.busy:
            self.dialog.start()
        return self.dialog

    def eventFilter(self, watched, event):
        """Installed on the window only. Attributes are read with getattr: while Python tears the
        window down, its Qt object may still deliver events to a wrapper whose attributes are gone."""
        dialog = getattr(self, "dialog", None)
        if dialog is not None and event.type() == QEvent.Close:
            dialog.wait(10000)
        return False
