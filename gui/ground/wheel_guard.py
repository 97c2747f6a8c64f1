"""A mouse wheel over a closed combo box, spin box or slider inside a scroll area scrolls the area.

Qt's default gives the wheel to whichever value widget passes under the pointer: scrolling the
settings panel once flipped Architecture from CNN to MLP while the Preset box still said CNN,
and Start trained the wrong network. One filter on the QApplication catches every wheel event
before it reaches such a widget (widgets added later, like the layer stack's rows, included) and
hands it to the scroll area around it instead; the value never changes by accident. The same
widgets outside any scroll area (a plot's slider, a dialog's spin box) keep the wheel.

A filter on the application sees every event; it returns at once for anything but a wheel, so
its cost is one Python call per event.
"""
from PyQt5.QtCore import QEvent, QObject
from PyQt5.QtWidgets import QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QScrollBar

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def scroll_areas_around(widget):
    """The scroll areas that hold ``widget``, innermost first."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            yield parent
        parent = parent.parentWidget()


class WheelGuard(QObject):
    """The application's event filter: a wheel over a guarded widget goes to its scroll area."""

    def eventFilter(self, obj, event):
        if event.type() != QEvent.Wheel:
            return False
        if not isinstance(obj, GUARDED) or isinstance(obj, QScrollBar):
            return False   # a scroll area's own scroll bar is a QAbstractSlider and must scroll
        area = next(scroll_areas_around(obj), None)
        if area is None:
            return False   # not inside a scroll area: the wheel may change the value as usual
        # Qt passes a wheel the inner area cannot use (at its end) on to the outer ones itself
        QApplication.sendEvent(area.viewport(), event)
        event.accept()   # handled: Qt must not offer it to the widget's parents as well
        return True      # never the value widget's


_GUARD = None   # (application, its WheelGuard): one filter per application


def install_wheel_guard(app=None):
    """Install the guard on ``app`` (default: the running QApplication) once; returns it."""
    global _GUARD
    app = app or QApplication.instance()
    if _GUARD is None or _GUARD[0] is not app:
        _GUARD = (app, WheelGuard(app))
        app.installEventFilter(_GUARD[1])
    return _GUARD[1]
