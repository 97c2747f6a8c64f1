"""A frame drawn over the part of the window a lesson step points at, following it.

    highlight = Highlight(window)
    highlight.follow(widget)      # the frame sits on widget's visible part, over everything else
    highlight.follow(None)        # gone

The frame is a child of the window that ignores the mouse (the learner can still use what it
frames). It is placed again whenever the widget or one of its ancestors moves, resizes, shows or
hides (a splitter dragged, a scroll area scrolled, a tab switched, the window resized); a widget
on a hidden tab hides the frame until the tab comes back.
"""
from PyQt5.QtCore import QEvent, QRect, Qt, QTimer
from PyQt5.QtGui import QColor, QPainter, QPen
from PyQt5.QtWidgets import QWidget

COLOUR = QColor(230, 120, 20)     # the theme's orange: seen on white and on the plots' blue
WIDTH = 3                          # px of the frame
MARGIN = 3                         # px the frame stands off the widget
_WATCHED = (QEvent.Move, QEvent.Resize, QEvent.Show, QEvent.Hide, QEvent.ParentChange)


class Highlight(QWidget):
    def __init__(self, window):
        super().__init__(window)
        self.setObjectName("lessonHighlight")
        self.setAttribute(Qt.WA_TransparentForMouseEvents)
        self.setAttribute(Qt.WA_NoSystemBackground)
        self.target = None
        self._watched = []
        self._pending = QTimer(self)       # many events in one turn (a layout pass): one placement
        self._pending.setSingleShot(True)
        self._pending.timeout.connect(self.place)
        self.hide()

    def follow(self, widget):
        for watched in self._watched:
            try:
                watched.removeEventFilter(self)
            except RuntimeError:           # already deleted by Qt
                pass
        self.target, self._watched = widget, []
        if widget is not None:
            chain = widget
            while chain is not None:
                chain.installEventFilter(self)
                self._watched.append(chain)
                chain = chain.parentWidget()
        self.place()

    def eventFilter(self, watched, event):
        if event.type() in _WATCHED and watched is not self:
            self._pending.start(0)
        return False

    def place(self):
        """Put the frame on the target's visible part (hidden when none of it is visible)."""
        window = self.parentWidget()
        target = self.target
        try:
            visible = target is not None and target.isVisible() and target.window() is window.window()
        except RuntimeError:                # the widget was deleted
            visible, self.target = False, None
        if not visible:
            self.hide()
            return
        shown = target.visibleRegion().boundingRect()
        if shown.isEmpty():
            self.hide()
            return
        top_left = target.mapTo(window, shown.topLeft())
        frame = QRect(top_left, shown.size()).adjusted(-MARGIN, -MARGIN, MARGIN, MARGIN)
        self.setGeometry(frame.intersected(window.rect()))
        self.raise_()
        self.show()
        self.update()

    def paintEvent(self, _event):
        painter = QPainter(self)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(QPen(COLOUR, WIDTH))
        half = WIDTH // 2 + 1
        painter.drawRoundedRect(self.rect().adjusted(half, half, -half, -half), 6, 6)
