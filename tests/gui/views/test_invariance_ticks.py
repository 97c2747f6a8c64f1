"""The invariance plots' accuracy labels (0.0 ... 1.0) were drawn on top of each other where the
plots are short (the Evaluation tab at 1366x768): the labels drawn never overlap, at any height
(a plot a label high shows none rather than a pile), and a tall plot still gets the fine ticks."""
import pytest
from PyQt5.QtGui import QImage, QPainter

from gui.views.invariance_view import InvarianceView

pytestmark = pytest.mark.usefixtures("themed_app")


def drawn_labels(plot):
    axis = plot.getPlotItem().getAxis("left")
    image = QImage(10, 10, QImage.Format_ARGB32)
    painter = QPainter(image)
    _axis, _ticks, texts = axis.generateDrawSpecs(painter)
    painter.end()
    return sorted(((rect, text) for rect, _flags, text in texts), key=lambda pair: pair[0].top())


@pytest.mark.parametrize("height, fine", [(150, False), (190, False), (260, None), (520, True)])
def test_accuracy_labels_never_overlap(qtbot, height, fine):
    view = InvarianceView()
    qtbot.addWidget(view)
    view.resize(700, height)
    view.show()
    qtbot.waitExposed(view)
    for plot in (view.shift_plot, view.rotation_plot):
        qtbot.waitUntil(lambda: plot.getPlotItem().getViewBox().height() > 10, timeout=2000)
        labels = drawn_labels(plot)
        texts = [text for _rect, text in labels]
        if plot.getPlotItem().getViewBox().height() >= 45:   # a scale to read: at least two labels
            assert len(texts) >= 2, (height, texts)
        for (upper, a), (lower, b) in zip(labels, labels[1:]):
            assert upper.bottom() <= lower.top(), (height, a, b)
        if fine is not None:
            assert ("0.2" in texts) == fine, (height, texts)
