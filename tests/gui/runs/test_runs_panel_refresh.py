"""The Runs panel's refresh at every Start and run's end fills only the rows that changed (a new
run on top, a status that changed): refilling 250 rows held the window 20 ms each time. What it
shows must equal a panel filled from scratch."""
import dataclasses

from core.records.reader import RunSummary
from gui.runs.runs_panel import COLUMNS, RunsPanel


def summaries(n, status="finished"):
    return [RunSummary(id=f"2026-12-06_{i:04d}", path=f"/runs/{i}", status=status, name=f"run number {i}",
                       created="2026-12-06T10:00:00+00:00", dataset="mnist", network="784-128-10", epochs=2,
                       best_val_accuracy=0.9 + i / 10000, best_epoch=2, training_seconds=3.0 + i)
            for i in range(n)]


def table_texts(panel):
    table = panel.table
    return [[table.item(row, column).text() if table.item(row, column) else "" for column in range(len(COLUMNS))]
            for row in range(table.rowCount())]


def test_a_refresh_fills_only_the_new_and_changed_rows_and_shows_what_a_fresh_panel_shows(qtbot):
    panel = RunsPanel(100)
    qtbot.addWidget(panel)
    runs = summaries(250)
    panel.set_runs(runs)
    filled = []
    original = panel._fill_row
    panel._fill_row = lambda row, summary: (filled.append(summary.id), original(row, summary))[1]
    running = summaries(251)[-1:]
    running = [dataclasses.replace(running[0], status="running", name="the new run")]
    panel.set_runs(runs + running)                              # Start: one new run on top
    assert filled == [running[0].id]
    filled.clear()
    ended = [dataclasses.replace(running[0], status="finished")]
    changed = dataclasses.replace(runs[10], name="renamed elsewhere")
    panel.set_runs(runs[:10] + [changed] + runs[11:] + ended)  # its end, and another run renamed
    assert sorted(filled) == sorted([ended[0].id, changed.id])

    fresh = RunsPanel(100)
    qtbot.addWidget(fresh)
    fresh.set_runs(runs[:10] + [changed] + runs[11:] + ended)
    assert table_texts(panel) == table_texts(fresh)
    assert [s.id for s in panel.summaries] == [s.id for s in fresh.summaries]


def test_a_deleted_run_refills_the_table(qtbot):
    panel = RunsPanel(100)
    qtbot.addWidget(panel)
    runs = summaries(5)
    panel.set_runs(runs)
    panel.set_runs(runs[:2] + runs[3:])   # one gone from the middle
    assert panel.table.rowCount() == 4
    assert runs[2].name not in [row[0] for row in table_texts(panel)]
