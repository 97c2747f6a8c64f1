""""What am I looking at?": the explanation popup, a small ? button on every view, and what F1
(the explain_view action) explains: a named part, or the part under the mouse pointer.

The buttons are laid over each view's top-right corner after the window is built (an event
filter keeps them there as the view is resized), so no view module knows about them and no
layout changes. The popup is one non-modal dialog per window; it follows the window's figures
while it is open (it is rewritten at each snapshot and when a run ends or is cleared)."""
from PyQt5.QtCore import QEvent, QObject, QPoint, QRect, Qt
from PyQt5.QtGui import QCursor
from PyQt5.QtWidgets import (QAbstractButton, QAbstractSlider, QAbstractSpinBox, QApplication, QComboBox, QDialog,
                             QDialogButtonBox, QLineEdit, QTextBrowser, QToolButton, QVBoxLayout, QWidget)

from gui.shell.explain.texts import explain
from gui.shell.explain.tooltips import install_tooltips
from gui.shell.targets import TARGETS, TARGETS_BY_NAME, find_target

BUTTON_SIZE = 18   # px: small enough to sit in a corner, large enough to hit
POPUP_SIZE = (460, 420)


CONTROLS = (QAbstractButton, QComboBox, QLineEdit, QAbstractSpinBox, QAbstractSlider)   # what a ? must not cover

def _parent(widget):
    return widget.parentWidget()


# the views that get a ? button, and the widget it sits on when that is not the view itself (the
# box around it, whose title row has room to spare)
HOSTS = {
    "data_panel": _parent, "settings_form": _parent, "progress": lambda widget: widget.window().run_box,
    "loss_plot": None, "accuracy_plot": None, "weight_tiles": None, "layer_stats": _parent, "unit_list": _parent,
    "confusion_matrix": _parent, "class_report": _parent, "misclassified": None, "invariance_plot": _parent,
    "data_overview": None, "augment_preview": None, "canvas": None, "probabilities": None, "network_input": None,
    "evidence": None, "fool_it": None, "my_digits": None, "feature_maps": None, "runs": None, "calibration": None,
    "map": None,
}


class ExplanationPopup(QDialog):
    """A small non-modal window with one part's explanation; it follows the figures while open."""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.name = self._html = None
        self.setObjectName("explanationPopup")
        self.setModal(False)
        self.browser = QTextBrowser(self)
        self.browser.setOpenLinks(False)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        available = window.screen().availableGeometry() if window.screen() is not None else None
        width, height = POPUP_SIZE
        if available is not None:
            width, height = min(width, available.width() - 40), min(height, available.height() - 80)
        self.resize(width, height)
        window.snapshot_received.connect(self._follow)
        window.run_finished.connect(self._follow)
        window.views_cleared.connect(self._follow)

    def show_part(self, name):
        """Show ``name``'s explanation (a target's name) next to its widget; returns the popup."""
        first = not self.isVisible() or name != self.name
        self.name = name
        self.setWindowTitle(f"What am I looking at? {TARGETS_BY_NAME[name].description.split(':')[0]}")
        self.refresh()
        if first:
            self._place(find_target(self.window_, name))
        self.show()
        self.raise_()
        return self

    def refresh(self):
        if self.name is None:
            return
        scroll = self.browser.verticalScrollBar().value()
        html = explain(self.window_, self.name)
        if html != self._html:   # unchanged figures: no re-layout, no flicker
            self._html = html
            self.browser.setHtml(html)
            self.browser.verticalScrollBar().setValue(scroll)

    def text(self):
        return self.browser.toPlainText()

    def _follow(self, *_):
        if self.isVisible():
            self.refresh()

    def _place(self, widget):
        """Beside the explained part, right of it where there is room, else left of it (over the settings
        panel rather than the view); always on the screen."""
        window = self.window_
        screen = window.screen().availableGeometry() if window.screen() is not None else window.geometry()
        top_left = widget.mapToGlobal(widget.rect().topRight()) if widget.isVisible() else window.geometry().center()
        x = top_left.x() + 8
        if x + self.width() > screen.right():
            left = widget.mapToGlobal(widget.rect().topLeft()).x() if widget.isVisible() else x
            x = left - self.width() - 8
        y = top_left.y()
        x = max(screen.left(), min(x, screen.right() - self.width()))
        y = max(screen.top(), min(y, screen.bottom() - self.frameGeometry().height()))
        self.move(x, y)


class _CornerKeeper(QObject):
    """Keeps a ? button in its host's top-right corner as the host is resized or shown."""

    def __init__(self, host, button):
        super().__init__(button)
        self.host, self.button = host, button
        host.installEventFilter(self)
        self.place()

    def eventFilter(self, watched, event):
        if event.type() in (QEvent.Resize, QEvent.Show, QEvent.LayoutRequest):
            self.place()
        return False

    def place(self):
        """Top-right, moved left past any control there (a ? over "New draw" or "Refresh" hid it)."""
        x = self.host.width() - BUTTON_SIZE - 2
        controls = [rect for rect in self._control_rects() if rect.top() < 2 + BUTTON_SIZE]
        moved = True
        while moved and x > 0:
            moved = False
            for rect in controls:
                if rect.intersects(QRect(x, 2, BUTTON_SIZE, BUTTON_SIZE)):
                    x, moved = rect.left() - BUTTON_SIZE - 4, True
        self.button.move(max(0, x), 2)
        self.button.raise_()

    def _control_rects(self):
        """Where the host's visible controls are, in the host's coordinates."""
        rects = []
        for child in self.host.findChildren(QWidget):
            if child is self.button or not isinstance(child, CONTROLS) or not child.isVisibleTo(self.host):
                continue
            rects.append(QRect(child.mapTo(self.host, QPoint(0, 0)), child.size()))
        return rects


class Explainer(QObject):
    """The window's ? buttons and popup; explain(name) shows one part, explain() the part under the pointer."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.popup = None
        self.buttons = {}
        install_tooltips(window)   # every number, axis and control says what it is (tooltips.py)
        for name, host in HOSTS.items():
            widget = find_target(window, name)
            self.buttons[name] = self._add_button(name, host(widget) if host else widget)

    def _add_button(self, name, host):
        button = QToolButton(host)
        button.setObjectName("explainButton")
        button.setText("?")
        button.setFixedSize(BUTTON_SIZE, BUTTON_SIZE)
        button.setFocusPolicy(Qt.NoFocus)
        button.setCursor(Qt.PointingHandCursor)
        button.setToolTip(f"What am I looking at? {TARGETS_BY_NAME[name].description} Click (or press F1 "
                          "over it) for how to read it, with the current numbers.")
        button.clicked.connect(lambda _checked=False, name=name: self.window.actions.trigger("explain_view", name))
        _CornerKeeper(host, button)
        button.show()
        return button

    def explain(self, name=None):
        """Open the popup on ``name`` (a target's name), or on the part under the mouse pointer."""
        name = name or self.name_under_pointer()
        if name not in TARGETS_BY_NAME:
            raise KeyError(f"no part of the window is called {name!r}; the names are: {', '.join(TARGETS_BY_NAME)}")
        if self.popup is None:
            self.popup = ExplanationPopup(self.window)
        return self.popup.show_part(name)

    def name_under_pointer(self):
        """The innermost named part under the mouse pointer; else the current tab's main view."""
        return self.name_of(QApplication.widgetAt(QCursor.pos())) or self.current_tab_view()

    def name_of(self, widget):
        """The name of the first named part met walking up from ``widget`` (None if none is)."""
        names = {}
        for target in reversed(TARGETS):   # the earlier target wins where two share a widget
            try:
                names[id(target.find(self.window))] = target.name
            except (AttributeError, RuntimeError):   # a part this window does not have (now)
                continue
        for name, button in self.buttons.items():
            names.setdefault(id(button.parentWidget()), name)   # the box around a view counts as the view
        while widget is not None:
            if id(widget) in names:
                return names[id(widget)]
            widget = widget.parentWidget()
        return None

    def current_tab_view(self):
        title = self.window.tabs.tabText(self.window.tabs.currentIndex()).replace("&", "")
        return next((t.name for t in TARGETS if t.tab == title), "loss_plot")
