"""Validation images on which two runs disagree, each with both answers and the truth.

Caption "A 3 · B 5 / true 5": the run that is right is marked with a check. Shown images are
capped (MAX_EXAMPLES) so a pair of weak runs does not build thousands of icons.
"""
import numpy as np
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QIcon
from PyQt5.QtWidgets import QLabel, QListWidgetItem, QVBoxLayout, QWidget

from gui.ground.pictures import ICON_SIZE, image_to_pixmap, make_icon_list

MAX_EXAMPLES = 200


class DisagreementGallery(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel("")
        self.title.setWordWrap(True)
        self.list = make_icon_list(ICON_SIZE + 48, ICON_SIZE + 48)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        self.indices = np.empty(0, np.int64)   # every disagreement (also those beyond the cap)

    def show_disagreements(self, images, labels, predictions_a, predictions_b, class_names, name_a="A", name_b="B"):
        """images: (n_val, H, W) uint8; labels, predictions_*: (n_val,) class indices."""
        self.indices = np.flatnonzero(np.asarray(predictions_a) != np.asarray(predictions_b))
        shown = self.indices[:MAX_EXAMPLES]
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        for index in shown:
            a, b, truth = (class_names[int(v[index])] for v in (predictions_a, predictions_b, labels))
            mark_a = "\u2713" if predictions_a[index] == labels[index] else ""
            mark_b = "\u2713" if predictions_b[index] == labels[index] else ""
            caption = f"{name_a} {a}{mark_a} \u00b7 {name_b} {b}{mark_b}\ntrue {truth}".replace(" ", "\u00a0")
            item = QListWidgetItem(QIcon(image_to_pixmap(images[index])), caption)
            item.setToolTip(f"validation image #{index}: {name_a} says {a}, {name_b} says {b}, true {truth}")
            item.setTextAlignment(Qt.AlignHCenter)
            self.list.addItem(item)
        self.list.setUpdatesEnabled(True)
        n, total = len(self.indices), len(labels)
        only_a = int(np.count_nonzero((predictions_a == labels) & (predictions_b != labels)))
        only_b = int(np.count_nonzero((predictions_b == labels) & (predictions_a != labels)))
        more = f" (showing the first {MAX_EXAMPLES})" if n > MAX_EXAMPLES else ""
        self.title.setText(f"<b>{name_a} and {name_b} disagree on {n:,} of {total:,} validation images</b>{more}; "
                           f"only {name_a} right: {only_a}, only {name_b} right: {only_b}.")

    def clear(self):
        self.list.clear()
        self.indices = np.empty(0, np.int64)
        self.title.setText("")
