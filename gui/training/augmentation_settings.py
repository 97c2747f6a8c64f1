"""The settings form's collapsible "Augmentation" section: the settings declared in group
"augmentation" (core.training.config: shift, rotation, scale, shear, elastic strength and
smoothness, thickness), generated like every other field.

Every strength is 0 (off) by default and in the classic presets, so the section starts closed;
it opens by itself when a config (a preset, a loaded model's settings) switches a kind on.
``strengths()`` reads the fields as core.data.augment.AugmentSettings for the Data tab's preview,
leniently: while the user is typing, a field that does not parse keeps the last good value.
"""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QFormLayout, QLabel, QToolButton, QVBoxLayout, QWidget

from core.data.augment import AugmentSettings
from core.errors import ConfigError
from core.training.config import TrainConfig
from core.training.settings import settings_of
from gui.training.setting_editors import add_rows

GROUP = "augmentation"


def augmentation_settings():
    return [info for info in settings_of(TrainConfig) if info.group == GROUP]


class AugmentationSettings(QWidget):
    changed = pyqtSignal()   # any field edited (the preview follows, throttled)

    def __init__(self, parent=None):
        super().__init__(parent)
        infos = augmentation_settings()
        self.toggle = QToolButton()
        self.toggle.setText("Augmentation (off)")
        self.toggle.setToolTip("Random changes to every training batch: " + ", ".join(i.label for i in infos))
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setArrowType(Qt.RightArrow)
        self.body = QWidget()
        hint = QLabel("Each training batch is shifted, turned, slanted, distorted or thickened at random "
                      "within these limits (0 = off). The Data tab shows examples.")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        form = QFormLayout(self.body)
        form.setContentsMargins(12, 0, 0, 0)
        form.setVerticalSpacing(6)
        form.addRow(hint)
        self.editors = add_rows(form, infos, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self._last = AugmentSettings()
        self.set_expanded(False)
        self.toggle.toggled.connect(self.set_expanded)
        for editor in self.editors.values():
            editor.connect(self._on_edit)

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
    def uses_augmentation(config):
        return config.augmentation.enabled

    def strengths(self):
        """The fields as AugmentSettings (the last valid ones while a field does not parse)."""
        values = {}
        for name, editor in self.editors.items():
            try:
                values[name] = editor.value()
            except ConfigError:
                return self._last
        try:
            self._last = AugmentSettings.from_mapping(values)
        except ConfigError:
            pass
        return self._last

    def _on_edit(self, *_):
        on = self.strengths().enabled
        self.toggle.setText("Augmentation (on)" if on else "Augmentation (off)")
        self.changed.emit()

