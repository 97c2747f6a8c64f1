"""The settings form's collapsible "Advanced" section: the settings declared in group "advanced".

Its rows are generated from core.settings.config (gui.training.setting_editors): today sampling,
momentum, the step schedule's epochs and gamma, initialisation and its ε, image size, gradients
(with a "Why?" button that measures backprop against numerical gradients) and recording the
test accuracy after every epoch. A setting declared with group="advanced" appears here by itself.
The section opens by itself when a config sets any of them to a non-default value.
"""
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QPushButton

from core.settings.config import TrainConfig
from core.settings.fields import settings_of
from gui.training.setting_editors import add_rows
from gui.ground.widgets.collapsible_section import CollapsibleSection

GROUP = "advanced"


def advanced_settings():
    return [info for info in settings_of(TrainConfig) if info.group == GROUP]


class AdvancedSettings(CollapsibleSection):
    changed = pyqtSignal()
    gradient_speed_requested = pyqtSignal()   # the "Why?" button next to the gradients field

    def __init__(self, parent=None):
        infos = advanced_settings()
        super().__init__("Advanced settings", ", ".join(info.label for info in infos), parent)
        self.why_button = QPushButton("Why?")
        self.why_button.setToolTip("Measure backprop against numerical gradients for these settings")
        self.editors = add_rows(self.form, infos, self, beside={"gradients": self.why_button})
        self.why_button.clicked.connect(self.gradient_speed_requested)
        for editor in self.editors.values():
            editor.connect(lambda *_: self.changed.emit())

    @staticmethod
    def uses_advanced(config):
        """True when config sets anything this section shows to a non-default value."""
        return any(config.differs_from_default(info.name) for info in advanced_settings())
