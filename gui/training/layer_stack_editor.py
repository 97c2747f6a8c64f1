"""The network editor: the ``layers`` setting as a list of layers the user builds, with a table of
what each layer makes of one image (output shape, parameters, multiply-adds) updated per edit.

    MLP (hidden layers)  -> layers '' (the fully connected network of the Hidden layers field)
    Layer stack          -> layers 'conv8x5,pool2,conv16x5,pool2,dense10' (core.nn.layer_spec)

The list is edited with the row of controls under the table (kind, filters / units / window /
rate, kernel, padding): Add inserts that layer after the selected one, Change replaces the
selected one, Remove, Up and Down act on it. The compact text underneath is the same stack as the
command line's --layers and can be typed too. The table's numbers come from
gui.training.config_checks.check_layer_stack (describe_stack plus the output-unit rule), the same
check the settings form runs before it allows Start, so the table and the reason Start is refused
always agree. An invalid stack keeps the rows that still make sense, marks the layer at fault in
red and says why under the table.

The table and the words for each layer live in gui.training.layer_stack_table. The editor has
the interface of gui.training.setting_editors.SettingEditor (value / set_value / connect /
set_note / set_enabled), so the settings form treats it like any generated field.

Over 300 lines: the controls, the list and their validation are one editor; the table and the
words for each layer live in gui/training/layer_stack_table.py.
"""
import dataclasses

from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QComboBox, QDoubleSpinBox, QHBoxLayout, QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout, QWidget

from core.errors import ConfigError
from core.nn.layer_spec import LayerSpec, format_layers, parse_layers
from core.settings.config import TrainConfig
from gui.training.config_checks import check_layer_stack, stack_input_shape
from gui.training.layer_stack_table import StackTable, rows_and_fault
from gui.training.setting_editors import combo

MLP, STACK = "mlp", "stack"
STARTER_STACK = "conv8x5,pool2,conv16x5,pool2,dense10"   # what "Layer stack" starts from (the cnn preset)
EDITABLE_KINDS = ("conv", "pool", "dense", "dropout")


class LayerStackEditor(QWidget):
    """The editor widget of the ``layers`` setting (see the module docstring).

    Attributes tests reach: mode_combo, table, totals_label, error_label, kind_combo, size_spin,
    kernel_spin, padding_combo, rate_spin, add_button, change_button, remove_button, up_button,
    down_button, text_edit. ``rows``: the StackRows shown (empty when invalid or MLP)."""

    changed = pyqtSignal()

    def __init__(self, info, parent=None):
        super().__init__(parent)
        self.info, self.help, self.kind, self.widget = info, info.help_text(), "stack", self
        # in the form: label + mode combo in the label / field columns, this widget as a whole row below
        self.label = QLabel("Architecture")
        self.specs = parse_layers(STARTER_STACK)
        self.text_problem = ""          # why the typed text does not parse ('' when it does)
        self.context = (TrainConfig(), None, 10)   # (config, data (H, W), n_classes) of the last check
        self.rows, self.problem = [], ""

        self.mode_combo = combo()   # elides rather than widening the left panel
        self.mode_combo.addItem("MLP (hidden layers)", MLP)
        self.mode_combo.addItem("Layer stack (CNN)", STACK)
        self.field, self.below = self.mode_combo, self
        self.table = StackTable()
        self.totals_label = QLabel()
        self.totals_label.setObjectName("hint")
        self.totals_label.setWordWrap(True)
        self.error_label = QLabel()
        self.error_label.setObjectName("formError")
        self.error_label.setWordWrap(True)
        self.error_label.hide()

        self.kind_combo = QComboBox()
        for kind in EDITABLE_KINDS:
            self.kind_combo.addItem(kind, kind)
        self.size_spin = QSpinBox()
        self.size_spin.setRange(1, 4096)
        self.kernel_spin = QSpinBox()
        self.kernel_spin.setRange(1, 15)
        self.kernel_spin.setPrefix("k ")
        self.padding_combo = QComboBox()
        self.padding_combo.addItems(["same", "valid"])
        self.rate_spin = QDoubleSpinBox()
        self.rate_spin.setRange(0.0, 0.95)
        self.rate_spin.setSingleStep(0.05)
        self.rate_spin.setDecimals(2)
        self.add_button, self.change_button = QPushButton("Add"), QPushButton("Change")
        self.remove_button, self.up_button, self.down_button = QPushButton("Remove"), QPushButton("Up"), QPushButton("Down")
        self.add_button.setToolTip("Insert this layer after the selected one (at the end when none is selected)")
        self.change_button.setToolTip("Replace the selected layer by this one")
        self.text_edit = QLineEdit()
        self.text_edit.setPlaceholderText(f"e.g. {info.example}")
        self.text_edit.setToolTip("The same stack as text (the command line's --layers); you can type it too")
        self._build_layout()
        self._set_defaults_for_kind()

        self.mode_combo.currentIndexChanged.connect(self._on_mode)
        self.kind_combo.currentIndexChanged.connect(self._set_defaults_for_kind)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.add_button.clicked.connect(self.add_layer)
        self.change_button.clicked.connect(self.change_layer)
        self.remove_button.clicked.connect(self.remove_layer)
        self.up_button.clicked.connect(lambda: self.move_layer(-1))
        self.down_button.clicked.connect(lambda: self.move_layer(+1))
        self.text_edit.textEdited.connect(self._on_text_typed)
        self._apply_mode()

    def _build_layout(self):
        self.stack_box = QWidget()
        controls = QHBoxLayout()
        controls.setContentsMargins(0, 0, 0, 0)
        for widget in (self.kind_combo, self.size_spin, self.kernel_spin, self.padding_combo, self.rate_spin):
            controls.addWidget(widget)
        controls.addStretch(1)
        buttons = QHBoxLayout()
        buttons.setContentsMargins(0, 0, 0, 0)
        for button in (self.add_button, self.change_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        stack_layout = QVBoxLayout(self.stack_box)
        stack_layout.setContentsMargins(0, 0, 0, 0)
        stack_layout.setSpacing(4)
        stack_layout.addWidget(self.table)
        stack_layout.addWidget(self.totals_label)
        stack_layout.addLayout(controls)
        stack_layout.addLayout(buttons)
        stack_layout.addWidget(self.text_edit)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.stack_box)
        layout.addWidget(self.error_label)

    # ----- the SettingEditor interface ---------------------------------------------------------
    @property
    def attribute(self):
        return f"{self.info.name}_editor"

    @property
    def mode(self):
        return self.mode_combo.currentData()

    def value(self):
        """'' for the MLP; the stack's text; ConfigError when the typed text does not parse."""
        if self.mode == MLP:
            return ""
        if self.text_problem:
            raise ConfigError(f"layer stack: {self.text_problem}")
        return format_layers(self.specs)

    def set_value(self, text):
        text = str(text or "").strip()
        self.mode_combo.blockSignals(True)
        self.mode_combo.setCurrentIndex(self.mode_combo.findData(STACK if text else MLP))
        self.mode_combo.blockSignals(False)
        if text:
            self._take_text(text)
            self.text_edit.setText(text if self.text_problem else format_layers(self.specs))
            self.text_edit.setCursorPosition(0)
        self._apply_mode()

    def connect(self, slot):
        self.changed.connect(slot)

    def set_note(self, note):
        for widget in (self, self.label, self.mode_combo):
            widget.setToolTip(note or self.help)

    def set_enabled(self, enabled):
        for widget in (self, self.label, self.mode_combo):
            widget.setEnabled(enabled)

    # ----- context: what the stack is checked against --------------------------------------------
    def show_check(self, config, input_shape=None, n_classes=10):
        """Recompute the table for config (the form's other fields: image size, binary task) on
        data of input_shape (H, W) with n_classes; called by the form after every edit."""
        self.context = (config, input_shape, n_classes)
        self._refresh()

    # ----- editing -----------------------------------------------------------------------------
    def selected_index(self):
        return self.table.selected_index()

    def spec_from_controls(self):
        kind = self.kind_combo.currentData()
        if kind == "conv":
            return LayerSpec("conv", self.size_spin.value(), self.kernel_spin.value(), self.padding_combo.currentText())
        if kind == "dropout":
            return LayerSpec("dropout", rate=round(self.rate_spin.value(), 4))
        return LayerSpec(kind, self.size_spin.value())

    def add_layer(self):
        index = self.selected_index()
        at = index + 1 if index >= 0 else len(self.specs)
        self._edit(lambda specs: specs.insert(at, self.spec_from_controls()), select=at)

    def change_layer(self):
        index = self.selected_index()
        if index >= 0:
            self._edit(lambda specs: specs.__setitem__(index, self.spec_from_controls()), select=index)

    def remove_layer(self):
        index = self.selected_index()
        if index >= 0:
            self._edit(lambda specs: specs.pop(index), select=min(index, len(self.specs) - 2))

    def move_layer(self, step):
        index, target = self.selected_index(), self.selected_index() + step
        if index >= 0 and 0 <= target < len(self.specs):
            def swap(specs):
                specs[index], specs[target] = specs[target], specs[index]
            self._edit(swap, select=target)

    def _edit(self, change, select):
        specs = list(self.specs)
        change(specs)
        self.specs, self.text_problem = specs, ""
        self.text_edit.setText(format_layers(specs))
        self.text_edit.setCursorPosition(0)   # the narrow line shows the stack's start
        self._refresh(select=select)
        self.changed.emit()

    def _on_text_typed(self, text):
        self._take_text(text)
        self._refresh()
        self.changed.emit()

    def _take_text(self, text):
        try:
            self.specs, self.text_problem = parse_layers(text), ""
        except ConfigError as error:
            self.text_problem = str(error)

    def _on_mode(self):
        if self.mode == STACK:
            self.text_edit.setText(format_layers(self.specs))
            self.text_problem = ""
        self._apply_mode()
        self.changed.emit()

    def _apply_mode(self):
        self.setVisible(self.mode == STACK)   # the MLP needs no row of its own (Hidden layers is above)
        self._refresh()

    def _set_defaults_for_kind(self):
        kind = self.kind_combo.currentData()
        self.size_spin.setVisible(kind != "dropout")
        self.kernel_spin.setVisible(kind == "conv")
        self.padding_combo.setVisible(kind == "conv")
        self.rate_spin.setVisible(kind == "dropout")
        self.size_spin.setPrefix({"conv": "filters ", "pool": "size ", "dense": "units "}.get(kind, ""))
        self.size_spin.setValue({"conv": 16, "pool": 2, "dense": 128}.get(kind, 1))
        self.kernel_spin.setValue(5)
        self.rate_spin.setValue(0.25)

    def _on_selection(self):
        """The controls show the selected layer, so Change starts from it."""
        index = self.selected_index()
        has = index >= 0
        for button in (self.change_button, self.remove_button):
            button.setEnabled(has)
        self.up_button.setEnabled(has and index > 0)
        self.down_button.setEnabled(has and index < len(self.specs) - 1)
        if not has or self.specs[index].kind not in EDITABLE_KINDS:
            return
        spec = self.specs[index]
        self.kind_combo.setCurrentIndex(self.kind_combo.findData(spec.kind))
        if spec.kind == "dropout":
            self.rate_spin.setValue(spec.rate)
        else:
            self.size_spin.setValue(spec.size)
        if spec.kind == "conv":
            self.kernel_spin.setValue(spec.kernel)
            self.padding_combo.setCurrentText(spec.padding)

    # ----- the table -----------------------------------------------------------------------------
    def _refresh(self, select=None):
        config, input_shape, n_classes = self.context
        shape = stack_input_shape(config, input_shape)
        self.rows, self.problem, fault, shown = [], "", None, []
        if self.mode == STACK:
            if self.text_problem:
                self.problem = self.text_problem
            else:
                try:
                    checked = dataclasses.replace(config, layers=format_layers(self.specs))
                    self.rows = check_layer_stack(checked, input_shape, n_classes)
                except ConfigError as error:
                    self.problem = str(error)
                    shown, fault = rows_and_fault(self.specs, shape)
                    if fault is None and self.specs:
                        fault = len(self.specs) - 1   # the output layer itself is wrong
        self.error_label.setText(f"This stack cannot train: {self.problem}" if self.problem else "")
        self.error_label.setVisible(bool(self.problem))
        self.table.fill(shape, self.specs, shown if self.problem else self.rows, fault, self.problem)
        if self.rows:
            params = sum(r.n_params for r in self.rows)
            mult_adds = sum(r.mult_adds for r in self.rows)
            self.totals_label.setText(f"Total: {params:,} parameters · {mult_adds:,} multiply-adds per image")
        else:
            self.totals_label.setText("Total: — (fix the stack first)" if self.problem else "")
        if select is not None and 0 <= select < len(self.specs):
            self.table.selectRow(select + 1)
        else:
            self._on_selection()
