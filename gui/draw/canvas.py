"""DrawingCanvas: draw a digit with the mouse (or a tablet pen); keeps the vector strokes.

The strokes (list of (n_points, 2) float arrays of x, y widget coordinates) are what the
preprocessing uses; the pixels are what the user sees (dark ink on white paper, round pen,
anti-aliased). New segments are painted incrementally into a backing QImage, so a mouse move
costs one short line, never a full redraw; undo, clear and resize repaint from the strokes.

An optional background (an (H, W) input image in [0, 1], e.g. the changed image of "Fool it")
is shown magnified under the strokes, pixelated like the network's input; clear() removes it.
core.drawing.layered says how strokes are added to it.
"""
import numpy as np
from PyQt5.QtCore import QEvent, QPointF, QRectF, QSize, Qt, pyqtSignal
from PyQt5.QtGui import QColor, QImage, QPainter, QPainterPath, QPen
from PyQt5.QtWidgets import QSizePolicy, QWidget

from gui.ground import theme

PAPER = QColor(255, 255, 255)
INK = QColor(20, 24, 32)
HINT = QColor(160, 166, 176)
STEP = 2.0   # px: mouse events further apart than this get points interpolated in between


class DrawingCanvas(QWidget):
    """A square drawing surface. Signals: strokesChanged() after any change of the drawing
    (every added point while drawing, stroke end, undo, clear)."""

    strokesChanged = pyqtSignal()

    def __init__(self, parent=None, brush_width=18.0, size=280):
        super().__init__(parent)
        self.brush_width = float(brush_width)
        self._strokes = []          # finished strokes: (n, 2) float arrays
        self._widths = []           # the brush width each stroke was drawn with
        self._current = None        # list of (x, y) while a stroke is being drawn
        self.background = None      # (H, W) float32 ink in [0, 1] under the strokes, or None
        self.placeholder = "draw a digit here"   # shown while empty (My drawings names its classes)
        self._image = QImage()
        self.setAttribute(Qt.WA_StaticContents)
        self.setAttribute(Qt.WA_OpaquePaintEvent)
        self.setMinimumSize(160, 160)
        self.setSizePolicy(QSizePolicy.Expanding, QSizePolicy.Expanding)
        self._preferred = size
        self.setCursor(Qt.CrossCursor)
        self.setToolTip("Draw a digit with the mouse. Ctrl+Z undoes the last stroke.")

    def sizeHint(self):
        return QSize(self._preferred, self._preferred)

    def hasHeightForWidth(self):
        return True

    def heightForWidth(self, width):
        return width

    # ----- public API --------------------------------------------------------------------
    def strokes(self):
        """All strokes, the one being drawn included: list of (n, 2) float64 x, y arrays."""
        strokes = list(self._strokes)
        if self._current:
            strokes.append(np.array(self._current, dtype=np.float64))
        return strokes

    def stroke_widths(self):
        return list(self._widths) + ([self.brush_width] if self._current else [])

    def is_empty(self):
        return not self._strokes and not self._current and self.background is None

    def set_background(self, image01):
        """Show image01 ((H, W) ink in [0, 1], light ink = 1) under the strokes, which are removed
        (the image is the drawing from now on); None removes it."""
        self.background = None if image01 is None else np.clip(np.asarray(image01, np.float32), 0, 1).copy()
        self._strokes, self._widths, self._current = [], [], None
        self._repaint_all()
        self.strokesChanged.emit()

    def set_brush_width(self, width):
        self.brush_width = float(width)

    def clear(self):
        self._strokes, self._widths, self._current = [], [], None
        self.background = None
        self._repaint_all()
        self.strokesChanged.emit()

    def undo(self):
        """Remove the last stroke (the one being drawn, if any)."""
        if self._current:
            self._current = None
        elif self._strokes:
            self._strokes.pop()
            self._widths.pop()
        else:
            return
        self._repaint_all()
        self.strokesChanged.emit()

    def set_strokes(self, strokes, widths=None):
        """Replace the drawing (tests, benchmarks, replaying a drawing)."""
        self._strokes = [np.asarray(s, dtype=np.float64).reshape(-1, 2) for s in strokes]
        self._widths = list(widths) if widths is not None else [self.brush_width] * len(self._strokes)
        self._current = None
        self._repaint_all()
        self.strokesChanged.emit()

    def ink_image(self):
        """(H, W) float32 ink coverage in [0, 1] of what is shown (light ink on dark, like MNIST)."""
        gray = self._image.convertToFormat(QImage.Format_Grayscale8)
        width, height = gray.width(), gray.height()
        pointer = gray.constBits()
        pointer.setsize(gray.bytesPerLine() * height)
        rows = np.frombuffer(pointer, np.uint8).reshape(height, gray.bytesPerLine())[:, :width]
        return 1.0 - rows.astype(np.float32) / 255.0

    # ----- drawing -------------------------------------------------------------------------
    def _pen(self, width):
        return QPen(INK, width, Qt.SolidLine, Qt.RoundCap, Qt.RoundJoin)

    def _begin(self, pos):
        if self.is_empty():
            self.update()   # the whole canvas: the "draw a digit here" placeholder must go too
        self._current = [(pos.x(), pos.y())]
        self._paint_segment(None, (pos.x(), pos.y()))
        self.strokesChanged.emit()

    def _extend(self, pos):
        if self._current is None:
            return
        x0, y0 = self._current[-1]
        x1, y1 = pos.x(), pos.y()
        distance = float(np.hypot(x1 - x0, y1 - y0))
        if distance < 0.5:
            return
        n = int(distance // STEP)
        for i in range(1, n + 1):   # points in between: fast strokes stay dense for the resampler
            t = i / (n + 1)
            self._current.append((x0 + t * (x1 - x0), y0 + t * (y1 - y0)))
        self._current.append((x1, y1))
        self._paint_segment((x0, y0), (x1, y1))
        self.strokesChanged.emit()

    def _finish(self):
        if self._current is None:
            return
        self._strokes.append(np.array(self._current, dtype=np.float64))
        self._widths.append(self.brush_width)
        self._current = None
        self.strokesChanged.emit()

    def _paint_segment(self, start, end):
        if self._image.isNull():
            return
        painter = QPainter(self._image)
        painter.setRenderHint(QPainter.Antialiasing)
        painter.setPen(self._pen(self.brush_width))
        if start is None:
            painter.drawPoint(QPointF(*end))
        else:
            painter.drawLine(QPointF(*start), QPointF(*end))
        painter.end()
        r = self.brush_width / 2 + 2
        xs, ys = [end[0]] + ([start[0]] if start else []), [end[1]] + ([start[1]] if start else [])
        self.update(QRectF(min(xs) - r, min(ys) - r, max(xs) - min(xs) + 2 * r, max(ys) - min(ys) + 2 * r).toAlignedRect())

    def _repaint_all(self):
        if self.width() <= 0 or self.height() <= 0:
            return
        self._image = QImage(self.size(), QImage.Format_RGB32)
        self._image.fill(PAPER)
        painter = QPainter(self._image)
        if self.background is not None:   # dark ink on white paper, one block per input pixel
            self._paint_background(painter)
        painter.setRenderHint(QPainter.Antialiasing)
        for stroke, width in zip(self.strokes(), self.stroke_widths()):
            painter.setPen(self._pen(width))
            if len(stroke) == 1:
                painter.drawPoint(QPointF(*stroke[0]))
                continue
            path = QPainterPath(QPointF(*stroke[0]))
            for x, y in stroke[1:]:
                path.lineTo(x, y)
            painter.drawPath(path)
        painter.end()
        self.update()

    def _paint_background(self, painter):
        pixels = np.ascontiguousarray(((1.0 - self.background) * 255).round().astype(np.uint8))
        height, width = pixels.shape
        image = QImage(pixels.data, width, height, width, QImage.Format_Grayscale8).copy()
        painter.drawImage(QRectF(0, 0, self.width(), self.height()), image)   # no smoothing: pixelated

    # ----- Qt events -----------------------------------------------------------------------
    def resizeEvent(self, event):
        self._repaint_all()
        super().resizeEvent(event)

    def paintEvent(self, event):
        painter = QPainter(self)
        painter.drawImage(event.rect(), self._image, event.rect())
        if self.is_empty():
            painter.setPen(HINT)
            painter.drawText(self.rect(), Qt.AlignCenter, self.placeholder)
        if self.hasFocus():   # the keyboard's digit keys go here: the theme's focus ring shows it
            painter.setPen(QPen(theme.qcolor("focus"), 2))
            painter.drawRect(QRectF(self.rect()).adjusted(1, 1, -1, -1))
        else:
            painter.setPen(QColor(210, 214, 220))
            painter.drawRect(self.rect().adjusted(0, 0, -1, -1))
        painter.end()

    def mousePressEvent(self, event):
        if event.button() == Qt.LeftButton:
            self._begin(event.localPos())
        elif event.button() == Qt.RightButton:
            self.undo()

    def mouseMoveEvent(self, event):
        if event.buttons() & Qt.LeftButton:
            self._extend(event.localPos())

    def mouseReleaseEvent(self, event):
        if event.button() == Qt.LeftButton:
            self._extend(event.localPos())
            self._finish()

    def tabletEvent(self, event):
        kind = event.type()
        if kind == QEvent.TabletPress:
            self._begin(event.posF())
        elif kind == QEvent.TabletMove and event.pressure() > 0:
            self._extend(event.posF())
        elif kind == QEvent.TabletRelease:
            self._finish()
        event.accept()   # no synthesised mouse events on top
