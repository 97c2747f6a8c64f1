"""Runs > Export film...: which run, which view, how many frames, where the GIF (and the PNG
frames) go. Opened with open() (the window keeps painting); emits ``chosen(FilmRequest)`` on OK.
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import (QCheckBox, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QHBoxLayout,
                             QLabel, QLineEdit, QPushButton, QSpinBox, QVBoxLayout)

from core.figures.film import NEEDS_DATA, VIEWS
from gui.ground.save_paths import suggested_path

VIEW_TEXTS = {"weights": "First-layer weights", "filters": "Convolution filters (every conv layer)",
              "feature-maps": "Feature maps of one test image", "map": "The Map (PCA of 1,000 test images)",
              "curves": "Loss and accuracy curves"}


@dataclass
class FilmRequest:
    run_id: str
    view: str
    path: str                    # the GIF
    frames: Optional[int] = None  # None: one per checkpoint
    png_dir: Optional[str] = None
    image: int = 0


class FilmDialog(QDialog):
    """summaries: RunSummary rows that can be filmed (a checkpoint at least); selected: the run id
    to preselect (the Runs tab's selection)."""

    chosen = pyqtSignal(object)

    def __init__(self, summaries, selected=None, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Export a training film")
        self.summaries = list(summaries)
        self.run_combo = QComboBox()
        for summary in self.summaries:
            n = len(summary.checkpoints)
            count = f"{n} checkpoint{'s' if n != 1 else ''}"
            state = f"training now, {count} so far" if summary.status == "running" else count
            self.run_combo.addItem(f"{summary.name}  ({summary.id}, {state})", summary.id)
        ids = [s.id for s in self.summaries]
        if selected in ids:
            self.run_combo.setCurrentIndex(ids.index(selected))
        elif ids:
            self.run_combo.setCurrentIndex(len(ids) - 1)   # the newest
        self.view_combo = QComboBox()
        for view in VIEWS:
            self.view_combo.addItem(VIEW_TEXTS[view], view)
        self.frames = QSpinBox()
        self.frames.setToolTip("Frames spread evenly over the run, the first and the last checkpoint included")
        self.image = QSpinBox()
        self.image.setRange(0, 9999)
        self.image.setToolTip("Which test image the feature maps follow (0 is the test set's first)")
        self.path = QLineEdit(suggested_path("digitlab-film.gif"))
        browse = QPushButton("Browse…")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.path, 1)
        where.addWidget(browse)
        self.png_frames = QCheckBox("Also save every frame as a PNG (a new folder beside the GIF)")
        self.note = QLabel("")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("Run", self.run_combo)
        form.addRow("View", self.view_combo)
        form.addRow("Frames", self.frames)
        form.addRow("Test image", self.image)
        form.addRow("GIF file", where)
        buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        buttons.button(QDialogButtonBox.Ok).setText("Export film")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)
        self.ok_button = buttons.button(QDialogButtonBox.Ok)
        intro = QLabel("A film shows one view of a recorded run at each of its checkpoints (the weights saved at "
                       "an epoch's end): watch the weights take shape or the Map's clusters pull apart.")
        intro.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addLayout(form)
        layout.addWidget(self.png_frames)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.run_combo.currentIndexChanged.connect(self._update)
        self.view_combo.currentIndexChanged.connect(self._update)
        self._update()

    def summary(self):
        index = self.run_combo.currentIndex()
        return self.summaries[index] if 0 <= index < len(self.summaries) else None

    def _update(self):
        summary, view = self.summary(), self.view_combo.currentData()
        count = (summary.epochs if view == "curves" else len(summary.checkpoints)) if summary else 0
        self.frames.setRange(min(1, count), max(count, 0))
        self.frames.setValue(count)
        self.image.setEnabled(view == "feature-maps")
        notes = []
        if not summary:
            notes.append("No recorded run has a checkpoint yet: train a run first.")
        elif view in NEEDS_DATA:
            notes.append(f"This view needs the run's data ({summary.dataset}) loaded.")
        if summary and view != "curves":
            notes.append(f"One frame per checkpoint: {count} (older ones may have been thinned to the size cap).")
        self.note.setText(" ".join(notes))
        self.ok_button.setEnabled(count > 0)

    def _browse(self):
        path, _ = QFileDialog.getSaveFileName(self, "Save the film", self.path.text(), "Animated GIF (*.gif)")
        if path:
            self.path.setText(path if path.lower().endswith(".gif") else path + ".gif")

    def request(self):
        summary, view = self.summary(), self.view_combo.currentData()
        path = self.path.text().strip()
        count = summary.epochs if view == "curves" else len(summary.checkpoints)
        png_dir = str(Path(path).with_suffix("")) + "-frames" if self.png_frames.isChecked() else None
        frames = self.frames.value() if self.frames.value() < count else None
        return FilmRequest(summary.id, view, path, frames, png_dir, self.image.value())

    def _accept(self):
        if self.summary() is None:
            return
        self.chosen.emit(self.request())
        self.accept()
