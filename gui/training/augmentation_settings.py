"""The settings form's collapsible "Augmentation" section: the settings declared in group
"augmentation" (core.settings.config: shift, rotation, scale, shear, elastic strength and
smoothness, thickness), generated like every other field.

Every strength is 0 (off) by default and in the classic presets, so the section starts closed;
it opens by itself when a config (a preset, a loaded model's settings) switches a kind on.
``strengths()`` reads the fields as core.data.augment.AugmentSettings for the Data tab's preview,
leniently: while the user is typing, a field that does not parse keeps the last good value.
"""
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QLabel

from core.data.augment import AugmentSettings
from core.errors import ConfigError
from core.settings.config import TrainConfig
from core.settings.fields import settings_of
from gui.training.setting_editors import add_rows
from gui.ground.widgets.collapsible_section import CollapsibleSection

GROUP = "augmentation"


def augmentation_settings():
    return [info for info in settings_of(TrainConfig) if info.group == GROUP]


class AugmentationSettings(CollapsibleSection):
    changed = pyqtSignal()   # any field edited (the preview follows, throttled)

    def __init__(self, parent=None):
        infos = augmentation_settings()
        super().__init__("Augmentation (off)", "Random changes to every training batch: "
                         + ", ".join(i.label for i in infos), parent)
        hint = QLabel("Each training batch is shifted, turned, slanted, distorted, thickened or narrowed at "
                      "random within these limits, and a share of its 1s, 7s, 0s, 9s and 6s is written in "
                      "styles MNIST has few of (0 = off). The Data tab shows examples.")
        hint.setWordWrap(True)
        hint.setObjectName("hint")
        self.form.addRow(hint)
        self.editors = add_rows(self.form, infos, self)
        self._last = AugmentSettings()
        for editor in self.editors.values():
            editor.connect(self._on_edit)

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

