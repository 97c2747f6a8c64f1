"""The one sizing rule for windows and dialogs: open within the available screen.

    fit_to_screen(window, 1400, 900)          # the preferred size, or less on a small screen
    fit_to_screen(dialog, 1200, 780)          # dialogs too: never larger than the screen
    keep_on_screen(window)                    # after restoreGeometry: a remembered size from a
                                              # bigger screen is corrected
    fit_at_right_edge(tool, 1100, 760)        # a window beside the main one: at most a share of a
                                              # small screen, at its right edge

A window gets min(preferred, available - frame) in each direction, placed inside the available
geometry (QScreen.availableGeometry: the screen minus task bars). The frame (title bar and
borders) is only known once the window manager has shown the window, so FRAME is allowed for.
A main window whose preferred size does not fit is maximised (maximise=True): on a 1366x768
laptop that is what a user would do first anyway.

DIGITLAB_SCREEN="WxH" pretends the available screen is W x H pixels. Tests and the screenshot
scripts use it: Qt's offscreen platform has one fixed 800x600 screen.
"""
import os

from PyQt5.QtCore import QMargins, QRect, QSize, Qt
from PyQt5.QtWidgets import QApplication

SCREEN_ENV = "DIGITLAB_SCREEN"
FRAME = QMargins(4, 30, 4, 4)   # px: a typical title bar and borders, before the real frame is known


def pretended_screen():
    """The QRect DIGITLAB_SCREEN asks for, or None (unset or not "WxH")."""
    text = os.environ.get(SCREEN_ENV, "").lower()
    try:
        width, height = (int(part) for part in text.split("x"))
    except ValueError:
        return None
    return QRect(0, 0, width, height) if width > 0 and height > 0 else None


def available_geometry(widget=None):
    """The available geometry of the screen ``widget`` is on (else the primary screen), or the
    pretended one."""
    pretended = pretended_screen()
    if pretended is not None:
        return pretended
    screen = None
    if widget is not None:
        handle = widget.window().windowHandle()
        screen = handle.screen() if handle is not None else None
        if screen is None:
            screen = QApplication.screenAt(widget.window().geometry().center())
    screen = screen or QApplication.primaryScreen()
    return screen.availableGeometry()


def frame_margins(widget):
    """The frame around widget's client area: the real one once shown with a frame, else FRAME."""
    window = widget.window()
    frame, inner = window.frameGeometry(), window.geometry()
    real = QMargins(inner.left() - frame.left(), inner.top() - frame.top(),
                    frame.right() - inner.right(), frame.bottom() - inner.bottom())
    return real if window.isVisible() and not real.isNull() else FRAME


def fitted_size(preferred, available, frame=FRAME):
    """min(preferred, available minus the frame), per direction (QSize)."""
    room = available.size().shrunkBy(frame)
    return QSize(min(preferred.width(), room.width()), min(preferred.height(), room.height()))


def fit_to_screen(widget, preferred_width, preferred_height, available=None, maximise=False):
    """Resize the top-level ``widget`` to its preferred size or what the screen has room for,
    and place it inside the available geometry (centred over its parent, if any). Returns True
    when the preferred size fitted. maximise: a window that did not fit is maximised (never when
    the screen is pretended: the offscreen platform would maximise to its own 800x600)."""
    available = available or available_geometry(widget)
    frame = frame_margins(widget)
    size = fitted_size(QSize(preferred_width, preferred_height), available, frame)
    # a minimum the layout insists on wins over the screen; tests/gui/shell/test_screen_fit.py
    # checks that no window's minimum exceeds the smallest supported screen
    size = size.expandedTo(widget.minimumSize())
    widget.resize(size)
    place_inside(widget, available, frame)
    fitted = size == QSize(preferred_width, preferred_height)
    if not fitted and maximise and pretended_screen() is None:
        widget.setWindowState(widget.windowState() | Qt.WindowMaximized)
    return fitted


SIDE_SHARE = (0.64, 0.88)   # a window beside the main one takes at most this share of the screen (1366x768: 874x675)


def fit_at_right_edge(widget, preferred_width, preferred_height, available=None, share=SIDE_SHARE):
    """A window used beside the main window (File > My drawings): its preferred size, or at most
    ``share`` of the screen's width and height (its layout's minimum wins), at the screen's right
    edge and vertically centred, so the main window's left panel stays in view beside it."""
    available = available or available_geometry(widget)
    fit_to_screen(widget, min(preferred_width, int(share[0] * available.width())),
                  min(preferred_height, int(share[1] * available.height())), available)
    outer = QRect(widget.pos(), widget.size().grownBy(frame_margins(widget)))
    outer.moveRight(available.right())
    outer.moveTop(available.top() + max(0, (available.height() - outer.height()) // 2))
    widget.move(outer.topLeft())


def place_inside(widget, available, frame=FRAME):
    """Move widget so that its frame lies inside ``available``: centred over its parent window
    when it has one, else where it is, pushed back inside."""
    outer = QRect(widget.pos(), widget.size().grownBy(frame))
    parent = widget.parentWidget()
    if parent is not None and parent.window().isVisible():
        outer.moveCenter(parent.window().frameGeometry().center())
    outer.moveLeft(max(available.left(), min(outer.left(), available.right() + 1 - outer.width())))
    outer.moveTop(max(available.top(), min(outer.top(), available.bottom() + 1 - outer.height())))
    widget.move(outer.topLeft())   # QWidget.move places the frame's top-left corner


def outer_rect(widget):
    """widget's window with its frame: the real frame once shown, else where move() put the
    frame's corner (for windows, QWidget.pos is the frame's) and FRAME around the client size."""
    window = widget.window()
    if window.isVisible() and window.frameGeometry() != window.geometry():
        return window.frameGeometry()
    return QRect(window.pos(), window.size().grownBy(frame_margins(window)))


def fits_on_screen(widget, available=None):
    """Whether widget's window, frame included, lies within the available geometry."""
    available = available or available_geometry(widget)
    return available.contains(outer_rect(widget))


def keep_on_screen(widget, preferred_width=None, preferred_height=None, available=None):
    """Correct a geometry (e.g. remembered from a bigger screen) that no longer fits: resize to
    fit, keeping the current size where it does. Returns True if it had to change anything."""
    available = available or available_geometry(widget)
    if widget.isMaximized() or fits_on_screen(widget, available):
        return False
    fit_to_screen(widget, preferred_width or widget.width(), preferred_height or widget.height(), available)
    return True
