"""The network / training settings form: preset combo + editable fields -> a validated TrainConfig.

Selecting a preset fills every field; each stays editable. The everyday settings are always
shown; the rarer ones (iterations, sampling, initialisation, image size, gradients, test
tracking, ...) sit in a collapsible "Advanced" section (gui.training.advanced_settings) that opens by
itself when a preset uses them. ``config()`` raises ConfigError with the reason;
``validity_changed(ok, message)`` fires on every edit so the window can disable Start and show
why. The window tells the form the loaded data's shape (``set_data_shape``) so set-ups
make_trainer would refuse (numerical gradients on a big network) are refused here already.
"""
import dataclasses

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QLabel, QLineEdit, QSpinBox, QVBoxLayout,
                             QWidget)

from core.training import presets
from core.nn.activations import ACTIVATIONS
from core.training.config import FULL_BATCH_OPTIMIZERS, TrainConfig, parse_hidden_sizes
from core.errors import ConfigError
from core.training.fullbatch import LEARNING_RATE_NOTE
from core.nn.losses import LOSS_NAMES, OUTPUT_NAMES
from core.data.normalise import NORMALISATIONS
from core.training.optim import OPTIMIZERS, SCHEDULES
from gui.training.advanced_settings import AdvancedSettings, combo, parse_float
from gui.training.config_checks import check_for_data

FULL_BATCH_NOTE = "Not used by full-batch cg / lbfgs: every iteration looks at the whole training set."
LEARNING_RATE_TIP = "Can be changed while training runs (press Enter)"
PRESET_POPUP_PADDING = 48   # px beyond the longest title: scroll bar and margins


class SettingsForm(QWidget):
    validity_changed = pyqtSignal(bool, str)
    learning_rate_edited = pyqtSignal(float)   # a valid new rate (the window applies it live)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.base_config = TrainConfig()
        self.training = False
        self.input_shape, self.n_classes, self.n_train = None, 10, None   # of the loaded data (set_data_shape)
        self.preset_combo = combo()
        self.preset_description = QLabel()
        self.preset_description.setWordWrap(True)
        self.preset_description.setObjectName("hint")
        self.hidden_edit = QLineEdit()
        self.hidden_edit.setPlaceholderText("e.g. 256,128 (empty: no hidden layer)")
        self.activation_combo = combo(ACTIVATIONS)
        self.loss_combo = combo(LOSS_NAMES)
        self.output_combo = combo(OUTPUT_NAMES)
        self.optimizer_combo = combo(tuple(OPTIMIZERS) + FULL_BATCH_OPTIMIZERS)
        self.optimizer_combo.setToolTip("sgd / momentum / adam: mini-batch training. cg / lbfgs: full-batch "
                                        "conjugate gradient or L-BFGS (scipy), a line search picks each step.")
        self.learning_rate_edit = QLineEdit()
        self.learning_rate_edit.setToolTip(LEARNING_RATE_TIP)
        self.schedule_combo = combo(SCHEDULES)
        self.batch_spin = QSpinBox()
        self.batch_spin.setRange(1, 65536)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(0, 100000)
        self.iterations_spin = QSpinBox()
        self.iterations_spin.setRange(0, 10_000_000)
        self.iterations_spin.setSpecialValueText("0 (use epochs)")
        self.iterations_spin.setToolTip("Batches in all (full-batch: optimiser iterations). When > 0 they "
                                        "replace epochs; an epoch is then n_train / batch size batches.")
        self.epochs_note = QLabel()
        self.epochs_note.setObjectName("hint")
        self.epochs_note.setWordWrap(True)
        self.l2_edit = QLineEdit()
        self.seed_spin = QSpinBox()
        self.seed_spin.setRange(0, 2 ** 31 - 1)
        self.val_edit = QLineEdit()
        self.val_edit.setToolTip("A fraction of the training set (0.1) or a number of examples (5000)")
        self.normalisation_combo = combo(NORMALISATIONS)
        self.positive_combo = combo()
        self.positive_combo.addItem("none (all classes)", -1)
        for digit in range(10):
            self.positive_combo.addItem(f"{digit} against the rest", digit)
        self.advanced = AdvancedSettings()

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(6)
        form.addRow(QLabel("Preset"))
        form.addRow(self.preset_combo)   # a whole row: long titles need the width
        form.addRow(self.preset_description)
        for label, widget in (("Hidden layers", self.hidden_edit), ("Activation", self.activation_combo),
                              ("Loss", self.loss_combo), ("Output", self.output_combo),
                              ("Optimiser", self.optimizer_combo), ("Learning rate", self.learning_rate_edit),
                              ("Schedule", self.schedule_combo), ("Batch size", self.batch_spin),
                              ("Epochs", self.epochs_spin), ("Iterations", self.iterations_spin)):
            form.addRow(label, widget)
        form.addRow(self.epochs_note)
        for label, widget in (("L2 (λ)", self.l2_edit), ("Seed", self.seed_spin), ("Validation", self.val_edit),
                              ("Normalisation", self.normalisation_combo), ("One vs rest", self.positive_combo)):
            form.addRow(label, widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.advanced)

        self.reload_presets()
        self.preset_combo.currentIndexChanged.connect(self._on_preset)
        for edit in (self.hidden_edit, self.learning_rate_edit, self.l2_edit, self.val_edit):
            edit.textChanged.connect(self._on_edit)
        for box in (self.activation_combo, self.loss_combo, self.output_combo, self.optimizer_combo,
                    self.schedule_combo, self.normalisation_combo, self.positive_combo):
            box.currentIndexChanged.connect(self._on_edit)
        for spin in (self.batch_spin, self.epochs_spin, self.iterations_spin, self.seed_spin):
            spin.valueChanged.connect(self._on_edit)
        self.advanced.changed.connect(self._on_edit)
        self.learning_rate_edit.editingFinished.connect(self._on_learning_rate_edited)
        self.set_config(self.base_config)

    # ----- presets ------------------------------------------------------------------
    def reload_presets(self):
        """Read core.training.presets.PRESETS now (another module may have added presets)."""
        current = self.preset_combo.currentData()
        self.preset_combo.blockSignals(True)
        self.preset_combo.clear()
        for name, preset in presets.PRESETS.items():
            self.preset_combo.addItem(preset.title, name)
            self.preset_combo.setItemData(self.preset_combo.count() - 1, preset.title, Qt.ToolTipRole)
        self.preset_combo.addItem("Custom", "")
        index = self.preset_combo.findData(current) if current is not None else 0
        self.preset_combo.setCurrentIndex(max(0, index))
        self.preset_combo.blockSignals(False)
        # the closed combo elides a long title (full title in its tooltip); the open list shows all
        metrics = self.preset_combo.fontMetrics()
        widest = max(metrics.horizontalAdvance(self.preset_combo.itemText(i)) for i in range(self.preset_combo.count()))
        self.preset_combo.view().setMinimumWidth(widest + PRESET_POPUP_PADDING)
        self._describe_preset()

    def select_preset(self, name):
        index = self.preset_combo.findData(name)
        if index >= 0:
            self.preset_combo.setCurrentIndex(index)
            self._on_preset(index)

    def _on_preset(self, index):
        name = self.preset_combo.itemData(index)
        if name:
            config = presets.PRESETS[name].config
            self.set_config(config)
            self.advanced.set_expanded(self.advanced.uses_advanced(config))
        self._describe_preset()

    def _describe_preset(self):
        name = self.preset_combo.currentData()
        preset = presets.PRESETS.get(name) if name else None
        self.preset_description.setText(preset.description if preset else "Your own settings.")
        self.preset_description.setVisible(bool(self.preset_description.text()))
        self.preset_combo.setToolTip(preset.title if preset else "Your own settings")

    # ----- config <-> fields -----------------------------------------------------------
    def set_config(self, config):
        """Fill every field from config (keeps config as the base for settings without a field)."""
        self.base_config = config
        self._filling = True
        try:
            self.hidden_edit.setText(",".join(str(h) for h in config.hidden_sizes))
            self.learning_rate_edit.setText(f"{config.learning_rate:g}")
            self.l2_edit.setText(f"{config.l2:g}")
            self.val_edit.setText(f"{config.val_split:g}")
            for box, value in ((self.activation_combo, config.activation), (self.loss_combo, config.loss),
                               (self.output_combo, config.output), (self.optimizer_combo, config.optimizer),
                               (self.schedule_combo, config.schedule),
                               (self.normalisation_combo, config.normalisation)):
                index = box.findText(value)
                if index >= 0:
                    box.setCurrentIndex(index)
            self.batch_spin.setValue(config.batch_size)
            self.epochs_spin.setValue(config.epochs)
            self.iterations_spin.setValue(config.iterations)
            self.seed_spin.setValue(config.seed)
            self.positive_combo.setCurrentIndex(max(0, self.positive_combo.findData(config.positive_class)))
            self.advanced.set_config(config)
        finally:
            self._filling = False
        self._on_edit()

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
            epochs=self.epochs_spin.value(), iterations=self.iterations_spin.value(),
            l2=parse_float(self.l2_edit.text(), "L2 strength"),
            seed=self.seed_spin.value(), val_split=int(val_split) if val_split > 1 else val_split,
            normalisation=self.normalisation_combo.currentText(),
            positive_class=int(self.positive_combo.currentData()), on_divergence="pause",
            **self.advanced.values(self.base_config))
        config.validate()
        check_for_data(config, self.input_shape, self.n_classes, self.n_train)
        return config

    def error(self):
        """The reason the fields are invalid, or '' when they are fine."""
        try:
            self.config()
        except ConfigError as error:
            return str(error)
        return ""

    def set_data_shape(self, image_shape, n_classes, n_train=None):
        """The loaded data's (H, W), class count and training-set size: the numerical-gradient
        limit and the validation split depend on them."""
        self.input_shape, self.n_classes = tuple(image_shape), int(n_classes)
        self.n_train = int(n_train) if n_train else None
        self._on_edit()

    @property
    def full_batch(self):
        return self.optimizer_combo.currentText() in FULL_BATCH_OPTIMIZERS

    def _on_edit(self, *_):
        if getattr(self, "_filling", False):
            return   # set_config fills many fields; one check at the end
        self._update_enabled()
        message = self.error()
        self.validity_changed.emit(not message, message)

    def _update_enabled(self):
        """Which fields mean something for the current settings (and while training, only the
        learning rate, which applies live, stays editable)."""
        full_batch, training = self.full_batch, self.training
        iterations = self.iterations_spin.value()
        for widget in self.findChildren((QLineEdit, QComboBox, QSpinBox, QCheckBox)):
            widget.setEnabled(not training)
        self.learning_rate_edit.setEnabled(not full_batch)
        self.learning_rate_edit.setToolTip(LEARNING_RATE_NOTE[0].upper() + LEARNING_RATE_NOTE[1:] + "."
                                           if full_batch else LEARNING_RATE_TIP)
        for widget in (self.schedule_combo, self.batch_spin):
            widget.setEnabled(not training and not full_batch)
            widget.setToolTip(FULL_BATCH_NOTE if full_batch else "")
        self.epochs_spin.setEnabled(not training and iterations == 0)
        if iterations:
            unit = "optimiser iterations (each one full pass)" if full_batch else "batches"
            self.epochs_note.setText(f"Epochs not used: training runs {iterations:,} {unit}.")
        self.epochs_spin.setToolTip(self.epochs_note.text() if iterations else "")
        self.epochs_note.setVisible(bool(iterations))
        self.advanced.update_enabled(training, self.optimizer_combo.currentText(), full_batch)

    def _on_learning_rate_edited(self):
        try:
            rate = parse_float(self.learning_rate_edit.text(), "learning rate")
        except ConfigError:
            return
        if 0 < rate < 1e4 and not self.full_batch:
            self.learning_rate_edited.emit(rate)

    def set_learning_rate(self, rate):
        self.learning_rate_edit.setText(f"{rate:g}")
        self._on_learning_rate_edited()

    def set_training(self, training):
        """While a run is going, only the learning rate stays editable (it applies live)."""
        self.training = training
        self._update_enabled()
