"""DigitPicker: a row of small checkable buttons, one per class (optionally a "none" button first).

Used by the evidence view ("why not that one?") and by Fool it (the target digit). One button
can be disabled (the network's current answer: comparing a digit with itself, or fooling the
network into what it already says, means nothing).
"""
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QButtonGroup, QHBoxLayout, QPushButton, QWidget

from core.drawing.non_digits import short_name

NONE_ID = -1


class DigitPicker(QWidget):
    """Signal picked(object): the class index chosen, or None for the "none" button."""

    picked = pyqtSignal(object)

    def __init__(self, n_classes=10, none_text=None, parent=None):
        super().__init__(parent)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self._row = QHBoxLayout(self)
        self._row.setContentsMargins(0, 0, 0, 0)
        self._row.setSpacing(2)
        self.none_button = None
        self.tip = "{name}"   # each button's tooltip ({name}: its class); set_tip changes it
        if none_text:
            self.none_button = self._add_button(none_text, NONE_ID)
            self.none_button.setChecked(True)
        self.buttons = []
        self.disabled_class = None
        self.set_classes([str(d) for d in range(n_classes)])
        self.group.idClicked.connect(lambda i: self.picked.emit(None if i == NONE_ID else i))

    def _add_button(self, text, button_id):
        button = QPushButton(text)
        button.setCheckable(True)
        button.setObjectName("digitButton")
        # checked: the accent colour of the theme (resources/style.qss, QPushButton:checked)
        # 20 px: ten digits, "none" and the not-a-digit class ("other") fit where eleven 24 px buttons did
        button.setStyleSheet("QPushButton { padding: 3px 0px; min-width: 20px; }"
                             "QPushButton:focus { padding: 2px 0px; }")
        self.group.addButton(button, button_id)
        self._row.addWidget(button)
        button.setToolTip("none" if button_id == NONE_ID else self.tip.format(name=text))
        return button

    def set_tip(self, tip, none_tip=None):
        """Tooltips of the buttons: ``tip`` with {name} standing for the class; ``none_tip`` for "none"."""
        self.tip = tip
        for button in self.buttons:
            button.setToolTip(self.tip.format(name=button.text()) if button.isEnabled() else button.toolTip())
        if self.none_button is not None and none_tip:
            self.none_button.setToolTip(none_tip)

    def set_classes(self, class_names):
        """One button per class name (kept when the names do not change)."""
        names = [short_name(n) for n in class_names]    # the not-a-digit class as "other"
        if names == [b.text() for b in self.buttons]:
            return
        chosen = self.value()
        for button in self.buttons:
            self.group.removeButton(button)
            button.deleteLater()
        self.buttons = [self._add_button(name, i) for i, name in enumerate(names)]
        self.set_value(chosen if chosen is not None and chosen < len(names) else None)

    def value(self):
        """The chosen class index, or None (the "none" button, or nothing chosen)."""
        i = self.group.checkedId()
        return None if i < 0 else i

    def set_value(self, index):
        if index is None:
            if self.none_button is not None:
                self.none_button.setChecked(True)
            else:
                self.group.setExclusive(False)
                for button in self.buttons:
                    button.setChecked(False)
                self.group.setExclusive(True)
        else:
            self.buttons[int(index)].setChecked(True)

    def disable_class(self, index, reason=""):
        """Grey out one class (None: all enabled); a chosen class that gets disabled is unchosen."""
        self.disabled_class = index
        for i, button in enumerate(self.buttons):
            off = index is not None and i == index
            button.setEnabled(not off)
            button.setToolTip(reason if off else self.tip.format(name=button.text()))
        if index is not None and self.value() == index:
            self.set_value(None)
            self.picked.emit(None)
