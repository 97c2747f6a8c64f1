"""When the folder the app looks in holds no MNIST: say so in place, in the Data panel, with the
three ways on. No dialog: on a first launch the window opens at once (the Draw tab already works
with the shipped model), and the box says what is missing and offers

  Choose a folder…   another folder with the files (the platform's folder dialog)
  Download MNIST     into the folder named (about 11 MB; the progress shows in the panel in
                     place of this box, gui/data/download_progress.py)
  Use built-in digits  scikit-learn's 1,797 8x8 digits, offline

The choice arrives as ``chosen(choice, folder)`` with choice one of CHOICES (folder: where to
look or download). The app never falls back to the built-in digits without saying so. After a
failed or cancelled download the box comes back with the reason in one line above it.
"""
from pathlib import Path

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QFileDialog, QFrame, QLabel, QPushButton, QVBoxLayout

from core.data.datasets import IDX_CANDIDATE_NAMES, IDX_ROLES

PICK_FOLDER, DOWNLOAD, USE_DIGITS = "pick_folder", "download", "use_digits"
CHOICES = (PICK_FOLDER, DOWNLOAD, USE_DIGITS)


def expected_file_names():
    """The four MNIST file names the app looks for (each may also end in .gz)."""
    return [IDX_CANDIDATE_NAMES[role][0] for role in IDX_ROLES]


def describe_missing(folder):
    exists = Path(folder).is_dir()
    where = f"the folder<br><code>{folder}</code>" if exists else f"<code>{folder}</code> (no such folder yet)"
    files = ", ".join(expected_file_names())
    return (f"<b>MNIST is not here yet.</b> No MNIST files were found in {where}.<br>"
            f"<small>Looked for {files} (each may also end in .gz).</small><br>"
            f"Meanwhile the Draw tab works with the model that ships with DigitLab.")


class MissingMnistBox(QFrame):
    """The in-place notice. choose_folder(parent, start) -> str ('' if cancelled) picks another
    folder; tests pass their own instead of the platform's folder dialog."""

    chosen = pyqtSignal(str, str)   # one of CHOICES, folder

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("missingMnist")
        self.setFrameShape(QFrame.StyledPanel)
        self.folder = ""
        self.choose_folder = None
        self.message = QLabel()
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.reason = QLabel()              # why the last download failed, one line (hidden if none)
        self.reason.setObjectName("notice")
        self.reason.setWordWrap(True)
        self.reason.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.reason.setVisible(False)
        self.pick_button = QPushButton("Choose a folder with MNIST…")
        self.download_button = QPushButton("Download MNIST (about 11 MB)")
        self.digits_button = QPushButton("Use the built-in 8x8 digits (offline)")
        self.digits_button.setToolTip("1,797 small scanned digits (8x8) that ship with scikit-learn: "
                                      "enough to try everything, offline")
        buttons = QVBoxLayout()   # one under the other: side by side they widened the left panel
        for button in (self.pick_button, self.download_button, self.digits_button):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        layout.addWidget(self.reason)
        layout.addWidget(self.message)
        layout.addLayout(buttons)
        self.pick_button.clicked.connect(self._pick)
        self.download_button.clicked.connect(lambda: self.chosen.emit(DOWNLOAD, self.folder))
        self.digits_button.clicked.connect(lambda: self.chosen.emit(USE_DIGITS, ""))
        self.setVisible(False)

    def show_for(self, folder, reason="", details=""):
        """Say that ``folder`` holds no MNIST, and show the ways on; reason: why the download just
        tried failed (one line; details, every mirror's answer, in its tooltip)."""
        self.folder = str(folder)
        self.reason.setText(reason)
        self.reason.setToolTip(details)
        self.reason.setVisible(bool(reason))
        self.message.setText(describe_missing(self.folder))
        self.download_button.setToolTip(f"Download the four files (about 11 MB) into {self.folder}")
        self.setVisible(True)

    def _pick(self):
        folder = (self.choose_folder or _platform_folder_dialog)(self, self.folder)
        if folder:   # cancelled: the box stays, the user can choose something else
            self.chosen.emit(PICK_FOLDER, str(folder))


def _platform_folder_dialog(parent, start):
    return QFileDialog.getExistingDirectory(parent, "Folder with the MNIST files", start)
