"""CollapsibleSection: a toggle button with an arrow over a body of form rows that opens and
closes (the settings form's Advanced and Augmentation sections)."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QFormLayout, QToolButton, QVBoxLayout, QWidget


class CollapsibleSection(QWidget):
    """``toggle`` (checkable, arrow right/down) shows or hides ``body``, whose QFormLayout is
    ``form``; the section starts closed. Subclasses add their rows to ``form``."""

    def __init__(self, title, tooltip="", parent=None):
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText(title)
        self.toggle.setToolTip(tooltip)
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.body = QWidget()
        self.form = QFormLayout(self.body)
        self.form.setContentsMargins(12, 0, 0, 0)
        self.form.setVerticalSpacing(6)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.set_expanded(False)
        self.toggle.toggled.connect(self.set_expanded)

    @property
    def expanded(self):
        return self.body.isVisibleTo(self)

    def set_expanded(self, expanded):
        self.toggle.blockSignals(True)
        self.toggle.setChecked(expanded)
        self.toggle.blockSignals(False)
        self.toggle.setArrowType(Qt.DownArrow if expanded else Qt.RightArrow)
        self.body.setVisible(expanded)
