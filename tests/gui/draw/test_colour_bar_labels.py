"""The evidence map's colour bar: its end labels (1.0 and -1.0) were cut by the widget's edge
(walkthrough at 1366x768). Every tick label drawn must lie inside the widget."""
import numpy as np
import pytest
from PyQt5.QtCore import QRect
from PyQt5.QtGui import QImage, QPainter

from gui.draw.map_view import SignedMapView

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.mark.parametrize("size", [(190, 150), (260, 230)])
def test_the_colour_bars_labels_are_inside_the_view(qtbot, size):
    view = SignedMapView(size=150)
    qtbot.addWidget(view)
    view.resize(*size)
    view.show()
    qtbot.waitExposed(view)
    view.set_map(np.linspace(-1, 1, 28 * 28).reshape(28, 28))
    qtbot.waitUntil(lambda: view.colour_bar.axis.height() > 100, timeout=2000)
    axis = view.colour_bar.axis
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    painter.end()
    labels = {text for _rect, _flags, text in texts}
    assert {"1.0", "-1.0"} <= labels or {"1", "-1"} <= labels, labels
    inside = view.viewport().rect()
    for rect, _flags, text in texts:
        on_screen = view.mapFromScene(axis.mapRectToScene(rect)).boundingRect()
        assert inside.contains(on_screen), (size, text, on_screen, inside)
