"""The Data tab's augmentation preview: the same real training examples, plain and as the
network will see them with the form's current augmentation strengths.

    preview = AugmentPreview()
    preview.set_dataset(dataset)            # picks EXAMPLES_PER_CLASS examples of every class
    preview.set_strengths(AugmentSettings(rotation=15, elastic_alpha=34))   # throttled redraw

The random draw (core.data.augment.draw_params) is seeded by ``draw_seed``: changing a strength
redraws with the same seed, so the user sees the same random turn grow or shrink; "New draw"
takes the next seed. Augmenting 20 images takes 0.5-2 ms on an idle machine (core.data.augment is
vectorised over the batch; measured up to ~35 ms with the two cores loaded 5x over, where the
small GEMMs of the elastic field wait for BLAS threads), so it runs here, on a single-shot timer
that coalesces a burst of edits (THROTTLE_MS), not in a worker thread.
"""
import numpy as np
from PyQt5.QtCore import Qt, QTimer, pyqtSignal
from PyQt5.QtGui import QImage, QPixmap
from PyQt5.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

from core.data.augment import AugmentSettings, apply, draw_params
from core.data.writing_styles import add_writing_styles
from gui.ground.widgets.fitted_picture import FittedPicture
from gui.ground.pictures import tile_mosaic

EXAMPLES_PER_CLASS = 2
THROTTLE_MS = 120
PIXELS_PER_PIXEL = 1.5   # 28x28 tiles at 42 px: both 10-column mosaics fit side by side at 1400 px


def pick_examples(images, labels, n_classes, per_class=EXAMPLES_PER_CLASS, seed=0):
    """(n_classes * per_class, H, W) uint8: the first examples of each class after a seeded
    shuffle, ordered example-major (row k holds example k of every class); a class with too few
    examples leaves blank tiles."""
    rng = np.random.default_rng(seed)
    order = rng.permutation(len(labels))
    chosen = np.zeros((per_class, n_classes) + images.shape[1:], np.uint8)
    for c in range(n_classes):
        members = order[labels[order] == c][:per_class]
        chosen[:len(members), c] = images[members]
    return chosen.reshape(-1, *images.shape[1:])


def mosaic_pixmap(images, columns, scale=PIXELS_PER_PIXEL):
    """(n, H, W) uint8 -> QPixmap of the tiles, dark ink on white, each pixel a scale x scale block."""
    mosaic, _ = tile_mosaic(images.astype(np.float32), columns=columns, gap=2)
    pixels = np.ascontiguousarray(255 - np.clip(mosaic, 0, 255).astype(np.uint8))
    height, width = pixels.shape
    image = QImage(pixels.data, width, height, width, QImage.Format_Grayscale8).copy()
    return QPixmap.fromImage(image).scaled(int(width * scale), int(height * scale), Qt.KeepAspectRatio,
                                           Qt.SmoothTransformation)


class AugmentPreview(QWidget):
    refreshed = pyqtSignal()   # after the augmented mosaic was redrawn (tests wait on it)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.examples = None      # (n, H, W) uint8
        self.augmented = None     # (n, H, W) uint8, the examples through apply(params)
        self.params = None
        self.columns = 10
        self.settings = AugmentSettings()
        self.draw_seed = 0
        self.title = QLabel("<b>Augmentation preview</b>: the same training images, plain and as the "
                            "network sees them in one batch")
        self.title.setWordWrap(True)
        self.status = QLabel()
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.plain_view, self.augmented_view = FittedPicture(), FittedPicture()
        self.new_draw_button = QPushButton("New draw")
        self.new_draw_button.setToolTip("Draw new random shifts, turns and distortions for the same images")
        grid = QGridLayout()
        grid.setContentsMargins(0, 0, 0, 0)
        grid.addWidget(QLabel("Plain"), 0, 0)
        grid.addWidget(QLabel("Augmented"), 0, 1)
        grid.addWidget(self.plain_view, 1, 0)
        grid.addWidget(self.augmented_view, 1, 1)
        grid.setColumnStretch(2, 1)
        header = QHBoxLayout()
        header.addWidget(self.title, 1)
        header.addWidget(self.new_draw_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 4, 0, 0)
        layout.addLayout(header)
        layout.addWidget(self.status)
        layout.addLayout(grid)
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(THROTTLE_MS)
        self._timer.timeout.connect(self.refresh)
        self.new_draw_button.clicked.connect(self.new_draw)
        self._show_status()

    def set_dataset(self, dataset):
        self.columns = dataset.n_classes
        self.examples = pick_examples(dataset.train_images, dataset.train_labels, dataset.n_classes)
        # pick_examples orders them example-major: row k holds example k of every class
        self.example_labels = np.tile(np.arange(dataset.n_classes), len(self.examples) // dataset.n_classes)
        self.digit_labels = list(dataset.class_names) == [str(d) for d in range(10)]
        self.plain_view.set_picture(mosaic_pixmap(self.examples, self.columns))
        self.refresh()

    def set_strengths(self, settings):
        """The form's strengths changed: redraw soon (a burst of edits gives one redraw)."""
        if settings != self.settings:
            self.settings = settings
            self._timer.start()

    def new_draw(self):
        self.draw_seed += 1
        self.refresh()

    def refresh(self):
        """Augment the examples with the current strengths and the current draw seed."""
        self._timer.stop()
        self._show_status()
        if self.examples is None:
            return
        rng = np.random.default_rng(self.draw_seed)
        examples = self.examples
        if self.settings.styles > 0 and self.digit_labels:   # the same order of draws as core.data.augment.Augmenter
            examples = add_writing_styles(examples, self.example_labels, self.settings.styles, rng)
        self.params = draw_params(self.settings, len(examples), examples.shape[1:], rng)
        self.augmented = apply(examples, self.params)
        self.augmented_view.set_picture(mosaic_pixmap(self.augmented, self.columns))
        self.refreshed.emit()

    def _show_status(self):
        if self.examples is None:
            text = "Load data to see its images augmented."
        elif not self.settings.enabled:
            text = ("Augmentation is off: both sides are the same. Set strengths in the left panel "
                    "(Augmentation) to see what the network would be trained on.")
        else:
            text = (f"Draw {self.draw_seed + 1}; every epoch each training image gets a new random draw "
                    f"within these limits.")
        self.status.setText(text)
