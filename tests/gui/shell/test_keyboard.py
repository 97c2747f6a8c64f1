"""Every control reachable from the keyboard, with a visible focus (issue 19). Tab walks the main
window from its first focusable widget through every enabled, visible control of the left panel
(data, settings, Start) to the centre tab bar, which the arrows and Ctrl+Tab switch; every widget
Tab reaches looks different focused (grabbed focused and unfocused), in both themes."""
import numpy as np
import pyqtgraph as pg
import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QImage
from PyQt5.QtWidgets import (QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QLineEdit, QListWidget, QPushButton,
                             QSlider, QSpinBox, QTabBar, QTableWidget, QVBoxLayout, QWidget)

from gui.ground import theme
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture(autouse=True)
def back_to_light(qapp):
    yield
    theme.apply_theme(qapp, "light")


def pixels(widget):
    image = widget.grab().toImage().convertToFormat(QImage.Format_RGB32)
    buffer = image.constBits()
    buffer.setsize(image.byteCount())
    return np.frombuffer(buffer, np.uint8).reshape(image.height(), image.bytesPerLine() // 4, 4)[:, :, :3].copy()


def border_changed(focused, plain, whole=False):
    """Whether the outer 3 pixels (where a ring is drawn) differ; whole: anywhere (a tab bar rings
    its current tab)."""
    if focused.shape != plain.shape:
        return True
    edge = np.ones(focused.shape[:2], bool)
    if not whole:
        edge[3:-3, 3:-3] = False
    return bool(np.any(np.abs(focused.astype(int) - plain.astype(int))[edge] > 20))


def activate(qtbot, window):
    window.activateWindow()
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=5000)


def tab_stop(widget):
    """A control Tab should stop at (a spin box's inner line edit is the spin box's focus proxy)."""
    proxied = widget.focusProxy() is not None or (widget.parentWidget() is not None
                                                   and widget.parentWidget().focusProxy() is widget)
    return bool(widget.focusPolicy() & Qt.TabFocus) and widget.isVisible() and widget.isEnabled() and not proxied


def walk(qtbot, window, first, limit=400):
    """Press Tab from first until the focus comes back to it; [(widget, its pixels when focused)]."""
    first.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(first.hasFocus, timeout=5000)
    seen = []
    for _ in range(limit):
        widget = QApplication.focusWidget()
        seen.append((widget, pixels(widget)))
        qtbot.keyClick(widget, Qt.Key_Tab)
        if QApplication.focusWidget() is first:
            return seen
    raise AssertionError(f"Tab did not come back to the first widget in {limit} presses")


@pytest.mark.parametrize("name", ["light", "dark"])
def test_tab_reaches_every_left_panel_control_and_the_tab_bar_each_with_a_visible_ring(qtbot, qapp, name):
    theme.apply_theme(qapp, name)
    window = make_window(qtbot)
    activate(qtbot, window)
    first = window
    while True:   # the first focusable widget of the window's focus chain
        first = first.nextInFocusChain()
        if tab_stop(first) or first is window:
            break
    assert first is not window
    seen = walk(qtbot, window, first)
    reached = [widget for widget, _ in seen]
    wanted = [w for w in window.left_panel.findChildren(QWidget) if tab_stop(w)]
    assert window.start_button in wanted and window.dataset_panel.kind_combo in wanted and len(wanted) > 15
    missed = [f"{type(w).__name__} {w.objectName()}" for w in wanted if w not in reached]
    assert not missed, f"Tab never reaches: {missed}"
    assert window.tabs.tabBar() in reached
    assert any(isinstance(w, pg.GraphicsView) for w in reached)   # the plots take the focus, so they show it
    # every widget looks different focused: grab it again now the focus is elsewhere
    other = window.reset_button
    other.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(other.hasFocus, timeout=5000)
    same = [f"{type(w).__name__} {w.objectName()}" for w, focused in seen
            if w is not other and not border_changed(focused, pixels(w), whole=isinstance(w, QTabBar))]
    assert not same, f"no visible focus on: {same}"


def test_the_centre_tab_bar_switches_with_arrows_and_ctrl_tab(qtbot):
    window = make_window(qtbot)
    activate(qtbot, window)
    bar = window.tabs.tabBar()
    window.tabs.setCurrentIndex(0)
    bar.setFocus(Qt.TabFocusReason)
    qtbot.waitUntil(bar.hasFocus, timeout=5000)
    qtbot.keyClick(bar, Qt.Key_Right)
    assert window.tabs.currentIndex() == 1
    qtbot.keyClick(bar, Qt.Key_Left)
    assert window.tabs.currentIndex() == 0
    qtbot.keyClick(bar, Qt.Key_Tab, Qt.ControlModifier)
    assert window.tabs.currentIndex() == 1


@pytest.mark.parametrize("name", ["light", "dark"])
def test_every_focusable_widget_type_shows_a_ring(qtbot, qapp, name):
    """The types the window uses, and the drawing canvas, each in a small window of its own."""
    from gui.draw.canvas import DrawingCanvas
    theme.apply_theme(qapp, name)
    holder = QWidget()
    layout = QVBoxLayout(holder)
    combo = QComboBox()
    combo.addItems(["relu", "tanh"])
    checkbox = QCheckBox("log scale")
    table = QTableWidget(2, 2)
    listing = QListWidget()
    listing.addItems(["one", "two"])
    canvas = DrawingCanvas(size=120)
    canvas.setFocusPolicy(Qt.StrongFocus)
    plot = pg.PlotWidget()
    widgets = [QLineEdit("0.1"), QSpinBox(), QDoubleSpinBox(), combo, QSlider(Qt.Horizontal), checkbox, table,
               listing, canvas, plot]
    elsewhere = QPushButton("elsewhere")   # holds the focus while a widget is grabbed unfocused
    for widget in widgets + [elsewhere]:
        layout.addWidget(widget)
    qtbot.addWidget(holder)
    holder.show()
    activate(qtbot, holder)
    for widget in widgets:
        elsewhere.setFocus(Qt.TabFocusReason)
        qtbot.waitUntil(elsewhere.hasFocus, timeout=5000)
        plain = pixels(widget)
        widget.setFocus(Qt.TabFocusReason)
        qtbot.waitUntil(widget.hasFocus, timeout=5000)
        assert border_changed(pixels(widget), plain), type(widget).__name__
