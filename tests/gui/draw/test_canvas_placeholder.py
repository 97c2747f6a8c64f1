"""The "draw a digit here" placeholder goes when ink arrives, also after Undo emptied the canvas
(issue 19: only the new stroke's rectangle was repainted, so the rest of the placeholder stayed
on screen under the new ink). What the screen shows is read back from the window's backing
store and compared with a fresh rendering of the canvas."""
import pytest
from PyQt5.QtGui import QImage
from PyQt5.QtWidgets import QApplication

from gui.draw.canvas import DrawingCanvas
from tests.gui.draw.test_draw_panel import ONE, SEVEN, draw

pytestmark = pytest.mark.usefixtures("themed_app")


def on_screen(widget):
    """The widget's pixels as the window system has them (not repainted for the grab)."""
    screen = QApplication.primaryScreen()
    top_left = widget.mapTo(widget.window(), widget.rect().topLeft())
    return screen.grabWindow(widget.window().winId(), top_left.x(), top_left.y(),
                             widget.width(), widget.height()).toImage()


def freshly_painted(widget):
    return widget.grab().toImage()


def same(a, b):
    a, b = a.convertToFormat(QImage.Format_RGB32), b.convertToFormat(QImage.Format_RGB32)
    return a.size() == b.size() and a == b


def test_the_placeholder_goes_under_new_ink_after_undo(qtbot):
    canvas = DrawingCanvas()
    canvas.resize(280, 280)
    qtbot.addWidget(canvas)
    canvas.show()
    qtbot.waitExposed(canvas)
    draw(canvas, SEVEN)
    canvas.undo()
    assert canvas.is_empty()
    qtbot.waitUntil(lambda: same(on_screen(canvas), freshly_painted(canvas)), timeout=2000)   # the placeholder
    draw(canvas, ONE)   # a short stroke in the middle: its rectangle alone is not the whole placeholder
    qtbot.waitUntil(lambda: same(on_screen(canvas), freshly_painted(canvas)), timeout=2000)
