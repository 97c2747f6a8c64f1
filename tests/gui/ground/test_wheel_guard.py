"""A mouse wheel over a closed combo box, spin box or slider inside a scroll area scrolls the
area and never changes the value (issue 19: scrolling the settings panel flipped Architecture
from CNN to MLP while the Preset box still said CNN). Real QWheelEvents are sent to the real
window's widgets, as the mouse would send them."""
import pytest
from PyQt5.QtCore import QPoint, QPointF, Qt
from PyQt5.QtGui import QWheelEvent
from PyQt5.QtWidgets import QApplication, QSlider, QVBoxLayout, QWidget

from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def wheel(widget, steps=-1):
    """One notch of the wheel over the middle of ``widget`` (negative: towards the user, down)."""
    centre = QPointF(widget.rect().center())
    event = QWheelEvent(centre, QPointF(widget.mapToGlobal(centre.toPoint())), QPoint(0, 0),
                        QPoint(0, 120 * steps), Qt.NoButton, Qt.NoModifier, Qt.NoScrollPhase, False)
    QApplication.sendEvent(widget, event)


def short_window(qtbot):
    window = make_window(qtbot)
    window.resize(1366, 600)   # short enough for the settings panel to scroll
    window.actions.trigger("pick_preset", "cnn")
    qtbot.waitUntil(lambda: window.settings_scroll.verticalScrollBar().maximum() > 0)
    return window


def test_a_wheel_over_the_architecture_combo_scrolls_the_settings_instead(qtbot):
    window = short_window(qtbot)
    form, bar = window.form, window.settings_scroll.verticalScrollBar()
    combo = form.layers_editor.mode_combo
    before = combo.currentText()
    for steps in (-1, 1, 1):   # down then up: both ways must leave the choice alone
        position = bar.value()
        wheel(combo, steps)
        assert combo.currentText() == before
        assert bar.value() != position or bar.value() in (bar.minimum(), bar.maximum())
    wheel(combo, -2)
    assert bar.value() > bar.minimum()   # the panel did scroll
    assert form.preset_combo.currentData() == "cnn" and form.editors["layers"].value().startswith("conv8x5")


def test_spin_boxes_and_combos_keep_their_values_under_the_wheel(qtbot):
    window = short_window(qtbot)
    form, bar = window.form, window.settings_scroll.verticalScrollBar()
    for widget in (form.preset_combo, form.batch_size_spin, form.activation_combo, form.epochs_spin):
        bar.setValue(bar.minimum())
        value = widget.currentText() if hasattr(widget, "currentText") else widget.value()
        wheel(widget, -1)
        assert (widget.currentText() if hasattr(widget, "currentText") else widget.value()) == value
        assert bar.value() > bar.minimum(), f"the panel did not scroll under {widget.objectName() or widget}"
    assert form.preset_combo.currentData() == "cnn"


def test_a_slider_outside_any_scroll_area_still_takes_the_wheel(qtbot):
    from gui.ground.wheel_guard import install_wheel_guard
    install_wheel_guard()
    holder = QWidget()
    qtbot.addWidget(holder)
    slider = QSlider(Qt.Horizontal)
    slider.setRange(0, 100)
    slider.setValue(50)
    QVBoxLayout(holder).addWidget(slider)
    holder.show()
    wheel(slider, 1)
    assert slider.value() != 50


def test_a_combo_added_to_the_settings_later_is_guarded_too(qtbot):
    """The guard sits on the widgets (an application-wide filter cost the event loop's p99 stall);
    one added after the window was built is guarded once its scroll area lays itself out."""
    from PyQt5.QtWidgets import QComboBox
    window = short_window(qtbot)
    combo = QComboBox()
    combo.addItems(["a", "b", "c"])
    window.form.layout().addWidget(combo)
    qtbot.waitUntil(lambda: bool(combo.property("digitlabWheelGuarded")), timeout=5000)
    bar = window.settings_scroll.verticalScrollBar()
    bar.setValue(bar.minimum())
    wheel(combo, -1)
    assert combo.currentText() == "a" and bar.value() > bar.minimum()


def test_the_guard_is_not_an_application_wide_filter(qtbot):
    """Negative control for the cost: a wheel sent to a combo in a scroll area of a window the
    guard never watched changes its value (no filter on the application catches it)."""
    from PyQt5.QtWidgets import QComboBox, QScrollArea
    make_window(qtbot)   # a guarded window exists in the application
    area = QScrollArea()
    qtbot.addWidget(area)
    combo = QComboBox()
    combo.addItems(["a", "b", "c"])
    area.setWidget(combo)
    area.show()
    wheel(combo, -1)
    assert combo.currentText() != "a"
