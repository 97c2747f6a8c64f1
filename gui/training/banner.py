"""A non-blocking banner at the top of the window: the run diverged, here is why and what to do."""
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QFrame, QHBoxLayout, QLabel, QLineEdit, QPushButton, QVBoxLayout

from gui.ground import theme


class DivergenceBanner(QFrame):
    """Explains the divergence; offers the suggested lower learning rate, pre-filled, and Resume."""

    resume_requested = pyqtSignal(float)
    dismissed = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("banner")
        self.title = QLabel("<b>Training diverged and is paused</b>")
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.rate_edit = QLineEdit()
        self.rate_edit.setMaximumWidth(110)
        self.resume_button = QPushButton("Resume with this learning rate")
        self.stop_button = QPushButton("Stop")
        row = QHBoxLayout()
        row.addWidget(QLabel("New learning rate:"))
        row.addWidget(self.rate_edit)
        row.addWidget(self.resume_button)
        row.addWidget(self.stop_button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(12, 8, 12, 8)
        layout.addWidget(self.title)
        layout.addWidget(self.message)
        layout.addLayout(row)
        self.resume_button.clicked.connect(self._on_resume)
        self.rate_edit.returnPressed.connect(self._on_resume)
        self.stop_button.clicked.connect(self.dismissed)
        self.setVisible(False)

    def show_divergence(self, snapshot):
        """snapshot: core.training.snapshots.DivergedSnapshot."""
        self.message.setText(snapshot.message)
        self.rate_edit.setText(f"{snapshot.suggested_learning_rate:g}")
        self.rate_edit.setStyleSheet("")
        self.setVisible(True)

    def _on_resume(self):
        try:
            rate = float(self.rate_edit.text())
        except ValueError:
            rate = -1.0
        if not (0 < rate < 1e4):
            self.rate_edit.setStyleSheet(f"border: 2px solid {theme.colours().error};")
            self.rate_edit.setToolTip("Enter a positive number, e.g. 0.01")
            return
        self.setVisible(False)
        self.resume_requested.emit(rate)
