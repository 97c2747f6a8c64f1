""""What am I looking at?" (issue 20, item 3): every named part of the window has an explanation
with the window's current figures, a ? button on every view opens it, F1 explains the part under
the mouse pointer, and every number, axis and control has a tooltip. Real window, real training on
the built-in digits."""
import html
import re

import pytest
from PyQt5.QtCore import QPoint, QRect, Qt
from PyQt5.QtGui import QCursor
from PyQt5.QtWidgets import (QAbstractSpinBox, QApplication, QCheckBox, QComboBox, QDoubleSpinBox, QLabel, QLineEdit,
                             QPushButton, QSlider, QSpinBox, QTabWidget, QToolButton)

from gui.shell.explain.popup import HOSTS
from gui.shell.explain.texts import EXPLANATIONS, explain
from gui.shell.targets import TARGETS, find_target, show_target
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")
SEVEN = [[(90, 80), (230, 75), (150, 260)], [(120, 170), (210, 168)]]


def train(qtbot, window, epochs):
    window.actions.trigger("set_setting", "epochs", epochs)
    with qtbot.waitSignal(window.run_finished, timeout=60000) as finished:
        window.actions.trigger("start")
    assert finished.args == ["finished"]


def plain(html):
    return re.sub(r"<[^>]+>", "", html)


@pytest.fixture
def window(qtbot):
    return make_window(qtbot, hidden_sizes=(32,))


def test_every_part_of_the_window_has_an_explanation_that_says_what_to_do_before_a_run(window):
    assert set(EXPLANATIONS) == {target.name for target in TARGETS}
    for target in TARGETS:
        text = plain(explain(window, target.name))
        assert len(text) > 150, target.name
        assert not re.search(r"\b\w+\.py\b|\w+_\w+\(|self\.", text), (target.name, text)   # no code names
    for name in ("loss_plot", "accuracy_plot", "confusion_matrix", "class_report", "weight_tiles", "progress"):
        text = plain(explain(window, name))
        assert "Nothing to show yet" in text and "press Start" in text, name
    assert "Draw a digit" in plain(explain(window, "probabilities"))


def test_the_accuracy_explanation_has_the_runs_figures_and_follows_them(qtbot, window):
    train(qtbot, window, 1)
    history = window.state.history
    accuracy, n_val = history["val_accuracy"][-1], len(window.state.start.val_labels)
    popup = window.actions.trigger("explain_view", "accuracy_plot")
    assert popup.isVisible() and not popup.isModal()
    text = popup.text()
    assert f"Validation accuracy {100 * accuracy:.1f}%" in text
    assert f"of {n_val:,} images the network never trained on, it labels {round(accuracy * n_val):,} correctly" in text
    assert f"Training accuracy {100 * history['train_accuracy'][-1]:.1f}%" in text
    assert "Nothing to show yet" not in text
    before = text
    train(qtbot, window, 3)   # new figures: the open popup is rewritten as they arrive
    accuracy = window.state.history["val_accuracy"][-1]
    assert len(window.state.history["val_accuracy"]) == 3
    qtbot.waitUntil(lambda: f"Validation accuracy {100 * accuracy:.1f}%" in popup.text(), timeout=5000)
    assert "epoch 3" in popup.text() and popup.text() != before
    loss = plain(explain(window, "loss_plot"))
    assert f"the validation loss is {window.state.history['val_loss'][-1]:.4f}" in loss
    window.actions.trigger("reset")
    qtbot.waitUntil(lambda: "Nothing to show yet" in popup.text(), timeout=5000)


def test_every_view_has_a_question_button_that_opens_its_explanation(qtbot, window):
    for name in HOSTS:
        show_target(window, name)
        button = window.explainer.buttons[name]
        qtbot.waitUntil(button.isVisible, timeout=2000)
        host = button.parentWidget()
        assert host.rect().contains(button.geometry()), name   # in its view's corner, never outside it
        qtbot.mouseClick(button, Qt.LeftButton)
        popup = window.explainer.popup
        assert popup.isVisible() and popup.name == name
        title = re.search(r"<h3>(.*?)</h3>", explain(window, name)).group(1)
        assert popup.text().startswith(html.unescape(title))
    popup.close()
    assert not popup.isVisible()


@pytest.mark.parametrize("screen", ["1366x768", "1920x1080"])
def test_no_question_button_covers_a_control(qtbot, monkeypatch, screen, mnist_small):
    """After a run, on every tab: each ? button lies over no button, box, field or slider of its
    view ("New draw", "Import…" and "Refresh" were hidden under one)."""
    from PyQt5.QtCore import QPoint, QRect
    from PyQt5.QtWidgets import QWidget
    from gui.shell.explain.popup import CONTROLS
    monkeypatch.setenv("DIGITLAB_SCREEN", screen)
    window = make_window(qtbot, mnist_small, hidden_sizes=(32,), val_split=300)
    train(qtbot, window, 1)
    for name in HOSTS:
        show_target(window, name)
        button = window.explainer.buttons[name]
        qtbot.waitUntil(button.isVisible, timeout=2000)
        host = button.parentWidget()
        for control in host.findChildren(QWidget):
            if control is button or not isinstance(control, CONTROLS) or not control.isVisible():
                continue
            where = QRect(control.mapTo(host, QPoint(0, 0)), control.size())
            assert not where.intersects(button.geometry()), (name, type(control).__name__,
                                                              getattr(control, "text", lambda: "")())


def test_f1_explains_the_view_under_the_mouse_pointer(qtbot, monkeypatch):
    monkeypatch.setenv("DIGITLAB_SCREEN", "800x600")   # the offscreen screen: the pointer is on it
    window = make_window(qtbot)
    qtbot.waitExposed(window)
    QApplication.setActiveWindow(window)
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    for name, inner in (("loss_plot", None), ("confusion_matrix", None), ("canvas", None),
                        ("learning_rate", None), ("progress", "bar")):
        widget = show_target(window, name)
        widget = getattr(widget, inner) if inner else widget
        qtbot.waitUntil(widget.isVisible, timeout=2000)
        window.settings_scroll.ensureWidgetVisible(widget)   # the form scrolls on a small screen
        QApplication.processEvents()
        shown = QRect(widget.mapToGlobal(QPoint(0, 0)), widget.size()) & widget.screen().geometry()
        QCursor.setPos(shown.center())   # the middle of the part of the view that is on the screen
        under = QApplication.widgetAt(QCursor.pos())
        assert window.explainer.name_of(under) == name, (name, under)
        QApplication.setActiveWindow(window)   # shortcuts go to the active window (the popup was)
        qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
        opened = []
        window.actions.triggered.connect(opened.append)
        qtbot.keyClick(window, Qt.Key_F1)   # the menu's shortcut, as a user presses it
        window.actions.triggered.disconnect(opened.append)
        assert opened == ["explain_view"] and window.explainer.popup.name == name
        window.explainer.popup.close()   # it stands beside the view: the next one must be under the pointer
    # nothing named under the pointer: the current tab's main view
    assert window.explainer.name_of(None) is None
    window.actions.trigger("show_tab", "Evaluation")
    assert window.explainer.current_tab_view() == "confusion_matrix"


def walked_widgets(window):
    """Every widget a user can see on every centre tab (and every page of the inner tab widgets)."""
    classes = (QSpinBox, QDoubleSpinBox, QComboBox, QSlider, QCheckBox, QPushButton, QToolButton, QLineEdit, QLabel)
    seen = {}
    for index in range(window.tabs.count()):
        window.tabs.setCurrentIndex(index)
        inner = [tabs for tabs in window.tabs.currentWidget().findChildren(QTabWidget)] or [None]
        for tabs in inner:
            for page in range(tabs.count() if tabs else 1):
                if tabs:
                    tabs.setCurrentIndex(page)
                QApplication.processEvents()
                for cls in classes:
                    for widget in window.findChildren(cls):
                        if widget.isVisible() and id(widget) not in seen:
                            seen[id(widget)] = (window.tabs.tabText(index), widget)
    return seen.values()


def needs_a_tip(widget):
    if isinstance(widget, QLineEdit) and isinstance(widget.parentWidget(), (QAbstractSpinBox, QComboBox)):
        return False   # the editor inside a spin box or combo: the box has the tip
    if isinstance(widget, QLabel):
        return bool(re.search(r"\d", plain(widget.text())))   # a label showing a number (not its colours)
    return True


def has_tip(widget):
    if widget.toolTip():
        return True
    if isinstance(widget, QLabel):
        buddy = widget.buddy()
        return buddy is not None and bool(buddy.toolTip())
    return False


def test_every_number_and_control_has_a_tooltip_and_every_axis_a_unit(qtbot, window):
    train(qtbot, window, 1)
    window.actions.trigger("draw", SEVEN)
    missing = [(tab, type(widget).__name__, widget.text()[:40] if hasattr(widget, "text") else "")
               for tab, widget in walked_widgets(window) if needs_a_tip(widget) and not has_tip(widget)]
    assert missing == [], "\n".join(map(str, missing))
    for name in ("loss_plot", "accuracy_plot"):
        plot = find_target(window, name)
        assert "Across" in plot.toolTip() and "Up" in plot.toolTip()
        item = plot.getPlotItem()
        assert "(" in item.getAxis("left").labelText and "(" in item.getAxis("bottom").labelText   # a unit
