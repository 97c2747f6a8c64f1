"""SquareBox: keeps a widget square and centred, whatever shape of area the layout gives it.

Qt layouts honour heightForWidth only in some directions (a QHBoxLayout column does not), so a
"square" canvas in a wide area stretches. SquareBox takes all the area the layout offers and
places its child as the largest centred square that fits, with an optional footer row (e.g. the
canvas buttons) right under it, as wide as the square.
"""
from PyQt5.QtCore import QRect, QSize
from PyQt5.QtWidgets import QSizePolicy, QWidget


class SquareBox(QWidget):
    SPACING = 6

    def __init__(self, child, footer=None, parent=None):
        super().__init__(parent)
        self.child, self.footer = child, footer
        child.setParent(self)
        if footer is not None:
            footer.setParent(self)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)

    def _footer_height(self):
        return self.footer.sizeHint().height() + self.SPACING if self.footer is not None else 0

    def minimumSizeHint(self):
        side = max(self.child.minimumSizeHint().width(), self.child.minimumSize().width(), 1)
        return QSize(side, side + self._footer_height())

    def sizeHint(self):
        side = self.child.sizeHint().width()
        return QSize(side, side + self._footer_height())

    def square_rect(self):
        """Where the child goes: the largest square above the footer, centred."""
        footer = self._footer_height()
        side = max(1, min(self.width(), self.height() - footer))
        left = (self.width() - side) // 2
        top = max(0, (self.height() - side - footer) // 2)
        return QRect(left, top, side, side)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        square = self.square_rect()
        self.child.setGeometry(square)
        if self.footer is not None:
            self.footer.setGeometry(square.left(), square.bottom() + 1 + self.SPACING, square.width(),
                                    self.footer.sizeHint().height())
