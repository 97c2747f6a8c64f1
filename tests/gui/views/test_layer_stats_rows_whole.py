"""Weights tab, layer statistics, at 1366x768 with a 4-layer CNN: the pane was shorter than the
table, the hint and the histogram needed, the layout squeezed them and the hint ("update / weight
≈ 1e-3 per step…") was drawn over the last row "W4 128x10". Every row must be whole, the hint
below the table (the pane scrolls when it is too short)."""
from types import SimpleNamespace

import numpy as np
import pytest
from PyQt5.QtCore import QPoint, QRect
from PyQt5.QtWidgets import QApplication

from core.training.snapshots import LayerStats

pytestmark = pytest.mark.usefixtures("themed_app")

SHAPES = ((8, 1, 5, 5), (16, 8, 5, 5), (400, 128), (128, 10))   # conv8x5,pool2,conv16x5v,pool2,dense128,dense10


def rect_in(widget, ancestor):
    return QRect(widget.mapTo(ancestor, QPoint(0, 0)), widget.size())


@pytest.mark.parametrize("screen", ["1366x768", "1280x720"])
def test_every_row_of_a_four_layer_network_is_whole_and_the_hint_below(qtbot, monkeypatch, screen):
    monkeypatch.setenv("DIGITLAB_SCREEN", screen)
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    window.tabs.show_tab("Weights")
    view = window.tabs.layer_stats
    network = SimpleNamespace(weights=[np.full(shape, 0.1, np.float32) for shape in SHAPES])
    stats = tuple(LayerStats(f"W{i + 1}", 0.3, 1e-4, 2e-5) for i in range(len(SHAPES)))
    view.set_stats(stats, network, rate_fraction=0.01)   # the long hint: the schedule lowered the rate
    view.set_network(network)
    QApplication.processEvents()
    table = view.table
    assert table.rowCount() == 4
    last = table.visualItemRect(table.item(3, 0))
    assert last.bottom() < table.viewport().height(), (last, table.viewport().height())   # W4 whole in the table
    content = view.hint.parentWidget()   # what holds the table, the hint and the histogram
    rows_bottom = rect_in(table.viewport(), content).top() + last.bottom()
    for below in (view.hint, view.layer_combo, view.histogram):
        assert rect_in(below, content).top() > rows_bottom, (below, rows_bottom)
    # the pane shows the table and the hint, or scrolls to them: nothing is squeezed over anything
    assert content.height() >= content.minimumSizeHint().height()
    window.close()
