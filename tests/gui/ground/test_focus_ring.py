"""Keyboard focus shows (issue 19, "every action reachable from the keyboard with a visible
focus"): the style sheet's button borders hid Qt's own focus frame, so a focused button looked
like any other. Rendered with and without focus, the button must look different, keep its size,
and Tab must move the focus through the Run panel's buttons."""
import numpy as np
import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QImage
from PyQt5.QtWidgets import QApplication

from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def pixels(widget):
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB32)
    buffer = image.constBits()
    buffer.setsize(image.byteCount())
    return np.frombuffer(buffer, np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4).copy()


def focused(qtbot, window, widget):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)
    widget.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(widget.hasFocus, timeout=5000)
    QApplication.processEvents()


@pytest.mark.parametrize("name", ["reset_button", "start_button"])
def test_a_focused_button_shows_a_ring_and_keeps_its_size(qtbot, name):
    window = make_window(qtbot)
    button = getattr(window, name)
    window.stop_button.setFocus()   # disabled: focus goes elsewhere; the button is not focused
    assert not button.hasFocus()
    size, plain = button.size(), pixels(button)
    focused(qtbot, window, button)
    ring = pixels(button)
    assert button.size() == size and plain.shape == ring.shape
    edge = np.abs(ring.astype(int) - plain.astype(int))[:, :3].sum()   # the left border columns
    assert edge > 0, "the focused button looks the same as the unfocused one"


def test_tab_moves_the_focus_through_the_run_panel(qtbot):
    window = make_window(qtbot)
    focused(qtbot, window, window.start_button)
    seen = set()
    for _ in range(12):
        qtbot.keyClick(QApplication.focusWidget(), Qt.Key_Tab)
        seen.add(QApplication.focusWidget())
    assert window.reset_button in seen   # reachable from Start with the keyboard alone
