"""The network / training settings form: preset combo + generated fields -> a validated TrainConfig.

Every field is generated from its declaration in core.settings.config (label, tooltip from the
help text, choices or range, unit): the groups "network", "optimiser" and "data" are shown under
headings, "advanced" sits in a collapsible section (gui.training.advanced_settings) that opens by
itself when a preset uses it, "augmentation" likewise (gui.training.augmentation_settings), "run" is set by the window. A setting added to TrainConfig appears
here with no change to this file.

Selecting a preset fills every field; each stays editable. A field whose setting does not matter
for the others (its declaration's ``used_if``, e.g. momentum for adam) is greyed out with the
reason as its tooltip; while training only settings declared ``live`` (the learning rate) stay
editable. ``config()`` raises ConfigError with the reason; ``validity_changed(ok, message)``
fires on every edit so the window can disable Start and show why. The window tells the form the
loaded data's shape (``set_data_shape``) so set-ups make_trainer would refuse (numerical gradients
on a big network) are refused here already; a layer stack whose output layer was sized for other
data (dense3 after three drawn classes, then MNIST) gets one unit per class of the new data, the
rest of the stack kept, and a line under the preset says so (``output_fitted`` gives it too).
"""
import dataclasses

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QFormLayout, QLabel, QVBoxLayout, QWidget

from core.errors import ConfigError
from core.nn.layer_spec import with_output_units
from core.settings import presets
from core.settings.config import FULL_BATCH_OPTIMIZERS, TrainConfig
from core.settings.fields import settings_of
from gui.training.advanced_settings import AdvancedSettings
from gui.training.augmentation_settings import AugmentationSettings
from gui.training.config_checks import check_for_data
from gui.training.layer_stack_editor import LayerStackEditor
from gui.training.setting_editors import add_rows, combo

FORM_GROUPS = {"network": "Network", "optimiser": "Training", "data": "Data"}   # heading of each group
PRESET_POPUP_PADDING = 48   # px beyond the longest title: scroll bar and margins
# Names the window and tests used before the form was generated (kept so other branches merge).
SHORT_NAMES = {"hidden_edit": "hidden_sizes_edit", "batch_spin": "batch_size_spin", "val_edit": "val_split_edit",
               "positive_combo": "positive_class_combo"}


class SettingsForm(QWidget):
    validity_changed = pyqtSignal(bool, str)
    learning_rate_edited = pyqtSignal(float)   # a valid new rate (the window applies it live)
    output_fitted = pyqtSignal(str)            # the output layer followed the loaded data: the sentence

    def __init__(self, parent=None):
        super().__init__(parent)
        self.base_config = TrainConfig()
        self.training = False
        self._filling = False
        self.input_shape, self.n_classes, self.n_train = None, 10, None   # of the loaded data (set_data_shape)
        self.preset_combo = combo()
        self.preset_description = QLabel()
        self.preset_description.setWordWrap(True)
        self.preset_description.setObjectName("hint")
        self.epochs_note = QLabel()
        self.epochs_note.setObjectName("hint")
        self.epochs_note.setWordWrap(True)
        # the output layer followed the loaded data (set_data_shape); _fitted_layers: the stack it is about
        self.output_note, self._fitted_layers = QLabel(objectName="notice", wordWrap=True, visible=False), ""

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.setVerticalSpacing(6)
        form.addRow(QLabel("Preset"))
        form.addRow(self.preset_combo)   # a whole row: long titles need the width
        form.addRow(self.preset_description)
        form.addRow(self.output_note)
        self.editors = {}
        infos = settings_of(TrainConfig)
        for group, title in FORM_GROUPS.items():
            heading = QLabel(title)
            heading.setObjectName("formHeading")
            font = heading.font()
            font.setBold(True)
            heading.setFont(font)
            heading.setContentsMargins(0, 6, 0, 0)
            form.addRow(heading)
            self.editors.update(add_rows(form, [info for info in infos if info.group == group], self,
                                         custom={"layers": LayerStackEditor}))
        row, _ = form.getWidgetPosition(self.iterations_spin)
        form.insertRow(row + 1, self.epochs_note)   # says why Epochs is greyed out
        self.advanced = AdvancedSettings()
        self.editors.update(self.advanced.editors)
        self.augmentation = AugmentationSettings()   # group "augmentation", collapsible, off by default
        self.editors.update(self.augmentation.editors)
        for short, full in SHORT_NAMES.items():
            setattr(self, short, getattr(self, full))
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(6)
        layout.addLayout(form)
        layout.addWidget(self.advanced)
        layout.addWidget(self.augmentation)

        self.reload_presets()
        self.preset_combo.currentIndexChanged.connect(self._on_preset)
        for editor in self.editors.values():
            editor.connect(self._on_edit)
        self.learning_rate_edit.editingFinished.connect(self._on_learning_rate_edited)
        self.set_config(self.base_config)

    # ----- presets ------------------------------------------------------------------
    def reload_presets(self):
        """Read core.settings.presets.PRESETS now (another module may have added presets)."""
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

    def show_preset(self, name):
        """Show in the preset box, without filling the fields, ``name`` if the fields hold its
        settings, else the preset they do hold, else Custom (the fields were restored on their
        own: the box must never name settings the form does not have)."""
        self._match_preset(prefer=name)

    def held_preset(self, prefer=""):
        """The name of a preset whose every field equals the form's ('' if none); ``prefer``
        first. Settings without a field (the run group) do not count."""
        try:
            values = {name: editor.value() for name, editor in self.editors.items()}
        except ConfigError:
            return ""   # a field that does not parse: these are nobody's settings
        names = ([prefer] if prefer in presets.PRESETS else []) + list(presets.PRESETS)
        for name in names:
            config = presets.PRESETS[name].config
            if all(getattr(config, field) == value for field, value in values.items()):
                return name
        return ""

    def _match_preset(self, prefer=None):
        """Put the preset the fields hold (or Custom) in the box, without filling anything."""
        name = self.held_preset(self.preset_combo.currentData() if prefer is None else prefer)
        index = self.preset_combo.findData(name)
        if index >= 0 and index != self.preset_combo.currentIndex():
            self.preset_combo.blockSignals(True)
            self.preset_combo.setCurrentIndex(index)
            self.preset_combo.blockSignals(False)
        self._describe_preset()

    def _on_preset(self, index):
        name = self.preset_combo.itemData(index)
        if name:
            config = presets.PRESETS[name].config
            self.set_config(config)
            self.advanced.set_expanded(self.advanced.uses_advanced(config))
            self.augmentation.set_expanded(self.augmentation.uses_augmentation(config))
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
        self.base_config, self._fitted_layers = config, ""
        self._filling = True
        try:
            for name, editor in self.editors.items():
                editor.set_value(getattr(config, name))
        finally:
            self._filling = False
        self._on_edit()

    def set_value(self, name, value):
        """Set one setting's field by its TrainConfig name, as a user would type or pick it (the
        preset box then says the settings are your own). Unknown names raise KeyError."""
        if name not in self.editors:
            raise KeyError(f"no setting {name!r} in the form; the settings are: {', '.join(self.editors)}")
        self.editors[name].set_value(value)
        self._on_edit()

    def config(self):
        """The TrainConfig the fields describe, validated; raises ConfigError with the reason."""
        values = {name: editor.value() for name, editor in self.editors.items()}
        config = dataclasses.replace(self.base_config, on_divergence="pause", **values)
        config.validate()
        check_for_data(config, self.input_shape, self.n_classes, self.n_train)
        return config

    def _lenient_config(self):
        """The fields as a TrainConfig without validation; a field that does not parse keeps the
        base config's value (to decide which fields matter while the user is still typing)."""
        values = {}
        for name, editor in self.editors.items():
            try:
                values[name] = editor.value()
            except ConfigError:
                pass
        return dataclasses.replace(self.base_config, **values)

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
        said = self._fit_output_layer()
        self.output_note.setText(said or self.output_note.text())
        self._on_edit()
        if said:
            self.output_fitted.emit(said)

    def _fit_output_layer(self):
        """A layer stack whose output layer has another size than the loaded data needs (one unit
        per class, one more for the not-a-digit class) gets that many units, the rest kept; the
        sentence saying so, or '' if nothing changed (the MLP sizes its own output)."""
        config = self._lenient_config()
        extra = 1 if config.non_digits > 0 else 0   # as gui.training.config_checks counts it
        try:   # one digit against the rest has one output unit, whatever the data
            fitted = None if config.is_binary else with_output_units(self.editors["layers"].value(),
                                                                     self.n_classes + extra)
        except ConfigError:
            return ""   # a stack still being typed: the check under it says what is wrong
        if fitted is None:
            return ""
        self._fitted_layers, before = fitted
        self.editors["layers"].set_value(self._fitted_layers)   # set_data_shape checks the form after
        classes = f"{self.n_classes} classes" + (" and 'not a digit'" if extra else "")
        return f"The output layer is now dense{self.n_classes + extra} (was {before}): the data loaded has {classes}."

    @property
    def full_batch(self):
        return self.optimizer_combo.currentData() in FULL_BATCH_OPTIMIZERS

    def _on_edit(self, *_):
        if self._filling:
            return   # set_config fills many fields; one check at the end
        self._match_preset()   # an edit away from a preset's settings makes the box say Custom
        self._update_enabled()
        message = self.error()
        self.validity_changed.emit(not message, message)

    def _update_enabled(self):
        """Grey out the settings that do not matter for the others (tooltip: why), and while
        training everything except the live ones."""
        current = self._lenient_config()
        self.layers_editor.show_check(current, self.input_shape, self.n_classes)   # the stack's table
        if self._fitted_layers and current.layers != self._fitted_layers:
            self._fitted_layers = ""   # the stack was edited or a preset picked: the note is history
        self.output_note.setVisible(bool(self._fitted_layers))
        for editor in self.editors.values():
            info = editor.info
            used = info.used_if is None or bool(info.used_if(current))
            editor.set_enabled(used and (info.live or not self.training))
            editor.set_note("" if used else info.unused_note)
        iterations = current.iterations
        if iterations:
            unit = "optimiser iterations (each one full pass)" if self.full_batch else "batches"
            self.epochs_note.setText(f"Epochs not used: training runs {iterations:,} {unit}.")
        self.epochs_note.setVisible(bool(iterations))

    def _on_learning_rate_edited(self):
        try:
            rate = self.editors["learning_rate"].value()
        except ConfigError:
            return
        if not self.full_batch and self.editors["learning_rate"].info.problem(rate) is None:
            self.learning_rate_edited.emit(rate)

    def set_learning_rate(self, rate):
        self.learning_rate_edit.setText(f"{rate:g}")
        self._on_learning_rate_edited()

    def set_training(self, training):
        """While a run is going, only the settings declared live (the learning rate) stay editable."""
        self.training = training
        self._update_enabled()
