"""Runs > Export film…: the dialog picks a run and a view; the film is made in a worker."""
import pytest
from PIL import Image
from PyQt5.QtWidgets import QMessageBox

from core.records.reader import open_run, resolve_run
from core.records.writer import checkpoint_epochs
from core.settings.config import TrainConfig
from gui.runs.film_dialog import FilmDialog
from tests.gui_helpers import make_window

from .conftest import record_run

CNN = TrainConfig(layers="conv4x5,pool2,dense16,dense10", epochs=3, batch_size=50, learning_rate=0.05,
                  schedule="constant", val_split=300, seed=4)


def test_export_film_from_the_menu_writes_one_frame_per_checkpoint(qtbot, mnist_small, tmp_path):
    run_id, _ = record_run(CNN, mnist_small, "filmed")
    window = make_window(qtbot, mnist_small)
    runs_menu = next(a.menu() for a in window.menuBar().actions() if a.text() == "&Runs")
    assert window.actions["export_film"] in runs_menu.actions()
    window.run_records.refresh()
    qtbot.waitUntil(lambda: window.run_records.panel.row_of(run_id) is not None, timeout=10000)
    window.run_records.panel.select_run(run_id)
    window.actions["export_film"].trigger()
    dialog = window.films.dialog
    assert isinstance(dialog, FilmDialog) and dialog.isVisible()
    assert dialog.run_combo.currentData() == run_id and dialog.frames.value() == 3
    dialog.view_combo.setCurrentIndex(dialog.view_combo.findData("feature-maps"))
    assert dialog.image.isEnabled() and "needs the run's data (mnist)" in dialog.note.text()
    dialog.path.setText(str(tmp_path / "maps.gif"))
    dialog.png_frames.setChecked(True)
    with qtbot.waitSignal(window.films.written, timeout=30000) as written:
        dialog.ok_button.click()
    assert written.args == [str(tmp_path / "maps.gif"), 3]
    with Image.open(tmp_path / "maps.gif") as gif:
        assert gif.n_frames == 3
    assert len(list((tmp_path / "maps-frames").iterdir())) == 3
    assert "3 frames" in window.statusBar().currentMessage()


def test_a_film_that_cannot_be_made_is_one_sentence(qtbot, mnist_small, tmp_path):
    run_id, _ = record_run(TrainConfig(hidden_sizes=(8,), epochs=2, batch_size=100, val_split=300, seed=1),
                           mnist_small, "dense")
    window = make_window(qtbot, mnist_small)
    with qtbot.waitSignal(window.films.failed, timeout=30000) as failed:
        window.actions.trigger("export_film", run_id, "filters", str(tmp_path / "f.gif"))
    assert failed.args == ["this network has no convolution layers, so it has no filters; use the weights view"]
    box = next(w for w in window.findChildren(QMessageBox) if w.isVisible())
    assert "no convolution layers" in box.text()
    with qtbot.waitSignal(window.films.written, timeout=30000):
        window.actions.trigger("export_film", run_id, "curves", str(tmp_path / "c.gif"), frames=1)
    with Image.open(tmp_path / "c.gif") as gif:
        assert gif.n_frames == 1
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".gif") == ["c.gif"]


def test_the_live_run_is_filmed_from_the_checkpoints_written_so_far(qtbot, mnist_small, tmp_path):
    window = make_window(qtbot, mnist_small, hidden_sizes=(16,), epochs=400, batch_size=100, val_split=300,
                         schedule="constant")
    window.actions.trigger("start")
    recording = window.run_records.recording
    qtbot.waitUntil(lambda: recording.current_run_id is not None, timeout=30000)
    run_id = recording.current_run_id
    qtbot.waitUntil(lambda: len(checkpoint_epochs(resolve_run(run_id))) >= 2, timeout=30000)
    assert window.is_training
    dialog = window.actions.trigger("export_film")
    assert dialog.run_combo.currentData() == run_id and "training now" in dialog.run_combo.currentText()
    dialog.reject()
    with qtbot.waitSignal(window.films.written, timeout=30000) as written:
        window.actions.trigger("export_film", path=str(tmp_path / "live.gif"))   # no run named: the live one
    window.actions.trigger("stop")
    qtbot.waitUntil(lambda: not window.is_training, timeout=10000)
    with Image.open(tmp_path / "live.gif") as gif:
        assert gif.n_frames == written.args[1] >= 2
    record = open_run(run_id)
    assert record.status == "stopped" and len(record.rows) < 400   # the filmed record is the run that was going
