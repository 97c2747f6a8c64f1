"""A picture that shrinks with its space (never grows past its own size), keeping its shape.

A QLabel holding a pixmap will not be narrower than the pixmap: two 450 px mosaics side by side
made the Data tab 900 px wide, and the window wider than a laptop's screen once the Lessons panel
was open. This label asks for its pixmap's size but accepts less, and shows it scaled to fit.

    picture = FittedPicture()
    picture.set_picture(pixmap)
"""
from PyQt5.QtCore import QSize, Qt
from PyQt5.QtWidgets import QLabel, QSizePolicy

MIN_WIDTH = 120   # px: still readable as a mosaic of digits


class FittedPicture(QLabel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self._full = None
        self.setAlignment(Qt.AlignLeft | Qt.AlignTop)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)

    def set_picture(self, pixmap):
        self._full = pixmap
        self.updateGeometry()
        self._fit()

    def picture(self):
        return self._full

    def sizeHint(self):
        return self._full.size() if self._full is not None else QSize(MIN_WIDTH, MIN_WIDTH)

    def minimumSizeHint(self):
        if self._full is None or self._full.width() == 0:
            return QSize(0, 0)
        width = min(MIN_WIDTH, self._full.width())
        return QSize(width, round(self._full.height() * width / self._full.width()))

    def hasHeightForWidth(self):
        return self._full is not None

    def heightForWidth(self, width):
        if self._full is None or self._full.width() == 0:
            return super().heightForWidth(width)
        return round(self._full.height() * min(width, self._full.width()) / self._full.width())

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit()

    def _fit(self):
        if self._full is None:
            self.clear()
            return
        if self.width() >= self._full.width() and self.height() >= self._full.height():
            self.setPixmap(self._full)
        else:
            self.setPixmap(self._full.scaled(self.size(), Qt.KeepAspectRatio, Qt.SmoothTransformation))
