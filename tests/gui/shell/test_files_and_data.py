"""Model files, exports, data loading and settings: error paths give dialogs, the app stays usable."""
import csv
import functools

import numpy as np
import pytest
from PyQt5.QtWidgets import QMessageBox

from core.data.datasets import load_idx_folder
from core.data.transforms import subsample
from core.data.download import download_mnist
from gui.shell import file_actions
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def train(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=20000):
        window.start_training()


def test_corrupt_model_file_shows_a_dialog_and_the_app_stays_usable(qtbot, tmp_path):
    window = make_window(qtbot, epochs=1, hidden_sizes=(8,))
    bad = tmp_path / "broken.npz"
    bad.write_bytes(b"PK\x03\x04 this is not really a zip file")
    box = file_actions.open_model(window, str(bad))
    assert isinstance(box, QMessageBox) and box.isVisible()
    assert "broken.npz" in box.text() and "model" in box.text()
    box.close()
    train(qtbot, window)   # still usable
    assert window.state.end.reason == "finished"


def test_model_for_other_images_is_refused_with_a_reason(qtbot, tmp_path, mnist_dir):
    window = make_window(qtbot, epochs=1, hidden_sizes=(8,))
    train(qtbot, window)
    path = file_actions.save_model(window, str(tmp_path / "digits.npz"))
    assert path
    mnist = subsample(load_idx_folder(mnist_dir, cache_dir=tmp_path / "cache"), 600, 100)
    window.set_dataset(mnist)
    box = file_actions.open_model(window, path)
    assert isinstance(box, QMessageBox)
    assert "8x8" in box.text() and "28x28" in box.text()
    box.close()


def test_saved_model_loads_back_into_the_views(qtbot, tmp_path):
    window = make_window(qtbot, epochs=2, hidden_sizes=(12,))
    train(qtbot, window)
    trained = window.state.network
    path = file_actions.save_model(window, str(tmp_path / "model.npz"))
    expected_confusion = window.tabs.confusion.confusion.copy()
    window.reset()
    assert window.tabs.confusion.confusion is None and len(window.tabs.weights.tiles) == 0
    network = file_actions.open_model(window, path)
    np.testing.assert_array_equal(network.weights[0], trained.weights[0])
    assert window.tabs.weights.tiles.shape == (12, 8, 8)
    np.testing.assert_array_equal(window.tabs.confusion.confusion, expected_confusion)


def test_exports_write_csv_and_png(qtbot, tmp_path):
    window = make_window(qtbot, epochs=2, hidden_sizes=(8,))
    train(qtbot, window)
    path = file_actions.export_csv(window, str(tmp_path / "history.csv"))
    lines = open(path).read().splitlines()
    settings = [line for line in lines if line.startswith("#")]
    assert "# hidden_sizes = 8" in settings and "# epochs = 2" in settings   # the run's settings first
    rows = list(csv.DictReader(line for line in lines if not line.startswith("#")))
    assert [int(r["epoch"]) for r in rows] == [1, 2]
    assert float(rows[-1]["val_accuracy"]) == pytest.approx(window.state.last_epoch.val_accuracy)
    png = file_actions.export_png(window, "loss", str(tmp_path / "loss.png"))
    assert (tmp_path / "loss.png").stat().st_size > 1000 and png


def test_bad_idx_folder_gives_a_dialog_and_keeps_the_data(qtbot, tmp_path):
    window = make_window(qtbot)
    before = window.dataset
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03garbage")
    window.request_dataset("idx", str(tmp_path / "half"))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorDialog") is not None, timeout=10000)
    box = window.findChild(QMessageBox, "errorDialog")
    assert "missing file" in box.text()
    assert window.dataset is before and window.start_button.isEnabled()
    box.close()


def test_failed_download_says_why_in_the_panel(qtbot, tmp_path):
    from gui.shell.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    # a real download attempt against a local port nobody listens on: fails fast, offline
    window.data.download_function = functools.partial(download_mnist, mirrors=["http://127.0.0.1:9/"], timeout=2)
    download = window.data.download(str(tmp_path / "mnist"))
    box = window.dataset_panel.missing
    qtbot.waitUntil(box.reason.isVisible, timeout=15000)
    assert "Download failed: no connection to the MNIST servers" in box.reason.text()
    assert "could not download" in box.reason.toolTip() and window.findChild(QMessageBox, "errorDialog") is None
    assert download.wait(3000)


@pytest.mark.parametrize("variable", ["DIGITLAB_DATA", "XDG_DATA_HOME"])
def test_download_goes_where_the_app_looks_for_mnist(qtbot, tmp_path, monkeypatch, variable):
    """With the folder field empty, Download MNIST… uses $DIGITLAB_DATA, else
    $XDG_DATA_HOME/digitlab/mnist (core.data.datasets.resolve_data_dir), never a hard-coded ~/.local."""
    from gui.shell import main_window
    if variable == "DIGITLAB_DATA":
        monkeypatch.setenv("DIGITLAB_DATA", str(tmp_path / "from-env"))
        expected = tmp_path / "from-env"
    else:
        monkeypatch.delenv("DIGITLAB_DATA")
        monkeypatch.delenv("DIGITLAB_HOME")   # it would move every user folder, data included
        monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
        expected = tmp_path / "xdg" / "digitlab" / "mnist"
    window = main_window.MainWindow()
    qtbot.addWidget(window)
    # the real dialog and downloader, against a local port nobody listens on (offline, fast)
    window.data.download_function = functools.partial(download_mnist, mirrors=["http://127.0.0.1:9/"], timeout=2)
    window.show()
    window.dataset_panel.set_choice("mnist")
    window.dataset_panel.folder_edit.clear()
    window.dataset_panel.download_button.click()
    download = window.data.downloading
    assert download.folder == str(expected) and str(expected) in window.dataset_panel.download_progress.title.text()
    box = window.dataset_panel.missing
    qtbot.waitUntil(box.reason.isVisible, timeout=15000)
    assert "could not download" in box.reason.toolTip() and box.folder == str(expected)
    assert download.wait(3000)


def test_settings_are_remembered_between_launches(qtbot, isolated_settings):
    from gui.shell.main_window import MainWindow
    first = MainWindow()
    qtbot.addWidget(first)
    first.form.hidden_edit.setText("64,32")
    first.form.learning_rate_edit.setText("0.03")
    first.dataset_panel.set_choice("digits")
    first.tabs.setCurrentIndex(2)
    first.close()
    assert isolated_settings.is_file()
    second = MainWindow()
    qtbot.addWidget(second)
    config = second.form.config()
    assert config.hidden_sizes == (64, 32) and config.learning_rate == pytest.approx(0.03)
    assert second.dataset_panel.kind == "digits" and second.tabs.currentIndex() == 2


def test_presets_fill_the_form(qtbot):
    from core.settings.presets import PRESETS
    from gui.shell.main_window import MainWindow
    window = MainWindow()
    qtbot.addWidget(window)
    for name, preset in PRESETS.items():
        window.form.select_preset(name)
        got = window.form.config()
        assert got.hidden_sizes == preset.config.hidden_sizes
        assert got.learning_rate == pytest.approx(preset.config.learning_rate)
        assert got.activation == preset.config.activation and got.batch_size == preset.config.batch_size


def test_settings_live_in_the_users_config_folder(qtbot, tmp_path, monkeypatch):
    """Without DIGITLAB_SETTINGS the .ini goes to core.storage.user_dirs.user_config_dir()
    (platformdirs; DIGITLAB_HOME moves it, as the GUI tests' conftest does)."""
    from gui.shell.main_window import MainWindow
    from gui.ground.settings_store import settings_path
    monkeypatch.delenv("DIGITLAB_SETTINGS")
    expected = tmp_path / "home" / "config" / "settings.ini"
    assert settings_path() == str(expected)
    window = MainWindow()
    qtbot.addWidget(window)
    window.form.hidden_edit.setText("48")
    window.close()
    assert expected.is_file() and "48" in expected.read_text(encoding="utf-8")
