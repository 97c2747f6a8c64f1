"""File > Export report…, Save experiment… and Open experiment… in the app: the report is the
command line's page; an experiment saved in the app repeats on the command line, and one saved on
the command line repeats in the app, to the last bit (real MNIST, 1,000 training images)."""
import numpy as np
from PyQt5.QtWidgets import QMessageBox

from core.files.experiment_io import load_experiment
from core.files.model_io import load_model
from core.records.reader import list_runs, open_run
from core.reports.reproduce import setting_flags
from core.settings.config import TrainConfig
from tests.cli_helpers import run_cli
from tests.gui_helpers import make_window

from .conftest import record_run

SMALL = TrainConfig(layers="dense24,dropout0.2,dense10", epochs=2, batch_size=50, learning_rate=0.05,
                    schedule="constant", train_examples=1000, val_split=200, seed=5)


def file_menu_actions(window):
    return next(a.menu() for a in window.menuBar().actions() if a.text() == "&File").actions()


def test_export_report_writes_the_selected_runs_page(qtbot, mnist_small, tmp_path):
    run_id, _ = record_run(TrainConfig(hidden_sizes=(16,), epochs=2, batch_size=100, val_split=300, seed=2),
                           mnist_small, "reported")
    window = make_window(qtbot, mnist_small)
    assert window.actions["export_report"] in file_menu_actions(window)
    window.run_records.refresh()
    qtbot.waitUntil(lambda: window.run_records.panel.row_of(run_id) is not None, timeout=10000)
    window.run_records.panel.select_run(run_id)
    path = tmp_path / "report.html"
    with qtbot.waitSignal(window.reports.written, timeout=30000):
        window.actions.trigger("export_report", path=str(path))
    page = path.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and page.rstrip().endswith("</html>")
    assert page.count('<img src="data:image/png;base64,') == 5 and "reported" in page
    assert "500 test images" in page   # measured on the loaded data (the run's own)
    assert f"Saved the report of reported to {path}" in window.statusBar().currentMessage()
    with qtbot.waitSignal(window.reports.failed, timeout=10000) as failed:
        window.actions.trigger("export_report", run_id, str(tmp_path))
    assert failed.args == [f"{tmp_path} is a folder; give a file name such as report.html"]
    assert any(box.isVisible() and "is a folder" in box.text() for box in window.findChildren(QMessageBox))


def test_an_experiment_saved_in_the_app_repeats_on_the_command_line(qtbot, mnist, mnist_dir, tmp_path, capsys):
    window = make_window(qtbot, mnist, **{name: getattr(SMALL, name) for name in
                                          ("layers", "epochs", "batch_size", "learning_rate", "schedule",
                                           "train_examples", "val_split", "seed")})
    assert {"save_experiment", "open_experiment"} <= {name for name in window.actions.qactions
                                                      if window.actions[name] in file_menu_actions(window)}
    path = tmp_path / "from-app.npz"
    with qtbot.waitSignal(window.experiment_files.saved, timeout=30000):
        window.actions.trigger("save_experiment", str(path))
    experiment = load_experiment(path)
    assert experiment.config.layers == SMALL.layers and experiment.seed == 5
    replayed, plain = tmp_path / "replayed.npz", tmp_path / "plain.npz"
    code, _out, err = run_cli(capsys, "train", "--from", str(path), "--data", str(mnist_dir), "--no-record",
                              "--out", str(replayed))
    assert code == 0 and "checksum matches" in err, err
    code, _out, err = run_cli(capsys, "train", "--data", str(mnist_dir), *setting_flags(window.form.config()),
                              "--no-record", "--out", str(plain))
    assert code == 0, err
    for a, b in zip(load_model(replayed)[0].params, load_model(plain)[0].params):
        assert np.array_equal(a, b)


def test_open_experiment_trains_the_command_lines_run_bit_for_bit(qtbot, mnist, mnist_small, mnist_dir, tmp_path,
                                                                  capsys):
    path, cli_model = tmp_path / "shared.npz", tmp_path / "cli.npz"
    code, _out, err = run_cli(capsys, "train", "--data", str(mnist_dir), *setting_flags(SMALL), "--no-record",
                              "--save-experiment", str(path), "--out", str(cli_model))
    assert code == 0, err
    window = make_window(qtbot, mnist)   # the form's own settings differ: the experiment brings its own
    said = []
    window.experiment_files.opened.connect(lambda *_: said.append(window.statusBar().currentMessage()))
    with qtbot.waitSignal(window.run_finished, timeout=60000), \
            qtbot.waitSignal(window.experiment_files.opened, timeout=30000) as opened:
        window.actions.trigger("open_experiment", str(path))
    assert opened.args[1] is None
    assert "Same data as the experiment (checksum matches): this run repeats it bit for bit." in said[0]
    assert window.form.config().layers == SMALL.layers and window.form.config().seed == 5
    record = open_run(list_runs()[-1].id)
    app_network, _ = load_model(record.checkpoints[2])
    for a, b in zip(app_network.params, load_model(cli_model)[0].params):
        assert np.array_equal(a, b)   # the app's process and the command line: the same weights
    # other data: the run still starts, and a dialog says it will not repeat the experiment
    window.set_dataset(mnist_small)
    with qtbot.waitSignal(window.run_finished, timeout=60000), \
            qtbot.waitSignal(window.experiment_files.opened, timeout=30000) as opened:
        window.actions.trigger("open_experiment", str(path))
    assert "is not the data the experiment was made on" in opened.args[1]
    box = next(b for b in window.findChildren(QMessageBox) if b.isVisible())
    assert "will not repeat the experiment bit for bit" in box.text()
