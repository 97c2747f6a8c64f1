"""A non-blocking notice above the centre tabs (e.g. "this run is not being recorded"): it says
what happened and that nothing else stopped, and goes when dismissed or replaced."""
from PyQt5.QtWidgets import QFrame, QHBoxLayout, QLabel, QPushButton


class NoticeBar(QFrame):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("noticeBar")
        # its colours are the theme's (resources/style.qss, QFrame#noticeBar)
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
