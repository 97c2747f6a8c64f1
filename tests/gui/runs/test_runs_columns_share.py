"""The Runs table on a laptop: once a "my drawings: shapes" run existed, the Name column shrank to
about 55 px and Status/From were cut ("stoppe", "finishe") or needed sideways scrolling at
1366x768. The columns must share the width: the name a readable least, the figures and the status
whole, long dataset / network / origin texts narrowed with their whole text in tooltips."""
import dataclasses

import pytest

from core.records.reader import RunSummary
from gui.runs.runs_panel import BEST, DATASET, EPOCHS, NAME, NETWORK, PARENT, STARTED, STATUS, TIME, RunsPanel

pytestmark = pytest.mark.usefixtures("themed_app")

LONG = "conv8x5,pool2,conv16x5v,pool2,dense128,dense10 relu, adam lr 0.01"
TAB_WIDTH = 906   # the Runs tab's width in the main window at 1366x768 (settings panel shown)


def summary(i, **changes):
    base = RunSummary(id=f"2026-12-06_{i:04d}", path=f"/runs/{i}", status="finished", name=LONG,
                      created="2026-12-06T10:00:00+00:00", dataset="mnist",
                      network="conv8x5,pool2,conv16x5v,pool2,dense128,dense10 relu, softmax + cross_entropy",
                      epochs=10, best_val_accuracy=0.9918, best_epoch=10, training_seconds=56.0)
    return dataclasses.replace(base, **changes)


RUNS = [summary(0, status="stopped"), summary(1, status="interrupted"),
        summary(2, parent={"run": "2026-12-06_0000", "name": LONG, "epoch": 1}, name=LONG + " / fork at 1"),
        summary(3, dataset="my drawings: shapes", epochs=100, best_val_accuracy=1.0, best_epoch=2)]


def shown_panel(qtbot, runs):
    panel = RunsPanel(200)
    qtbot.addWidget(panel)
    panel.resize(TAB_WIDTH, 690)
    panel.set_runs(runs)
    panel.show()
    qtbot.waitExposed(panel)
    return panel


def assert_shared_sensibly(panel):
    table = panel.table
    widths = [table.columnWidth(c) for c in range(table.columnCount())]
    assert sum(widths) <= table.viewport().width(), (widths, table.viewport().width())
    assert table.horizontalScrollBar().maximum() == 0                      # nothing to scroll sideways to
    assert widths[NAME] >= 140, widths                                     # a readable name
    metrics = table.fontMetrics()
    for row in range(table.rowCount()):
        for column in (STARTED, EPOCHS, BEST, TIME, STATUS):               # figures and status whole
            text = table.item(row, column).text()
            assert metrics.horizontalAdvance(text) + 8 <= widths[column], (text, widths[column])
        for column in (DATASET, NETWORK, PARENT):                          # narrowed: whole in the tooltip
            item = table.item(row, column)
            assert not item.text() or item.text() in item.toolTip() or column == NETWORK


def test_a_drawings_run_and_a_fork_leave_the_name_readable_and_the_status_whole(qtbot):
    panel = shown_panel(qtbot, RUNS)
    assert_shared_sensibly(panel)
    drawings_row = panel.row_of("2026-12-06_0003")
    assert panel.table.item(drawings_row, DATASET).toolTip() == "my drawings: shapes"
    assert panel.table.item(drawings_row, NETWORK).toolTip().startswith("conv8x5,pool2")


def test_the_refresh_of_a_new_run_keeps_the_shares(qtbot):
    panel = shown_panel(qtbot, RUNS[:2])
    newer = summary(9, dataset="my drawings: a long project name", status="running", name="x " * 40)
    filled = []
    original = panel._fill_row
    panel._fill_row = lambda row, s: (filled.append(s.id), original(row, s))[1]
    panel.set_runs(RUNS[:2] + [newer])          # the incremental refresh: only the new row filled
    assert filled == [newer.id]
    assert_shared_sensibly(panel)
    narrow = panel.table.columnWidth(NAME)
    panel.resize(TAB_WIDTH + 300, 690)          # a wider table: the narrowed columns back, the name the rest
    qtbot.waitUntil(lambda: panel.table.columnWidth(NAME) >= narrow + 150)
    assert panel.table.columnWidth(DATASET) == 150
