"""The window's left panel: Data and Network-and-training settings (scrolling if the window is
short), and below them, always visible, the Run box (Start / Pause / Stop / Reset, why Start is
disabled, progress). Builds widgets only; the window connects them."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QFrame, QGroupBox, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from gui.data.dataset_panel import DatasetPanel
from gui.training.progress_view import ProgressView
from gui.training.settings_form import SettingsForm


class LeftPanel(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("leftPanel")
        self.dataset_panel = DatasetPanel()
        self.form = SettingsForm()
        self.progress = ProgressView()
        self.start_button = QPushButton("Start")
        self.start_button.setObjectName("startButton")
        self.pause_button = QPushButton("Pause")
        self.stop_button = QPushButton("Stop")
        self.reset_button = QPushButton("Reset")
        self.form_error = QLabel()
        self.form_error.setObjectName("formError")
        self.form_error.setWordWrap(True)
        self.form_error.hide()   # shown with its reason when the form is invalid (an empty one took a row)
        buttons = QHBoxLayout()
        for button in (self.start_button, self.pause_button, self.stop_button, self.reset_button):
            buttons.addWidget(button)
        settings = QWidget()
        settings.setObjectName("leftPanel")
        settings_layout = QVBoxLayout(settings)
        settings_layout.setContentsMargins(10, 4, 10, 6)
        settings_layout.addWidget(group("Data", self.dataset_panel))
        settings_layout.addWidget(group("Network and training", self.form))
        settings_layout.addStretch(1)
        scroll = self.settings_scroll = QScrollArea()
        scroll.setWidget(settings)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
        scroll.setFocusPolicy(Qt.NoFocus)   # Tab goes to the fields (each scrolled into view), not the panel
        controls = QWidget()
        controls_layout = QVBoxLayout(controls)
        controls_layout.setContentsMargins(0, 0, 0, 0)
        controls_layout.addLayout(buttons)
        controls_layout.addWidget(self.form_error)
        controls_layout.addWidget(self.progress)
        self.run_box = group("Run", controls)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addWidget(scroll, 1)
        run_holder = QWidget()
        run_holder.setObjectName("leftPanel")
        run_layout = QVBoxLayout(run_holder)
        scrollbar_width = scroll.verticalScrollBar().sizeHint().width()
        run_layout.setContentsMargins(10, 0, 10 + scrollbar_width, 8)
        run_layout.addWidget(self.run_box)
        layout.addWidget(run_holder)
        # wide enough for the form: the panel never scrolls sideways or clips its fields
        # and for the Run box's values at their widest ("Learning rate", "20 / 100 done" were cut)
        self.setMinimumWidth(max(360, settings.minimumSizeHint().width() + scrollbar_width + 24,
                                 self.run_box.minimumSizeHint().width() + 20 + scrollbar_width))


def group(title, widget):
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 6, 8, 8)
    layout.addWidget(widget)
    return box
