"""The Feature maps tab makes its rows (a title, a view box and an image or bars per layer) ahead
of time, one row per turn of the event loop, while it is hidden: made all at once at the first
show they froze the window for 130-250 ms. The first show then only fills them. Real window,
the Draw tab's default model, real mouse strokes."""
import numpy as np
import pytest
from PyQt5.QtCore import QEvent, QPointF, Qt
from PyQt5.QtGui import QMouseEvent
from PyQt5.QtWidgets import QApplication

from core.analysis.feature_maps import feature_stages
from core.drawing.model_input import model_input
from gui.views.feature_maps_view import FeatureMapsView
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")
SEVEN = [(60, 50), (200, 50), (120, 240)]


def draw(canvas, polyline, steps=12):
    """One stroke with real mouse events: press, moves with the button held, release."""
    def send(kind, x, y, button, buttons):
        QApplication.sendEvent(canvas, QMouseEvent(kind, QPointF(x, y), button, buttons, Qt.NoModifier))
    send(QEvent.MouseButtonPress, *polyline[0], Qt.LeftButton, Qt.LeftButton)
    for (x0, y0), (x1, y1) in zip(polyline[:-1], polyline[1:]):
        for t in np.linspace(0, 1, steps)[1:]:
            send(QEvent.MouseMove, x0 + t * (x1 - x0), y0 + t * (y1 - y0), Qt.NoButton, Qt.LeftButton)
    send(QEvent.MouseButtonRelease, *polyline[-1], Qt.LeftButton, Qt.NoButton)


def items_of(view):
    return {name: (row[0], row[1], row[2]) for name, row in view.rows.items()}


def test_rows_are_made_while_hidden_one_per_step_and_the_first_show_only_fills_them(qtbot):
    window = make_window(qtbot)
    tabs, controller = window.tabs, window.feature_maps
    panel, view = tabs.draw_panel, tabs.feature_maps
    rows_after_step = []
    view._step_timer.timeout.connect(lambda: rows_after_step.append(len(view.rows)))   # after each step
    tabs.setCurrentWidget(panel)
    qtbot.waitExposed(panel.canvas)
    with qtbot.waitSignal(panel.predicted, timeout=5000, check_params_cb=lambda p: p is not None):
        draw(panel.canvas, SEVEN)
    qtbot.waitUntil(lambda: len(view.rows) > 0 and not view.building, timeout=10000)

    stages = feature_stages(panel.network, model_input(np.zeros(panel.geometry.out_shape, np.float32)))
    assert list(view.rows) == ["input"] + [stage.name for stage in stages]
    assert not view.isVisible() and controller.draws == 0          # made for a tab nobody looks at
    grown = np.diff([0] + rows_after_step)
    assert grown.max() == 1 and np.all(grown >= 0)                 # never more than one row per turn
    assert "conv1 + relu" in view.rows["conv1"][0].text            # titles set ahead too
    prepared = items_of(view)

    tabs.setCurrentWidget(view)                                    # the first show: drawn at once
    assert controller.draws == 1 and items_of(view) == prepared    # into the prepared items
    np.testing.assert_allclose(view.shown["input"][0], panel.last_image)
    drawn = feature_stages(panel.network, model_input(panel.last_image))
    np.testing.assert_allclose(view.shown["conv1"], drawn[0].values, rtol=1e-5)
    assert "Your drawing" in view.caption.text()


def test_show_stages_finishes_a_build_that_is_still_in_steps(qtbot):
    panel = make_window(qtbot).tabs.draw_panel                     # for its default model
    view = FeatureMapsView()                                       # a view of its own: no controller
    qtbot.addWidget(view)
    blank = np.zeros(panel.geometry.out_shape, np.float32)
    view.prepare(blank, feature_stages(panel.network, model_input(blank)))
    assert view.building and view.rows == {}                       # the steps run on later turns
    image = np.zeros_like(blank)
    image[5:23, 12:16] = 1.0                                       # a "1"
    stages = feature_stages(panel.network, model_input(image))
    view.show_stages(image, stages, "a one")                       # needs the rows now: made now
    assert not view.building and list(view.rows) == ["input"] + [stage.name for stage in stages]
    made = items_of(view)
    for _ in range(5):
        QApplication.processEvents()
    assert items_of(view) == made                                  # no step left to remake them
    np.testing.assert_allclose(view.shown["conv1"], stages[0].values, rtol=1e-5)
