"""One widget per declared setting, made from its declaration (core.settings.fields.Setting).

The kind of widget follows from the setting: choices -> a combo box (with the declared names
for the values), a bool -> a check box, an int -> a spin box over the declared range (unit as
suffix, a named minimum as special text), named suggestions without fixed choices (image size)
-> a combo that also takes other values, anything else (floats, layer lists) -> a line edit
parsed by the setting. Every widget's tooltip is the setting's help with its range or choices.

Each widget is also an attribute of the section that holds it, named ``<setting>_<kind>``
(``learning_rate_edit``, ``loss_combo``, ``epochs_spin``, ``track_test_box``), so tests and the
window can reach it by a name they can predict.
"""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import (QCheckBox, QComboBox, QHBoxLayout, QLabel, QLineEdit, QSpinBox, QStyle,
                             QStyleOptionComboBox, QStylePainter)

SPIN_LIMIT = 2 ** 31 - 1   # QSpinBox holds a C int


class ElidingComboBox(QComboBox):
    """A combo box whose closed text ends in '…' when it does not fit (the style would cut it)."""

    def paintEvent(self, event):
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.CC_ComboBox, option)
        field = self.style().subControlRect(QStyle.CC_ComboBox, option, QStyle.SC_ComboBoxEditField, self)
        option.currentText = self.fontMetrics().elidedText(option.currentText, Qt.ElideRight, field.width())
        painter.drawControl(QStyle.CE_ComboBoxLabel, option)

    def displayed_text(self):
        """The closed combo's text as painted (tests, tooltips)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(QStyle.CC_ComboBox, option, QStyle.SC_ComboBoxEditField, self)
        return self.fontMetrics().elidedText(self.currentText(), Qt.ElideRight, field.width())


def combo(items=()):
    box = ElidingComboBox()
    box.addItems(list(items))
    # long entries (preset titles) must not widen the whole left panel
    box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(12)
    return box


class SettingEditor:
    """The widget for one Setting, with value() / set_value() in the setting's own type.

    value() raises ConfigError (naming the setting) when the text typed does not parse.
    """

    def __init__(self, info):
        self.info = info
        self.help = info.help_text()
        if info.type is bool:
            self.kind, self.widget = "box", QCheckBox(info.label)
        elif info.choices or info.names and info.type is not int:
            self.kind, self.widget = "combo", combo()
            for value in info.choices or info.names:
                self._add_item(value)
        elif info.type is int:
            self.kind, self.widget = "spin", self._spin_box(info)
        else:
            self.kind, self.widget = "edit", QLineEdit()
            if info.example:
                self.widget.setPlaceholderText(f"e.g. {info.example}")
        self.label = None if self.kind == "box" else QLabel(info.label)
        self.set_note("")

    @property
    def attribute(self):
        return f"{self.info.name}_{self.kind}"

    @staticmethod
    def _spin_box(info):
        spin = QSpinBox()
        low = info.minimum if info.minimum is not None else (info.above + 1 if info.above is not None else -SPIN_LIMIT)
        high = info.maximum if info.maximum is not None else (info.below - 1 if info.below is not None else SPIN_LIMIT)
        spin.setRange(max(int(low), -SPIN_LIMIT), min(int(high), SPIN_LIMIT))
        if info.unit:
            spin.setSuffix(f" {info.unit}")
        if info.names and spin.minimum() in info.names:
            spin.setSpecialValueText(info.names[spin.minimum()])
        return spin

    def _add_item(self, value):
        names = self.info.names or {}
        self.widget.addItem(names.get(value, self.info.to_text(value)), value)
        return self.widget.count() - 1

    # ----- values --------------------------------------------------------------------------
    def value(self):
        if self.kind == "box":
            return self.widget.isChecked()
        if self.kind == "spin":
            return self.widget.value()
        if self.kind == "combo":
            return self.widget.currentData()
        return self.info.from_text(self.widget.text())

    def set_value(self, value):
        if self.kind == "box":
            self.widget.setChecked(bool(value))
        elif self.kind == "spin":
            self.widget.setValue(int(value))
        elif self.kind == "combo":
            index = self.widget.findData(value)
            if index < 0 and self.info.choices:
                return   # not an allowed value (settings from another version): keep the current one
            self.widget.setCurrentIndex(index if index >= 0 else self._add_item(value))
        else:
            self.widget.setText(self.info.to_text(value))

    def connect(self, slot):
        """Call slot whenever the user (or set_value) changes the value."""
        signal = {"box": "toggled", "spin": "valueChanged", "combo": "currentIndexChanged",
                  "edit": "textChanged"}[self.kind]
        getattr(self.widget, signal).connect(slot)

    # ----- state -----------------------------------------------------------------------------
    def set_note(self, note):
        """Tooltip: the help, or why the setting is not used right now."""
        text = note or self.help
        self.widget.setToolTip(text)
        if self.label is not None:
            self.label.setToolTip(text)

    def set_enabled(self, enabled):
        self.widget.setEnabled(enabled)
        if self.label is not None:
            self.label.setEnabled(enabled)


def add_rows(layout, infos, owner, beside=None, custom=None):
    """Editors for infos added as rows of the QFormLayout ``layout``; each widget also becomes
    ``owner.<setting>_<kind>``. beside: {setting name: widget shown to the right of its editor};
    custom: {setting name: editor class with SettingEditor's interface} (the layer stack editor).
    Returns {setting name: SettingEditor}."""
    editors = {}
    for info in infos:
        editor = (custom or {}).get(info.name, SettingEditor)(info)
        setattr(owner, editor.attribute, editor.widget)
        field = getattr(editor, "field", editor.widget)   # a custom editor may put part of itself here
        if beside and info.name in beside:
            field = QHBoxLayout()
            field.setContentsMargins(0, 0, 0, 0)
            field.addWidget(editor.widget, 1)
            field.addWidget(beside[info.name])
        if editor.label is None:
            layout.addRow(field)
        else:
            layout.addRow(editor.label, field)
        if getattr(editor, "below", None) is not None:   # ... and the rest as a whole row below
            layout.addRow(editor.below)
        editors[info.name] = editor
    return editors

