"""The network / training settings form: preset combo + editable fields -> a validated TrainConfig.

Selecting a preset fills every field; each stays editable. Settings the form does not show
(momentum, initialisation, ...) come from the chosen preset. ``config()`` raises ConfigError
with the reason; ``validity_changed(ok, message)`` fires on every edit so the window can
disable Start and show why.
"""
import dataclasses

from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QWidget

from core import presets
from core.activations import ACTIVATIONS
from core.config import TrainConfig, parse_hidden_sizes
from core.errors import ConfigError
from core.losses import LOSS_NAMES, OUTPUT_NAMES
from core.normalise import NORMALISATIONS
from core.optim import OPTIMIZERS, SCHEDULES


def parse_float(text, what):
    try:
        return float(str(text).strip())
    except ValueError:
        raise ConfigError(f"{what} must be a number (got {text!r})") from None


def _combo(items=()):
    combo = QComboBox()
    combo.addItems(list(items))
    # long entries (preset titles) must not widen the whole left panel
    combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    combo.setMinimumContentsLength(12)
    return combo


class SettingsForm(QWidget):
    validity_changed = pyqtSignal(bool, str)
    learning_rate_edited = pyqtSignal(float)   # a valid new rate (the window applies it live)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.base_config = TrainConfig()
        self.preset_combo = _combo()
        self.preset_description = QLabel()
        self.preset_description.setWordWrap(True)
        self.preset_description.setObjectName("hint")
        self.hidden_edit = QLineEdit()
        self.hidden_edit.setPlaceholderText("e.g. 256,128 (empty: no hidden layer)")
        self.activation_combo = _combo(ACTIVATIONS)
        self.loss_combo = _combo(LOSS_NAMES)
        self.output_combo = _combo(OUTPUT_NAMES)
        self.optimizer_combo = _combo(OPTIMIZERS)
        self.learning_rate_edit = QLineEdit()
        self.learning_rate_edit.setToolTip("Can be changed while training runs (press Enter)")
        self.schedule_combo = _combo(SCHEDULES)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 65536)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(0, 100000)
        self.l2_edit = QLineEdit()
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2 ** 31 - 1)
        self.val_edit = QLineEdit()
        self.val_edit.setToolTip("A fraction of the training set (0.1) or a number of examples (5000)")
        self.normalisation_combo = _combo(NORMALISATIONS)
        self.positive_combo = _combo()
        self.positive_combo.addItem("none (all classes)", -1)
        for digit in range(10):
            self.positive_combo.addItem(f"{digit} against the rest", digit)

        form = QFormLayout(self)
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(6)
        form.addRow("Preset", self.preset_combo)
        form.addRow(self.preset_description)
        for label, widget in (("Hidden layers", self.hidden_edit), ("Activation", self.activation_combo),
                              ("Loss", self.loss_combo), ("Output", self.output_combo),
                              ("Optimiser", self.optimizer_combo), ("Learning rate", self.learning_rate_edit),
                              ("Schedule", self.schedule_combo), ("Batch size", self.batch_spin),
                              ("Epochs", self.epochs_spin), ("L2 (λ)", self.l2_edit), ("Seed", self.seed_spin),
                              ("Validation", self.val_edit), ("Normalisation", self.normalisation_combo),
                              ("One vs rest", self.positive_combo)):
            form.addRow(label, widget)

        self.reload_presets()
        self.preset_combo.currentIndexChanged.connect(self._on_preset)
        for edit in (self.hidden_edit, self.learning_rate_edit, self.l2_edit, self.val_edit):
            edit.textChanged.connect(self._emit_validity)
        for combo in (self.activation_combo, self.loss_combo, self.output_combo, self.optimizer_combo,
                      self.schedule_combo, self.normalisation_combo, self.positive_combo):
            combo.currentIndexChanged.connect(self._emit_validity)
        for spin in (self.batch_spin, self.epochs_spin, self.seed_spin):
            spin.valueChanged.connect(self._emit_validity)
        self.learning_rate_edit.editingFinished.connect(self._on_learning_rate_edited)
        self.set_config(self.base_config)

    # ----- presets ------------------------------------------------------------------
    def reload_presets(self):
        """Read core.presets.PRESETS now (another module may have added presets)."""
        current = self.preset_combo.currentData()
        self.preset_combo.blockSignals(True)
        self.preset_combo.clear()
        for name, preset in presets.PRESETS.items():
            self.preset_combo.addItem(preset.title, name)
        self.preset_combo.addItem("Custom", "")
        index = self.preset_combo.findData(current) if current is not None else 0
        self.preset_combo.setCurrentIndex(max(0, index))
        self.preset_combo.blockSignals(False)
        self._describe_preset()

    def select_preset(self, name):
        index = self.preset_combo.findData(name)
        if index >= 0:
            self.preset_combo.setCurrentIndex(index)
            self._on_preset(index)

    def _on_preset(self, index):
        name = self.preset_combo.itemData(index)
        if name:
            self.set_config(presets.PRESETS[name].config)
        self._describe_preset()

    def _describe_preset(self):
        name = self.preset_combo.currentData()
        preset = presets.PRESETS.get(name) if name else None
        self.preset_description.setText(preset.description if preset else "Your own settings.")
        self.preset_description.setVisible(bool(self.preset_description.text()))

    # ----- config <-> fields -----------------------------------------------------------
    def set_config(self, config):
        """Fill every field from config (keeps config as the base for the hidden settings)."""
        self.base_config = config
        widgets = (self.hidden_edit, self.learning_rate_edit, self.l2_edit, self.val_edit)
        for widget in widgets:
            widget.blockSignals(True)
        self.hidden_edit.setText(",".join(str(h) for h in config.hidden_sizes))
        self.learning_rate_edit.setText(f"{config.learning_rate:g}")
        self.l2_edit.setText(f"{config.l2:g}")
        self.val_edit.setText(f"{config.val_split:g}")
        for widget in widgets:
            widget.blockSignals(False)
        for combo, value in ((self.activation_combo, config.activation), (self.loss_combo, config.loss),
                             (self.output_combo, config.output), (self.optimizer_combo, config.optimizer),
                             (self.schedule_combo, config.schedule),
                             (self.normalisation_combo, config.normalisation)):
            index = combo.findText(value)
            if index >= 0:
                combo.setCurrentIndex(index)
        self.batch_spin.setValue(config.batch_size)
        self.epochs_spin.setValue(config.epochs)
        self.seed_spin.setValue(config.seed)
        self.positive_combo.setCurrentIndex(max(0, self.positive_combo.findData(config.positive_class)))
        self._emit_validity()

    def config(self):
        """The TrainConfig the fields describe, validated; raises ConfigError with the reason."""
        val_split = parse_float(self.val_edit.text(), "validation split")
        config = dataclasses.replace(
            self.base_config,
            hidden_sizes=parse_hidden_sizes(self.hidden_edit.text()),
            activation=self.activation_combo.currentText(), loss=self.loss_combo.currentText(),
            output=self.output_combo.currentText(), optimizer=self.optimizer_combo.currentText(),
            learning_rate=parse_float(self.learning_rate_edit.text(), "learning rate"),
            schedule=self.schedule_combo.currentText(), batch_size=self.batch_spin.value(),
            epochs=self.epochs_spin.value(), l2=parse_float(self.l2_edit.text(), "L2 strength"),
            seed=self.seed_spin.value(), val_split=int(val_split) if val_split > 1 else val_split,
            normalisation=self.normalisation_combo.currentText(),
            positive_class=int(self.positive_combo.currentData()), on_divergence="pause")
        return config.validate()

    def error(self):
        """The reason the fields are invalid, or '' when they are fine."""
        try:
            self.config()
        except ConfigError as error:
            return str(error)
        return ""

    def _emit_validity(self, *_):
        message = self.error()
        self.validity_changed.emit(not message, message)

    def _on_learning_rate_edited(self):
        try:
            rate = parse_float(self.learning_rate_edit.text(), "learning rate")
        except ConfigError:
            return
        if 0 < rate < 1e4:
            self.learning_rate_edited.emit(rate)

    def set_learning_rate(self, rate):
        self.learning_rate_edit.setText(f"{rate:g}")
        self._on_learning_rate_edited()

    def set_training(self, training):
        """While a run is going, only the learning rate stays editable (it applies live)."""
        for widget in self.findChildren((QLineEdit, QComboBox, QSpinBox)):
            widget.setEnabled(not training or widget is self.learning_rate_edit)
