"""The settings form's collapsible "Advanced" section: the settings declared in group "advanced".

Its rows are generated from core.training.config (gui.training.setting_editors): today sampling,
momentum, the step schedule's epochs and gamma, initialisation and its ε, image size, gradients
(with a "Why?" button that measures backprop against numerical gradients) and recording the
test accuracy after every epoch. A setting declared with group="advanced" appears here by itself.
The section opens by itself when a config sets any of them to a non-default value.
"""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QFormLayout, QPushButton, QToolButton, QVBoxLayout, QWidget

from core.training.config import TrainConfig
from core.training.settings import settings_of
from gui.training.setting_editors import add_rows

GROUP = "advanced"


def advanced_settings():
    return [info for info in settings_of(TrainConfig) if info.group == GROUP]


class AdvancedSettings(QWidget):
    changed = pyqtSignal()
    gradient_speed_requested = pyqtSignal()   # the "Why?" button next to the gradients field

    def __init__(self, parent=None):
        super().__init__(parent)
        infos = advanced_settings()
        self.toggle = QToolButton()
        self.toggle.setText("Advanced settings")
        self.toggle.setToolTip(", ".join(info.label for info in infos))
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setArrowType(Qt.RightArrow)
        self.body = QWidget()
        self.why_button = QPushButton("Why?")
        self.why_button.setToolTip("Measure backprop against numerical gradients for these settings")
        form = QFormLayout(self.body)
        form.setContentsMargins(12, 0, 0, 0)
        form.setVerticalSpacing(6)
        self.editors = add_rows(form, infos, self, beside={"gradients": self.why_button})
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.set_expanded(False)
        self.toggle.toggled.connect(self.set_expanded)
        self.why_button.clicked.connect(self.gradient_speed_requested)
        for editor in self.editors.values():
            editor.connect(lambda *_: self.changed.emit())

    # ----- showing ----------------------------------------------------------------------
    @property
    def expanded(self):
        return self.body.isVisibleTo(self)

    def set_expanded(self, expanded):
        self.toggle.blockSignals(True)
        self.toggle.setChecked(expanded)
        self.toggle.blockSignals(False)
        self.toggle.setArrowType(Qt.DownArrow if expanded else Qt.RightArrow)
        self.body.setVisible(expanded)

    @staticmethod
    def uses_advanced(config):
        """True when config sets anything this section shows to a non-default value."""
        return any(config.differs_from_default(info.name) for info in advanced_settings())
