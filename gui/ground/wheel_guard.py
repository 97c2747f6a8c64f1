"""A mouse wheel over a closed combo box, spin box or slider inside a scroll area scrolls the area.

Qt's default gives the wheel to whichever value widget passes under the pointer: scrolling the
settings panel once flipped Architecture from CNN to MLP while the Preset box still said CNN,
and Start trained the wrong network. A filter on each such widget catches its wheel events and
hands them to the scroll area around it instead: the value never changes by accident. Widgets
added later (the layer stack's rows) are guarded when their scroll area's content lays itself
out again. The same widgets outside any scroll area (a plot's slider, a dialog's spin box) keep
the wheel.
"""
from PyQt5.QtCore import QEvent, QObject
from PyQt5.QtWidgets import (QAbstractScrollArea, QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QScrollArea,
                             QScrollBar, QWidget)

GUARDED = (QComboBox, QAbstractSpinBox, QAbstractSlider)


def scroll_areas_around(widget):
    """The scroll areas that hold ``widget``, innermost first."""
    parent = widget.parentWidget()
    while parent is not None:
        if isinstance(parent, QAbstractScrollArea):
            yield parent
        parent = parent.parentWidget()


WATCHED = "digitlabWheelWatched"   # dynamic property: a scroll area's content already watched
GUARDED_FLAG = "digitlabWheelGuarded"


class WheelGuard(QObject):
    """The event filter of the value widgets inside scroll areas, and of those areas' contents.

    Installed on the widgets themselves, not on the application: an application filter is one
    Python call for every event of the GUI thread, and while training those calls (each taking
    the GIL) raised the event loop's p99 stall from ~19 to ~27 ms (bench/bench_gui.py). A
    content widget's LayoutRequest (rows added, e.g. a layer in the stack editor) guards the
    value widgets that came with it."""

    def eventFilter(self, obj, event):
        kind = event.type()
        if kind == QEvent.Wheel:
            if not isinstance(obj, GUARDED) or isinstance(obj, QScrollBar):
                return False   # a scroll area's own scroll bar is a QAbstractSlider and must scroll
            area = next(scroll_areas_around(obj), None)
            if area is None:
                return False   # not inside a scroll area: the wheel may change the value as usual
            # Qt passes a wheel the inner area cannot use (at its end) on to the outer ones itself
            QApplication.sendEvent(area.viewport(), event)
            event.accept()   # handled: Qt must not offer it to the widget's parents as well
            return True      # never the value widget's
        if kind == QEvent.LayoutRequest and obj.property(WATCHED):
            self.guard_children(obj)
        return False

    def guard_children(self, content):
        """Filter the wheel of every combo box, spin box and slider under ``content`` (once each)."""
        for widget in content.findChildren(QWidget):
            if isinstance(widget, GUARDED) and not isinstance(widget, QScrollBar) and not widget.property(GUARDED_FLAG):
                widget.setProperty(GUARDED_FLAG, True)
                widget.installEventFilter(self)

    def watch(self, root):
        """Guard the value widgets inside every QScrollArea under ``root``, now and as rows come."""
        areas = root.findChildren(QScrollArea) + ([root] if isinstance(root, QScrollArea) else [])
        for area in areas:
            content = area.widget()
            if content is None or content.property(WATCHED):
                continue
            content.setProperty(WATCHED, True)
            content.installEventFilter(self)
            self.guard_children(content)


_GUARD = None   # one WheelGuard for the application's widgets


def install_wheel_guard(root=None):
    """Guard the scroll areas under ``root`` (a window, after it is built); returns the guard."""
    global _GUARD
    if _GUARD is None:
        _GUARD = WheelGuard(QApplication.instance())
    if root is not None:
        _GUARD.watch(root)
    return _GUARD
