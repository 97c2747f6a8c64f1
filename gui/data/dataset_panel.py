"""Choosing the data: MNIST from a folder (or downloaded), the built-in digits, any IDX folder, a
MATLAB .mat file in the layout of Andrew Ng's ex4 (X: one unrolled 20x20 image per row, y 1..10),
or images from a folder with one subfolder per class (torchvision's ImageFolder layout).

The panel only collects the choice; the window loads the data in a worker thread (reading the
gzip files takes a second or two) and reports back with ``set_notice`` / ``set_loaded``. Data
loaded elsewhere (File > My drawings trains on the user's drawings) is named in the combo by
``show_other_data``, an item of its own until data is loaded here again.

The panel does not pretend: while the combo's choice (or the path) is not the data loaded, a
note under it says so and what Start trains on, and ``choice_pending(bool)`` tells the window.
After a load the combo shows what was loaded (DataLoader.request names every load to the panel:
``note_request``).
"""
import os

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QComboBox, QFileDialog, QGridLayout, QHBoxLayout, QLabel, QLineEdit, QPushButton,
                             QWidget)

from core.data.datasets import resolve_data_dir
from gui.data.download_progress import DownloadProgressBox
from gui.data.missing_mnist import MissingMnistBox

CHOICES = (("mnist", "MNIST (from a folder)"), ("digits", "Built-in 8x8 digits (offline)"),
           ("idx", "Other IDX folder (MNIST layout)"), ("mat", "MATLAB .mat file (ex4 layout)"),
           ("images", "Images from a folder (a subfolder per class)"))
FILE_KINDS = {"mat"}   # the path field holds a file for these, a folder for the others
OTHER = "other"        # the combo item naming data loaded elsewhere (show_other_data): nothing to load here
FOLDER_TIP = "Folder holding train-images-idx3-ubyte(.gz) and the other three files"
IMAGES_TIP = ("A folder with one subfolder per class, named as the class (circle/, square/, …): images of any "
              "size, dark on light or light on dark, each cropped, scaled and centred as the canvas prepares a "
              "drawing. train/ and test/ subfolders are used as they are, else a fifth of each class is held out. "
              "Files named with their digit (7_a.png) work too.")
FILE_TIP = ("A MATLAB .mat file as in ex4 (ex4data1.mat): X with one 20x20 image per row, unrolled "
            "column by column, values in [0, 1]; y with labels 1..10, 10 meaning the digit 0. "
            "A fifth of each digit is held out as the test set.")


class DatasetPanel(QWidget):
    load_requested = pyqtSignal(str, str)      # dataset name, folder or .mat file ('' for the default)
    download_requested = pyqtSignal(str)       # destination folder
    choice_pending = pyqtSignal(bool)          # True: the combo shows a choice not loaded (Start trains on the loaded)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.kind_combo = QComboBox()
        self.kind_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.kind_combo.setMinimumContentsLength(12)
        for name, title in CHOICES:
            self.kind_combo.addItem(title, name)
        self.folder_edit = QLineEdit(str(resolve_data_dir(None)))
        # a folder and a .mat file are different things: each kind of path keeps its own text
        self._paths = {"folder": "", "file": "", "images": ""}
        self._shown_mode = "folder"
        self._chosen = "mnist"   # the last kind that loads here (what the OTHER item stands in front of)
        self._busy = False
        self._path_before = None   # the path field's text before show_other_data put the data's folder in it
        self._requested = None     # (kind, path) of the load under way
        self._loaded = None        # (kind, path) of the data in use; None: nothing loaded yet
        self._loaded_name = ""
        self._pending = False
        self.browse_button = QPushButton("Browse…")
        self.load_button = QPushButton("Load data")
        self.download_button = QPushButton("Download MNIST…")
        self.status = QLabel("No data loaded.")
        self.status.setWordWrap(True)
        self.status.setObjectName("hint")
        self.pending = QLabel()   # "not loaded yet": the combo's choice is not the data in use
        self.pending.setObjectName("notice")
        self.pending.setWordWrap(True)
        self.pending.setVisible(False)
        self.notice = QLabel()
        self.notice.setObjectName("notice")
        self.notice.setWordWrap(True)
        self.notice.setVisible(False)
        self.missing = MissingMnistBox()   # "MNIST is not here yet" and the three ways on, in place
        self.download_progress = DownloadProgressBox()   # a download's progress, in place of the box
        folder_row = QHBoxLayout()
        folder_row.addWidget(self.folder_edit, 1)
        folder_row.addWidget(self.browse_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.load_button)
        buttons.addWidget(self.download_button)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.kind_combo, 0, 0)
        layout.addLayout(folder_row, 1, 0)
        layout.addLayout(buttons, 2, 0)
        layout.addWidget(self.pending, 3, 0)
        layout.addWidget(self.status, 4, 0)
        layout.addWidget(self.notice, 5, 0)
        layout.addWidget(self.missing, 6, 0)
        layout.addWidget(self.download_progress, 7, 0)
        self.kind_combo.currentIndexChanged.connect(self._on_kind)
        self.browse_button.clicked.connect(self._browse)
        self.load_button.clicked.connect(self.request_load)
        self.folder_edit.returnPressed.connect(self.request_load)
        self.folder_edit.textChanged.connect(lambda _: self._update_pending())
        self.download_button.clicked.connect(lambda: self.download_requested.emit(self.folder_edit.text().strip()))
        self._on_kind()

    @property
    def kind(self):
        return self.kind_combo.currentData()

    @property
    def chosen_kind(self):
        """The kind to remember and load: the combo's, or the one chosen before data from elsewhere."""
        return self._chosen if self.kind == OTHER else self.kind

    def show_other_data(self, title, tip="", source=""):
        """Data loaded elsewhere is the data now (File > My drawings: the user's drawings): the combo
        names it, selected, and the path field its folder (greyed out) until data is loaded here
        again or another kind is chosen (the path chosen before comes back)."""
        if self.kind != OTHER:
            self._path_before = self.folder_edit.text()
        self._loaded, self._loaded_name = (OTHER, source), title
        index = self.kind_combo.findData(OTHER)
        if index < 0:
            self.kind_combo.addItem(title, OTHER)
            index = self.kind_combo.count() - 1
        self.kind_combo.setItemText(index, title)
        self.kind_combo.setItemData(index, tip or title, Qt.ToolTipRole)
        self.kind_combo.setCurrentIndex(index)
        self.folder_edit.setText(source)
        self._on_kind()

    def _forget_other_data(self):
        index = self.kind_combo.findData(OTHER)
        if index >= 0:
            chosen, selected = self._chosen, index == self.kind_combo.currentIndex()
            self.kind_combo.removeItem(index)   # selected, Qt selects a neighbour first: the choice before comes back
            if selected:
                self.set_choice(chosen)

    def set_choice(self, kind, folder=""):
        index = self.kind_combo.findData(kind)
        if index >= 0:
            self.kind_combo.setCurrentIndex(index)
        if folder:
            self.folder_edit.setText(folder)

    @property
    def wants_file(self):
        return self.kind in FILE_KINDS

    def _on_kind(self, *_):
        other = self.kind == OTHER
        self.load_button.setEnabled(not other and not self._busy)
        if other:   # named, not loadable here: the path stays as it was, greyed out
            for widget in (self.folder_edit, self.browse_button):
                widget.setEnabled(False)
            self.download_button.setVisible(False)
            self._update_pending()
            return
        self._chosen = self.kind
        if self._path_before is not None:   # leaving the data from elsewhere: the path chosen before
            self.folder_edit.setText(self._path_before)
            self._path_before = None
        mode = "file" if self.wants_file else "images" if self.kind == "images" else "folder"
        if mode != self._shown_mode:
            self._paths[self._shown_mode] = self.folder_edit.text()
            self.folder_edit.setText(self._paths[mode])
            self._shown_mode = mode
        self.folder_edit.setToolTip(FILE_TIP if self.wants_file else IMAGES_TIP if mode == "images" else FOLDER_TIP)
        self.folder_edit.setPlaceholderText("path/to/ex4data1.mat" if self.wants_file else
                                            "a folder with a subfolder per class" if mode == "images" else "")
        self.browse_button.setToolTip("Choose a .mat file" if self.wants_file else "Choose a folder")
        needs_path = self.kind != "digits"
        self.folder_edit.setEnabled(needs_path)
        self.browse_button.setEnabled(needs_path)
        self.download_button.setVisible(self.kind == "mnist")
        self._update_pending()

    def _browse(self):
        if self.wants_file:
            path, _ = QFileDialog.getOpenFileName(self, "MATLAB data file (ex4 layout: X, y)",
                                                  self.folder_edit.text(), "MATLAB data (*.mat);;All files (*)")
        else:
            title = "Folder with a subfolder per class" if self.kind == "images" else "Folder with the MNIST IDX files"
            path = QFileDialog.getExistingDirectory(self, title, self.folder_edit.text())
        if path:
            self.folder_edit.setText(path)
            self.request_load()

    def request_load(self):
        if self.kind == OTHER:
            return   # loaded elsewhere: nothing here to load
        folder = self.folder_edit.text().strip() if self.kind != "digits" else ""
        self.load_requested.emit(self.kind, folder)

    def set_busy(self, busy, text=""):
        self._busy = busy
        for widget in (self.load_button, self.download_button, self.kind_combo, self.browse_button):
            widget.setEnabled(not busy)
        if not busy:
            self._on_kind()
        else:
            self._update_pending()   # loading: the status says so
        if text:
            self.status.setText(text)

    # ----- what is loaded, and whether the combo shows it ------------------------------------------
    def note_request(self, kind, folder=""):
        """A load of ``kind`` from ``folder`` is under way (DataLoader.request: the panel's Load
        data, a lesson, a missing-MNIST choice); set_loaded shows it in the combo."""
        self._requested = (kind, folder)

    def forget_request(self):
        """The load failed: the data before it is still the data in use."""
        self._requested = None

    @property
    def loaded_name(self):
        """The name of the data in use ('' before any)."""
        return self._loaded_name

    @property
    def choice_is_loaded(self):
        """False while the combo (or the path) shows data that is not the data in use."""
        return not self._pending

    def _shown_choice_differs(self):
        if self._loaded is None:
            return False   # nothing loaded: the status says "No data loaded"
        kind, path = self._loaded
        if self.kind != kind:
            return True
        if kind in (OTHER, "digits"):
            return False
        shown = self.folder_edit.text().strip()
        return bool(shown and path) and os.path.normpath(shown) != os.path.normpath(path)

    def _update_pending(self):
        pending = not self._busy and self._shown_choice_differs()
        if pending:
            self.pending.setText(f"Not loaded yet: press Load data. Start trains on the data loaded, "
                                 f"{self._loaded_name}.")
        self.pending.setVisible(pending)
        if pending != self._pending:
            self._pending = pending
            self.choice_pending.emit(pending)

    def set_loaded(self, dataset, notice=None):
        self._loaded = None   # being replaced: no "not loaded yet" while the combo follows
        self._forget_other_data()   # whoever loaded data from elsewhere names it again after this
        kind, folder = self._requested or (self.kind, self.folder_edit.text().strip())
        self._requested = None
        if kind != self.kind:   # loaded by a lesson or another way round the combo: show what it is
            self.set_choice(kind, folder)
        elif folder and kind != "digits":
            self.folder_edit.setText(folder)
        self._loaded = (kind, folder or self.folder_edit.text().strip())
        self._loaded_name = dataset.name
        self._update_pending()
        self.status.setText(f"Loaded {dataset.name}: {len(dataset.train_labels):,} training / "
                            f"{len(dataset.test_labels):,} test images, {dataset.image_shape[0]}x"
                            f"{dataset.image_shape[1]}.")
        self.notice.setText(notice or "")
        self.notice.setVisible(bool(notice))
        self.missing.setVisible(False)   # data is in: nothing is missing any more
