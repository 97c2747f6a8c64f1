"""ex4's MATLAB data files in the Data panel: chosen with a file dialog, shown as 20x20 digits,
trained on with ex4's preset; unreadable files give the usual dialog and keep the data."""
import numpy as np
import pytest
import scipy.io
from PyQt5.QtWidgets import QFileDialog, QMessageBox

from core.data.transforms import area_resize
from gui.data.dataset_panel import DatasetPanel
from gui.ground.pictures import tile_mosaic
from gui.data.data_view import PER_CLASS
from gui_helpers import collect, make_window

pytestmark = pytest.mark.usefixtures("themed_app")
N_EXAMPLES = 200


@pytest.fixture
def ex4_file(tmp_path, mnist):
    """200 real MNIST digits written as ex4 writes them: 20x20, in [0, 1], each image unrolled
    column by column (MATLAB order) into a row of X; y in 1..10 with 10 for the digit 0."""
    images = area_resize(mnist.train_images[:N_EXAMPLES], (20, 20))   # (200, 20, 20) uint8
    X = images.astype(np.float64) / 255.0
    X = X.transpose(0, 2, 1).reshape(N_EXAMPLES, 400)                  # column-major rows
    digits = mnist.train_labels[:N_EXAMPLES].astype(np.int64)
    y = np.where(digits == 0, 10, digits).reshape(-1, 1).astype(np.float64)
    path = tmp_path / "ex4data1.mat"
    scipy.io.savemat(str(path), {"X": X, "y": y})
    return path, images, digits


def choose_file(qtbot, window, monkeypatch, path):
    """Pick the .mat kind and 'choose' path in the (real code path's) file dialog."""
    asked = []

    def fake_dialog(parent, caption, directory, file_filter):
        asked.append(file_filter)
        return str(path), file_filter
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(fake_dialog))
    panel = window.dataset_panel
    panel.set_choice("mat")
    assert panel.browse_button.isEnabled() and not panel.download_button.isVisible()
    return panel, asked


def test_a_mat_file_loads_through_the_panel_and_ex4_trains_on_it(qtbot, monkeypatch, ex4_file):
    path, images, digits = ex4_file
    window = make_window(qtbot)   # the built-in digits first, like a user who switches data
    panel, asked = choose_file(qtbot, window, monkeypatch, path)
    with qtbot.waitSignal(window.dataset_loaded, timeout=15000) as loaded:
        panel.browse_button.click()
    assert asked and "*.mat" in asked[0]
    dataset = loaded.args[0]
    assert window.dataset is dataset and dataset.image_shape == (20, 20)
    assert panel.folder_edit.text() == str(path)
    # every image came through upright (MATLAB's column order undone) and with its digit
    shown = np.concatenate([dataset.train_images, dataset.test_images])
    labels = np.concatenate([dataset.train_labels, dataset.test_labels])
    assert sorted(zip(labels.tolist(), map(bytes, shown))) == sorted(zip(digits.tolist(), map(bytes, images)))
    # the Data tab: a grid of 20x20 tiles, one row per digit, and the counts per class
    data = window.tabs.data
    mosaic, _ = tile_mosaic(np.zeros((10 * PER_CLASS, 20, 20), np.float32), columns=PER_CLASS)
    assert data.image.image.shape == mosaic.shape
    np.testing.assert_array_equal(data.train_counts, np.bincount(dataset.train_labels, minlength=10))
    np.testing.assert_array_equal(data.test_bars.opts["height"], np.bincount(dataset.test_labels, minlength=10))
    assert data.train_counts.sum() + len(dataset.test_labels) == N_EXAMPLES
    assert "20x20" in data.info.text() and "20x20" in panel.status.text()
    # ex4's own network on ex4's own data: a few conjugate-gradient iterations
    window.form.select_preset("ng-ex4-400-25-10-cg")
    window.form.iterations_spin.setValue(3)
    window.form.val_edit.setText("20")
    snapshots = collect(window)
    assert window.start_button.isEnabled(), window.form_error.text()
    with qtbot.waitSignal(window.run_finished, timeout=30000) as finished:
        window.start_button.click()
    assert finished.args == ["finished"]
    assert window.state.start.image_shape == (20, 20) and window.state.network.n_inputs == 400
    assert [s.kind for s in snapshots].count("epoch") == 3
    assert window.tabs.weights.tiles.shape == (25, 20, 20)


@pytest.mark.parametrize("content, reason", [
    (b"x" * 200, "not a readable MATLAB .mat file"),
    (b"this is not a MATLAB file", ""),   # scipy raises IndexError here: the dialog still names the file
    ({"images": np.zeros((3, 400))}, "no variable 'X'"),
    ({"X": np.zeros((3, 400)), "y": np.array([[1], [2], [11]])}, "labels 1..10"),
])
def test_an_unusable_mat_file_gives_a_dialog_and_keeps_the_data(qtbot, monkeypatch, tmp_path, content, reason):
    bad = tmp_path / "unusable.mat"
    if isinstance(content, bytes):
        bad.write_bytes(content)
    else:
        scipy.io.savemat(str(bad), content)
    window = make_window(qtbot)
    before = window.dataset
    panel, _ = choose_file(qtbot, window, monkeypatch, bad)
    panel.browse_button.click()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorDialog") is not None, timeout=15000)
    box = window.findChild(QMessageBox, "errorDialog")
    assert str(bad) in box.text() and reason in box.text()
    qtbot.waitUntil(lambda: panel.load_button.isEnabled(), timeout=2000)
    assert window.dataset is before and window.start_button.isEnabled()
    assert "previous data is still in use" in panel.status.text()
    box.close()


def test_file_and_folder_kinds_keep_their_own_path(qtbot, tmp_path):
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    folder = panel.folder_edit.text()
    panel.set_choice("mat")
    assert panel.folder_edit.text() == "" and "ex4" in panel.folder_edit.toolTip()
    panel.folder_edit.setText(str(tmp_path / "ex4data1.mat"))
    panel.set_choice("idx")
    assert panel.folder_edit.text() == folder
    panel.set_choice("mat")
    assert panel.folder_edit.text() == str(tmp_path / "ex4data1.mat")
    with qtbot.waitSignal(panel.load_requested) as request:
        panel.load_button.click()
    assert request.args == ["mat", str(tmp_path / "ex4data1.mat")]
