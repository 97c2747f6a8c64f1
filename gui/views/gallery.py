"""A gallery of validation examples (misclassified ones, or those behind a confusion cell).

Each example is an icon made from its uint8 image (scaled up with nearest-neighbour, so pixels
stay visible) captioned "pred 5 · true 3". Shown examples are capped (MAX_EXAMPLES) to keep
the per-epoch refresh cheap.
"""
import numpy as np
from PyQt5.QtCore import QSize, Qt
from PyQt5.QtGui import QIcon
from PyQt5.QtWidgets import QLabel, QListWidgetItem, QVBoxLayout, QWidget

from gui.ground.pictures import ICON_SIZE, image_to_pixmap, make_icon_list

MAX_EXAMPLES = 120


class Gallery(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.title = QLabel("Misclassified validation examples appear after the first epoch.")
        self.title.setWordWrap(True)
        self.list = make_icon_list()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.title)
        layout.addWidget(self.list, 1)
        self.shown_indices = np.empty(0, np.int64)

    def show_examples(self, images, true_labels, predicted, indices, class_names, title):
        """images: (n_val, H, W) uint8; labels/predicted: (n_val,); indices: which to show."""
        indices = np.asarray(indices, np.int64)
        self.shown_indices = indices[:MAX_EXAMPLES]
        self.list.setUpdatesEnabled(False)
        self.list.clear()
        # Room for the longest caption line ("pred not 0" for one digit against the rest), so
        # word wrap never pushes "true ..." out of the cell.
        longest = max((len(str(name)) for name in class_names), default=1)
        text_width = self.list.fontMetrics().horizontalAdvance("pred " + "W" * longest) + 12
        self.list.setGridSize(QSize(max(ICON_SIZE + 40, text_width), ICON_SIZE + 46))
        for index in self.shown_indices:
            true_name, predicted_name = class_names[true_labels[index]], class_names[predicted[index]]
            # no-break spaces: each caption line stays one line ("pred not 0" must not wrap)
            caption = f"pred {predicted_name}\ntrue {true_name}".replace(" ", "\u00a0")
            item = QListWidgetItem(QIcon(image_to_pixmap(images[index])), caption)
            item.setToolTip(f"validation example #{index}: true {true_name}, predicted {predicted_name}")
            item.setTextAlignment(Qt.AlignHCenter)
            self.list.addItem(item)
        self.list.setUpdatesEnabled(True)
        more = f" (showing the first {MAX_EXAMPLES})" if len(indices) > MAX_EXAMPLES else ""
        self.title.setText(f"{title}: {len(indices)} example{'s' if len(indices) != 1 else ''}{more}")

    def show_misclassified(self, images, true_labels, predicted, class_names):
        wrong = np.flatnonzero(np.asarray(true_labels) != np.asarray(predicted))
        self.show_examples(images, true_labels, predicted, wrong, class_names, "Misclassified validation examples")

    def show_cell(self, images, true_labels, predicted, class_names, true_class, predicted_class):
        """The validation examples of class true_class that were predicted as predicted_class."""
        match = np.flatnonzero((np.asarray(true_labels) == true_class) & (np.asarray(predicted) == predicted_class))
        title = f"True {class_names[true_class]}, predicted {class_names[predicted_class]}"
        self.show_examples(images, true_labels, predicted, match, class_names, title)

    def clear(self):
        self.list.clear()
        self.shown_indices = np.empty(0, np.int64)
        self.title.setText("Misclassified validation examples appear after the first epoch.")
