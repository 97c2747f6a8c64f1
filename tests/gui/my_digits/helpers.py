"""Drawing with the real mouse events, and a few digits kept from bench/drawn_digits.py templates."""
import numpy as np
from PyQt5.QtCore import QEvent, QPointF, Qt
from PyQt5.QtGui import QMouseEvent
from PyQt5.QtWidgets import QApplication

from bench.drawn_digits import draw_digit


def send(widget, kind, x, y, button, buttons):
    QApplication.sendEvent(widget, QMouseEvent(kind, QPointF(x, y), button, buttons, Qt.NoModifier))


def drag(canvas, strokes):
    """Press, move with the left button held through every point, release: one stroke each."""
    for polyline in strokes:
        send(canvas, QEvent.MouseButtonPress, *polyline[0], Qt.LeftButton, Qt.LeftButton)
        for x, y in polyline[1:]:
            send(canvas, QEvent.MouseMove, x, y, Qt.NoButton, Qt.LeftButton)
        send(canvas, QEvent.MouseButtonRelease, *polyline[-1], Qt.LeftButton, Qt.NoButton)


def template_strokes(label, seed=0, size=280):
    """A user-like drawing of ``label`` (bench template 0) scaled to a canvas of ``size`` px."""
    digit = draw_digit(label, 0, np.random.default_rng(seed))
    return [np.asarray(s) * size / 280.0 for s in digit.strokes]


def draw_label(canvas, label, seed=0):
    drag(canvas, template_strokes(label, seed, canvas.width()))
