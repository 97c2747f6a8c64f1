"""When the folder the user named holds no MNIST: say what was not found, and offer the ways on.

The app used to fall back to the built-in 8x8 digits without a word; now this dialog names the
folder and the four files it looked for, and offers: pick another folder, download MNIST into
this folder, or use the built-in digits. It is non-blocking (``open()``); the choice arrives as
``chosen(choice, folder)`` with choice one of CHOICES (folder: where to look or download).
"""
from pathlib import Path

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QDialog, QDialogButtonBox, QFileDialog, QLabel, QPushButton, QVBoxLayout

from core.data.datasets import IDX_CANDIDATE_NAMES, IDX_ROLES

PICK_FOLDER, DOWNLOAD, USE_DIGITS = "pick_folder", "download", "use_digits"
CHOICES = (PICK_FOLDER, DOWNLOAD, USE_DIGITS)


def expected_file_names():
    """The four MNIST file names the app looks for (each may also end in .gz)."""
    return [IDX_CANDIDATE_NAMES[role][0] for role in IDX_ROLES]


def describe_missing(folder):
    exists = Path(folder).is_dir()
    where = f"the folder<br><code>{folder}</code>" if exists else f"<code>{folder}</code> (no such folder)"
    files = "".join(f"<li><code>{name}</code></li>" for name in expected_file_names())
    return (f"<p><b>No MNIST files were found</b> in {where}.</p>"
            f"<p>DigitLab looks for these four files (each may also end in <code>.gz</code>):</p>"
            f"<ul>{files}</ul><p>What would you like to do?</p>")


class MissingMnistDialog(QDialog):
    """choose_folder(parent, start) -> str ('' if cancelled) picks another folder; tests pass
    their own instead of the platform's folder dialog."""

    chosen = pyqtSignal(str, str)   # one of CHOICES, folder

    def __init__(self, folder, parent=None, choose_folder=None):
        super().__init__(parent)
        self.setObjectName("missingMnistDialog")
        self.setWindowTitle("MNIST not found")
        self.setWindowModality(Qt.WindowModal)
        self.folder = str(folder)
        self._choose_folder = choose_folder or _platform_folder_dialog
        self.message = QLabel(describe_missing(self.folder))
        self.message.setWordWrap(True)
        self.message.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.message.setMinimumWidth(460)
        self.pick_button = QPushButton("Choose another folder…")
        self.download_button = QPushButton("Download MNIST (about 11 MB)")
        self.download_button.setToolTip(f"Download the four files into {self.folder}")
        self.digits_button = QPushButton("Use the built-in 8x8 digits")
        self.digits_button.setToolTip("1,797 small scanned digits that ship with scikit-learn: "
                                      "enough to try everything, offline")
        buttons = QDialogButtonBox()
        for button in (self.pick_button, self.download_button, self.digits_button):
            buttons.addButton(button, QDialogButtonBox.ActionRole)
        self.cancel_button = buttons.addButton(QDialogButtonBox.Cancel)
        self.download_button.setDefault(True)
        layout = QVBoxLayout(self)
        layout.addWidget(self.message)
        layout.addWidget(buttons)
        self.pick_button.clicked.connect(self._pick)
        self.download_button.clicked.connect(lambda: self._choose(DOWNLOAD, self.folder))
        self.digits_button.clicked.connect(lambda: self._choose(USE_DIGITS, ""))
        buttons.rejected.connect(self.reject)

    def _pick(self):
        folder = self._choose_folder(self, self.folder)
        if folder:   # cancelled: the dialog stays, the user can choose something else
            self._choose(PICK_FOLDER, str(folder))

    def _choose(self, choice, folder):
        self.accept()
        self.chosen.emit(choice, folder)


def _platform_folder_dialog(parent, start):
    return QFileDialog.getExistingDirectory(parent, "Folder with the MNIST files", start)
