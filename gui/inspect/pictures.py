"""Small picture helpers shared by the card and the map: grey images as pixmaps, a labelled
image tile, and the ten digit colours.

DIGIT_COLOURS: Paul Tol's "muted" scheme (9 colours picked to stay apart for the common
colour-vision deficiencies) plus his pale grey; every digit also gets its own marker shape in
the map, so no reader depends on hue alone.
"""
import numpy as np
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QImage, QPixmap
from PyQt5.QtWidgets import QLabel, QVBoxLayout, QWidget

DIGIT_COLOURS = ((204, 102, 119), (51, 34, 136), (221, 204, 119), (17, 119, 51), (136, 204, 238),
                 (136, 34, 85), (68, 170, 153), (153, 153, 51), (170, 68, 153), (120, 120, 120))
DIGIT_SYMBOLS = ("o", "s", "t", "d", "star", "h", "t1", "p", "x", "+")


def digit_colour(digit):
    return DIGIT_COLOURS[int(digit) % len(DIGIT_COLOURS)]


def pixmap_of(image, size):
    """(H, W) uint8 or [0, 1] float image -> a size x size pixmap, pixelated on purpose."""
    image = np.asarray(image)
    if image.dtype != np.uint8:
        image = (np.clip(image, 0, 1) * 255).round().astype(np.uint8)
    pixels = np.ascontiguousarray(image)
    height, width = pixels.shape
    qimage = QImage(pixels.data, width, height, width, QImage.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage).scaled(size, size, Qt.KeepAspectRatio, Qt.FastTransformation)


class ImageTile(QWidget):
    """An image with a one-line caption under it (created once, updated with show())."""

    def __init__(self, size=56, parent=None):
        super().__init__(parent)
        self.size = size
        self.picture = QLabel()
        self.picture.setFixedSize(size, size)
        self.picture.setAlignment(Qt.AlignCenter)
        self.caption = QLabel("")
        self.caption.setAlignment(Qt.AlignCenter)
        self.caption.setObjectName("hint")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(self.picture, 0, Qt.AlignHCenter)
        layout.addWidget(self.caption)

    def show_image(self, image, caption, tooltip=""):
        self.picture.setPixmap(pixmap_of(image, self.size))
        self.caption.setText(caption)
        self.setToolTip(tooltip)

    def clear(self):
        self.picture.clear()
        self.caption.setText("")
        self.setToolTip("")
