"""Runs > Compare runs… and Runs > Race two set-ups… from the main window."""
from dataclasses import replace

import pytest
from PyQt5.QtWidgets import QDialog

from core.settings.config import TrainConfig
from gui.runs.compare_window import CompareWindow
from gui.training.race_window import RaceWindow
from tests.gui_helpers import make_window

from .conftest import record_run

BASE = TrainConfig(hidden_sizes=(16,), epochs=1, batch_size=50, learning_rate=0.1, schedule="constant",
                   val_split=300, seed=4)


def test_compare_from_the_menu_opens_the_picked_runs(qtbot, mnist_small):
    a, _ = record_run(BASE, mnist_small, "first")
    b, _ = record_run(replace(BASE, hidden_sizes=(24,)), mnist_small, "second")
    window = make_window(qtbot, mnist_small)
    assert [a.text() for a in window.menuBar().actions()].index("&Runs") < len(window.menuBar().actions()) - 1
    dialog = window.experiments.pick_and_compare()
    assert dialog.list.count() == 2
    dialog.check(a)
    dialog.check(b)
    dialog.done(QDialog.Accepted)
    [compare] = window.experiments.compare_windows
    # the compare window belongs to the main window, which closes (and deletes) it
    assert isinstance(compare, CompareWindow) and [r.run_id for r in compare.records] == [a, b]
    with qtbot.waitSignal(compare.evaluated, timeout=30000):
        pass
    assert set(compare.diff) == {"hidden_sizes", "network"}


def test_race_from_the_menu_races_against_the_forms_settings(qtbot, mnist_small):
    window = make_window(qtbot, mnist_small, hidden_sizes=(16,), epochs=1, batch_size=50, val_split=300)
    window.actions["race"].trigger()
    race = window.race.race_window
    # the race window belongs to the main window, which closes (and deletes) it
    assert isinstance(race, RaceWindow) and race.isVisible()
    assert race.config_b == window.form.config()
    assert race.a_combo.count() >= 5 and race.a_combo.itemText(0).startswith("Preset: ")
    race.start(replace(BASE, seed=8))
    qtbot.waitUntil(lambda: not race.session.is_running, timeout=60000)
    assert [lane.end.reason for lane in race.lanes] == ["finished", "finished"]


def test_race_without_data_says_so(qtbot, monkeypatch):
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    shown = []
    monkeypatch.setattr("gui.training.race_launcher.show_info", lambda parent, title, text: shown.append(title))
    assert window.race.open() is None and shown == ["No data"]
