"""Runs > Race two set-ups…: opens the race window (gui.training.race_window) for the loaded data,
with the settings form's current set-up as racer B. Given the window's services: where the data
is and what the form's settings are (read when the user asks)."""
from PyQt5.QtCore import QObject

from core.errors import DigitLabError
from gui.ground.errors import describe_error, show_error, show_info
from gui.training.race_window import RaceWindow


class RaceLauncher(QObject):
    def __init__(self, services):
        """services: gui.ground.window_services.WindowServices (dialogs' parent, data, form)."""
        super().__init__(services.parent)
        self.parent_widget = services.parent
        self.current_dataset, self.form_config = services.dataset, services.form_config
        self.race_window = None

    def open(self):
        """The race window (an open, running one is raised rather than replaced); None when there
        is no data or the form's settings are invalid (the user is told why)."""
        dataset = self.current_dataset()
        if dataset is None:
            show_info(self.parent_widget, "No data", "Load a dataset first (left panel, Data).")
            return None
        try:
            config_b = self.form_config()
        except DigitLabError as error:
            show_error(self.parent_widget, "Cannot race these settings", describe_error(error))
            return None
        if self.race_window is not None and self.race_window.isVisible():
            if self.race_window.session is not None and self.race_window.session.is_running:
                self.race_window.raise_()
                return self.race_window
            self.race_window.close()
        self.race_window = RaceWindow(config_b, dataset, self.parent_widget)
        self.race_window.show()
        return self.race_window

    def shutdown(self):
        if self.race_window is not None:
            self.race_window.close()
