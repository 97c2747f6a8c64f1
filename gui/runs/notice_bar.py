"""A non-blocking notice above the centre tabs (e.g. "this run is not being recorded"): it says
what happened and that nothing else stopped, and goes when dismissed or replaced."""
from PyQt5.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class NoticeBar(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("noticeBar")
        self.setStyleSheet("#noticeBar { background: #fff4d6; border: 1px solid #e0b84a; border-radius: 4px; }")
        self.label = QLabel()
        self.label.setWordWrap(True)
        self.dismiss_button = QPushButton("Dismiss")
        layout = QHBoxLayout(self)
        layout.setContentsMargins(10, 4, 10, 4)
        layout.addWidget(self.label, 1)
        layout.addWidget(self.dismiss_button)
        self.dismiss_button.clicked.connect(lambda: self.setVisible(False))
        self.setVisible(False)

    def show_notice(self, text):
        self.label.setText(text)
        self.setVisible(True)
