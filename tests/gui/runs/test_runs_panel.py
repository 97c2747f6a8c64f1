"""The Runs panel in the real window: every run recorded on disk (DIGITLAB_HOME in tmp_path, see
tests/gui/conftest.py), listed, renamed, deleted, continued, forked and rewound, on real MNIST."""
import json
import shutil

import numpy as np
import pytest
from PyQt5.QtWidgets import QMessageBox

from core.data.transforms import subsample
from core.storage import user_dirs
from core.files.model_io import load_model
from core.files.model_state_io import load_model_with_state
from core.records.reader import list_runs, load_run
from gui.runs.runs_panel import BEST, DATASET, NAME, PARENT, STATUS
from gui.ground import model_files
from gui.views.gallery import MAX_EXAMPLES
from gui_helpers import collect, make_window

pytestmark = pytest.mark.usefixtures("themed_app")
SETTINGS = dict(hidden_sizes=(32,), batch_size=64, schedule="constant", learning_rate=0.1, val_split=300.0,
                seed=5)


@pytest.fixture(scope="module")
def small_mnist(mnist):
    """1,500 real MNIST training images (300 of them for validation) and 100 test images."""
    return subsample(mnist, 1500, 100)


def train(qtbot, window, timeout=30000):
    with qtbot.waitSignal(window.run_finished, timeout=timeout) as blocker:
        window.start_training()
    return blocker.args[0]


def finished_window(qtbot, small_mnist, epochs=2, **changes):
    window = make_window(qtbot, small_mnist, epochs=epochs, **SETTINGS, **changes)
    assert train(qtbot, window) == "finished"
    panel_of(window, qtbot)   # listed
    return window


def panel_of(window, qtbot=None):
    """The Runs panel; with qtbot, once the folder has been read again (the listing runs in a worker)."""
    if qtbot is not None:
        lister = window.run_records.lister
        qtbot.waitUntil(lambda: not lister.busy and not lister.again, timeout=10000)
    return window.run_records.panel


def select(window, run_id):
    panel = panel_of(window)
    panel.table.clearSelection()
    panel.select_run(run_id)
    assert panel.selected_run_ids() == [run_id]


def cell(window, run_id, column):
    panel = panel_of(window)
    return panel.table.item(panel.row_of(run_id), column).text()


def test_a_run_in_the_app_is_listed_as_finished_with_its_best_accuracy(qtbot, small_mnist, tmp_path):
    window = make_window(qtbot, small_mnist, epochs=2, **SETTINGS)
    with qtbot.waitSignal(window.run_finished, timeout=30000) as blocker:
        window.start_button.click()   # as a person starts it
    assert blocker.args == ["finished"]
    panel_of(window, qtbot)
    [summary] = list_runs()
    assert summary.path.startswith(str(tmp_path))   # never the real user's folder
    history = window.state.history
    assert summary.status == "finished" and summary.epochs == 2 and summary.dataset == "mnist"
    assert summary.best_val_accuracy == max(history["val_accuracy"])
    assert panel_of(window).selected_run_ids() == [] and panel_of(window).summaries[0].id == summary.id
    assert cell(window, summary.id, STATUS) == "finished"
    assert cell(window, summary.id, BEST).startswith(f"{100 * max(history['val_accuracy']):.2f}%")
    record = load_run(summary.path)
    assert sorted(record.checkpoints) == [1, 2]
    # the last checkpoint carries the optimiser state, so it can be continued exactly
    _, _, state = load_model_with_state(record.checkpoints[2])
    assert state is not None and state.optimizer is not None and state.epochs_done == 2


def test_a_corrupt_record_is_listed_with_its_reason_and_the_list_goes_on(qtbot, small_mnist):
    window = finished_window(qtbot, small_mnist, epochs=1)
    broken = user_dirs.runs_dir() / "20200101-000000-broken"
    broken.mkdir()
    (broken / "settings.json").write_text("{not json")
    newer = user_dirs.runs_dir() / "20200102-000000-future"
    newer.mkdir()
    (newer / "settings.json").write_text(json.dumps({"format": "digitlab-run", "version": 99, "id": "x"}))
    panel = panel_of(window)
    with qtbot.waitSignal(window.run_records.listed, timeout=10000):
        panel.refresh_button.click()
    assert len(panel.summaries) == 3
    assert cell(window, broken.name, STATUS) == "corrupt"
    assert "settings.json is not valid JSON" in cell(window, broken.name, DATASET)
    assert panel.table.columnSpan(panel.row_of(broken.name), DATASET) > 1
    assert cell(window, newer.name, STATUS) == "newer-version"
    assert "newer DigitLab" in cell(window, newer.name, DATASET)
    good = next(s for s in panel.summaries if s.status == "finished")
    assert cell(window, good.id, STATUS) == "finished"
    select(window, broken.name)
    assert not panel.open_button.isEnabled() and not panel.continue_button.isEnabled()
    assert panel.delete_button.isEnabled() and "cannot be read" in panel.details.text()
    assert broken.is_dir() and newer.is_dir()   # never deleted silently


def test_rename_in_place_and_delete_with_confirmation_work_on_disk(qtbot, small_mnist):
    window = finished_window(qtbot, small_mnist, epochs=1)
    panel = panel_of(window)
    [summary] = panel.summaries
    with qtbot.waitSignal(window.run_records.listed, timeout=10000):
        panel.table.item(panel.row_of(summary.id), NAME).setText("baseline, lr 0.1")   # what an edit commits
    assert load_run(summary.path).name == "baseline, lr 0.1"
    assert cell(window, summary.id, NAME) == "baseline, lr 0.1"
    with qtbot.waitSignal(window.run_records.listed, timeout=10000):
        panel.table.item(panel.row_of(summary.id), NAME).setText("   ")   # refused: the name stays
    box = window.findChild(QMessageBox, "errorDialog")
    assert box is not None and "one line of 1 to 200 characters" in box.text()
    box.close()
    assert load_run(summary.path).name == "baseline, lr 0.1" and cell(window, summary.id, NAME) == "baseline, lr 0.1"

    select(window, summary.id)
    panel.delete_button.click()
    question = window.run_records.dialog
    assert question.objectName() == "deleteRunsDialog" and "baseline, lr 0.1" in question.text()
    question.button(QMessageBox.Cancel).click()
    assert user_dirs.runs_dir().joinpath(summary.id).is_dir()
    panel.delete_button.click()
    with qtbot.waitSignal(window.run_records.listed, timeout=10000):
        window.run_records.dialog.button(QMessageBox.Yes).click()
    assert not user_dirs.runs_dir().joinpath(summary.id).exists()
    assert panel.summaries == [] and panel.table.rowCount() == 0


def test_a_running_record_cannot_be_deleted(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, epochs=300, **SETTINGS)
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: any(s.kind == "epoch" for s in snapshots), timeout=20000)
    panel = panel_of(window, qtbot)
    [summary] = panel.summaries
    assert summary.status == "running"
    select(window, summary.id)
    assert not panel.delete_button.isEnabled() and not panel.continue_button.isEnabled()
    window.run_records.delete([summary.path])   # asked anyway: refused with the reason
    box = window.findChild(QMessageBox, "errorDialog")
    assert box is not None and "still being recorded" in box.text()
    box.close()
    assert user_dirs.runs_dir().joinpath(summary.id).is_dir()
    with qtbot.waitSignal(window.run_finished, timeout=20000):
        window.stop_training()
    panel_of(window, qtbot)
    assert cell(window, summary.id, STATUS) == "stopped"


def test_continue_one_more_epoch_extends_the_same_record_and_the_curve(qtbot, small_mnist):
    window = finished_window(qtbot, small_mnist)
    old_history = window.state.history
    [summary] = panel_of(window).summaries
    select(window, summary.id)
    panel_of(window).continue_button.click()
    dialog = window.run_records.dialog
    assert dialog.objectName() == "continueDialog" and "constant" in dialog.note.text()
    dialog.epochs_spin.setValue(1)
    snapshots = collect(window)
    with qtbot.waitSignal(window.run_finished, timeout=30000) as blocker:
        dialog.accept()
    assert blocker.args == ["finished"]
    panel_of(window, qtbot)
    [epoch] = [s for s in snapshots if s.kind == "epoch"]   # one new epoch, numbered 3
    assert epoch.epoch == 2 and len(epoch.history["val_accuracy"]) == 3
    [again] = list_runs()   # the same record, one epoch longer
    assert again.id == summary.id and again.epochs == 3 and again.status == "finished"
    assert load_run(again.path).history()["val_accuracy"][:2] == old_history["val_accuracy"]
    steps, values = window.tabs.training.accuracy_plot.val_curve.getOriginalDataset()
    np.testing.assert_allclose(values, 100 * np.array(old_history["val_accuracy"] + [epoch.val_accuracy]))
    np.testing.assert_array_equal(steps, old_history["step"] + [epoch.step])
    assert steps[2] > steps[1]   # the new epoch's point comes after the old ones
    line = window.run_records.resume_marker.lines[1]   # dashed: where the new epochs begin
    assert line.isVisible() and line.value() == old_history["step"][-1]
    assert line.label.toPlainText() == "continued after epoch 2"
    assert cell(window, summary.id, STATUS) == "finished"


def test_fork_from_epoch_one_names_its_parent_and_keeps_the_network(qtbot, small_mnist):
    window = finished_window(qtbot, small_mnist)
    [parent] = panel_of(window).summaries
    parent_history = window.state.history
    form = window.form.config()
    window.form.set_config(type(form).from_dict({**form.to_dict(), "learning_rate": 0.03, "hidden_sizes": [48]}))
    select(window, parent.id)
    panel_of(window).fork_button.click()
    dialog = window.run_records.dialog
    assert dialog.objectName() == "forkDialog"
    assert "Learning rate" in dialog.note.text() and "Not applied" in dialog.note.text()
    dialog.select_epoch(1)
    dialog.epochs_spin.setValue(1)
    with qtbot.waitSignal(window.run_finished, timeout=30000):
        dialog.accept()
    panel_of(window, qtbot)
    fork = next(s for s in list_runs() if s.id != parent.id)
    assert fork.parent == {"run": parent.id, "epoch": 1, "name": parent.name}
    assert fork.network == parent.network and fork.epochs == 2 and fork.status == "finished"
    record = load_run(fork.path)
    assert record.settings["config"]["learning_rate"] == 0.03
    assert record.rows[0]["val_accuracy"] == parent_history["val_accuracy"][0]
    assert cell(window, fork.id, PARENT) == f"epoch 1 of {parent.name}"
    _, values = window.tabs.training.accuracy_plot.val_curve.getOriginalDataset()
    assert len(values) == 2 and values[0] == pytest.approx(100 * parent_history["val_accuracy"][0])


def test_the_rewind_slider_shows_that_epochs_checkpoint_everywhere(qtbot, small_mnist):
    window = finished_window(qtbot, small_mnist, epochs=3)
    [summary] = panel_of(window).summaries
    select(window, summary.id)
    shower = window.run_records.shower
    window.reset()   # the views forget the run; Open brings its curves and last epoch back
    with qtbot.waitSignal(shower.shown, timeout=20000) as opened:
        panel_of(window).open_button.click()
    record = load_run(summary.path)
    _, values = window.tabs.training.accuracy_plot.val_curve.getOriginalDataset()
    np.testing.assert_allclose(values, 100 * np.array(record.history()["val_accuracy"]))
    last, _ = load_model(record.checkpoints[3])
    assert opened.args[0].epoch == 3
    np.testing.assert_array_equal(window.tabs.draw_panel.network.weights[0], last.weights[0])
    np.testing.assert_array_equal(window.state.network.weights[-1], last.weights[-1])   # what Save would save
    bar = window.run_records.rewind
    assert bar.isVisible() and bar.epochs == [1, 2, 3] and bar.epoch == 3
    with qtbot.waitSignal(shower.shown, timeout=20000) as blocker:
        bar.move_to(1)
    assert blocker.args[0].epoch == 1
    checkpoint = load_run(summary.path).checkpoints[1]
    network, metadata = load_model(checkpoint)
    info, _, accuracy, confusion, predictions = model_files.evaluate_loaded(network, metadata, small_mnist)
    np.testing.assert_array_equal(window.tabs.confusion.confusion, confusion)   # equal to evaluating it
    np.testing.assert_allclose(window.tabs.weights.tiles, network.weights[0].T.reshape(-1, 28, 28))
    wrong = int(np.sum(predictions != info.val_labels))
    assert window.tabs.gallery.list.count() == min(wrong, MAX_EXAMPLES)
    assert window.tabs.report.rowCount() == 10 + 3
    assert window.tabs.draw_panel.network is blocker.args[0].network
    assert "epoch 1" in window.tabs.draw_panel.model_label.text()
    assert f"{100 * accuracy:.2f}%" in window.progress.state_label.text()
    final = window.state.history   # the opened run's curves: all three epochs
    assert len(final["epoch"]) == 3
    marker = window.run_records.marker.lines[0]
    assert marker.isVisible() and marker.value() == final["step"][0]


def test_closing_the_window_mid_run_leaves_a_stopped_record_with_its_complete_epochs(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, epochs=300, **SETTINGS)
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: sum(s.kind == "epoch" for s in snapshots) >= 2, timeout=30000)
    window.close()   # stops the run and joins its thread
    [summary] = list_runs()
    assert summary.status in ("stopped", "interrupted") and summary.epochs >= 2
    record = load_run(summary.path)
    assert [row["epoch"] for row in record.rows] == list(range(1, summary.epochs + 1))
    last = max(record.checkpoints)
    assert last == summary.epochs
    _, metadata, state = load_model_with_state(record.checkpoints[last])
    assert state.epochs_done == last and len(metadata["history"]["val_accuracy"]) == last


def test_a_disk_that_fails_costs_the_record_not_the_run(qtbot, small_mnist):
    runs = user_dirs.runs_dir()
    runs.parent.mkdir(parents=True, exist_ok=True)
    runs.write_text("a file where the runs folder should be")
    window = make_window(qtbot, small_mnist, epochs=1, **SETTINGS)
    assert train(qtbot, window) == "finished"
    notice = window.run_records.notice
    assert notice.isVisible() and "not being recorded" in notice.label.text()
    assert "Training goes on" in panel_of(window).notice.text()
    assert len(window.state.history["epoch"]) == 1


def test_the_checkpoint_cap_is_a_remembered_setting_used_by_new_runs(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, epochs=1, **SETTINGS)
    panel_of(window).cap_spin.setValue(7)
    assert train(qtbot, window) == "finished"
    [summary] = list_runs()
    assert load_run(summary.path).settings["cap_bytes"] == 7 * 2 ** 20
    window.close()
    again = make_window(qtbot, small_mnist)
    assert panel_of(again, qtbot).cap_spin.value() == 7 and again.run_records.recording.cap_mb == 7


def test_continue_training_a_model_file_makes_a_new_record_naming_it(qtbot, small_mnist, tmp_path):
    window = finished_window(qtbot, small_mnist, epochs=1)
    [summary] = list_runs()
    model = tmp_path / "my model.npz"
    shutil.copy(load_run(summary.path).checkpoints[1], model)
    dialog = window.run_records.continue_model(str(model))
    assert dialog.objectName() == "continueDialog"
    with qtbot.waitSignal(window.run_finished, timeout=30000):
        dialog.accept()
    panel_of(window, qtbot)
    new = next(s for s in list_runs() if s.id != summary.id)
    assert new.parent == {"model": str(model.resolve())} and new.epochs == 2
    assert cell(window, new.id, PARENT) == "model my model.npz"


def test_a_write_that_fails_mid_run_shows_a_notice_and_training_goes_on(qtbot, small_mnist):
    window = make_window(qtbot, small_mnist, epochs=300, **SETTINGS)
    snapshots = collect(window)
    window.start_training()
    qtbot.waitUntil(lambda: any(s.kind == "epoch" for s in snapshots), timeout=20000)
    [summary] = panel_of(window, qtbot).summaries
    checkpoints = user_dirs.runs_dir() / summary.id / "checkpoints"
    checkpoints.rename(checkpoints.with_name("moved"))
    checkpoints.write_text("a file where the checkpoints folder was")   # the next checkpoint cannot be written
    epochs_then = sum(s.kind == "epoch" for s in snapshots)
    notice = window.run_records.notice
    qtbot.waitUntil(notice.isVisible, timeout=20000)
    assert "could not be written" in notice.label.text() and "training went on" in notice.label.text()
    qtbot.waitUntil(lambda: sum(s.kind == "epoch" for s in snapshots) >= epochs_then + 2, timeout=20000)
    with qtbot.waitSignal(window.run_finished, timeout=20000) as blocker:
        window.stop_training()
    assert blocker.args == ["stopped"]


def test_open_without_its_data_shows_the_weights_and_says_what_to_load(qtbot, small_mnist):
    finished_window(qtbot, small_mnist, epochs=1).close()
    from gui.shell.main_window import MainWindow
    window = MainWindow()   # a new session: no data loaded yet
    qtbot.addWidget(window)
    window.show()
    [summary] = panel_of(window, qtbot).summaries
    select(window, summary.id)
    with qtbot.waitSignal(window.run_records.shower.shown, timeout=20000) as blocker:
        panel_of(window).open_button.click()
    network, _ = load_model(load_run(summary.path).checkpoints[1])
    np.testing.assert_allclose(window.tabs.weights.tiles, network.weights[0].T.reshape(-1, 28, 28))
    assert blocker.args[0].confusion is None and window.tabs.confusion.confusion is None
    assert "load mnist" in window.progress.state_label.text()
    assert window.tabs.draw_panel.network is blocker.args[0].network


def test_the_selection_api_and_a_place_for_more_buttons(qtbot):
    from PyQt5.QtCore import QItemSelectionModel
    from PyQt5.QtWidgets import QPushButton
    for name in ("20200101-000000-aaaaaa", "20200102-000000-bbbbbb", "20200103-000000-cccccc"):
        (user_dirs.runs_dir() / name).mkdir(parents=True)   # unreadable (no settings.json), still listed
    window = make_window(qtbot)
    panel = panel_of(window, qtbot)
    assert [s.id for s in panel.summaries] == ["20200103-000000-cccccc", "20200102-000000-bbbbbb",
                                               "20200101-000000-aaaaaa"]   # newest first
    seen = []
    panel.selection_changed.connect(seen.append)
    model = panel.table.selectionModel()
    for row in (2, 0):
        model.select(panel.table.model().index(row, 0), QItemSelectionModel.Select | QItemSelectionModel.Rows)
    assert panel.selected_run_ids() == ["20200103-000000-cccccc", "20200101-000000-aaaaaa"]
    assert seen[-1] == panel.selected_run_ids()
    assert panel.details.text() == "2 runs selected." and not panel.open_button.isEnabled()
    compare = panel.add_button(QPushButton("Compare"))
    assert panel.action_row.indexOf(compare) == panel.action_row.indexOf(panel.delete_button) + 1


def test_the_notice_goes_when_the_next_run_is_recorded_again(qtbot, small_mnist):
    runs = user_dirs.runs_dir()
    runs.parent.mkdir(parents=True, exist_ok=True)
    runs.write_text("in the way")
    window = make_window(qtbot, small_mnist, epochs=1, **SETTINGS)
    assert train(qtbot, window) == "finished"
    assert window.run_records.notice.isVisible()
    runs.unlink()   # the disk is fine again
    assert train(qtbot, window) == "finished"
    assert not window.run_records.notice.isVisible() and not panel_of(window, qtbot).notice.isVisible()
    assert [s.status for s in panel_of(window).summaries] == ["finished"]


def test_a_run_stopped_before_its_first_step_leaves_no_record(qtbot, small_mnist):
    from core.settings.config import TrainConfig
    from core.training.run_control import RunControl
    from core.training.trainers import make_trainer
    from core.training_process.child import recorded_snapshots
    from core.training_process.job import RunJob
    config = TrainConfig(epochs=1, **SETTINGS)
    job = RunJob(config, small_mnist, record_cap_bytes=10 * 2 ** 20)
    news = []
    stopped = RunControl()
    stopped.stop()   # as a stop while the run's process still prepares the data
    assert recorded_snapshots(make_trainer(config, small_mnist).use_control(stopped), small_mnist, job,
                              lambda *message: news.append(message)) is None
    assert list_runs() == [] and news == []
    going = make_trainer(config, small_mnist).use_control(RunControl())
    kinds = [s.kind for s in recorded_snapshots(going, small_mnist, job, lambda *message: news.append(message))]
    assert kinds.count("epoch") == 1 and [s.status for s in list_runs()] == ["finished"]
    assert [message[0] for message in news] == ["recording"]
