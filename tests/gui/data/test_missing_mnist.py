"""A folder without MNIST: the app says in place, in the Data panel, which files it looked for
where, and offers three ways on (no dialog). Each is driven through the real box's buttons; the data that arrives is real (the shared
MNIST, or the built-in digits). The download uses a local copier instead of the network (tests
never download)."""
import shutil

import pytest

from PyQt5.QtWidgets import QApplication, QDialog, QMessageBox

from gui.data.missing_mnist import MissingMnistBox, expected_file_names
from gui.shell.main_window import MainWindow
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def ask(qtbot, tmp_path, choose_folder=None):
    """A window whose user pressed Load on an empty folder: returns (window, the box in place).
    choose_folder(parent, start) stands in for the platform's folder dialog."""
    window = make_window(qtbot)
    window.data.choose_folder = choose_folder
    (tmp_path / "empty").mkdir()
    window.dataset_panel.set_choice("mnist", str(tmp_path / "empty"))
    window.dataset_panel.load_button.click()
    box = window.data.missing_mnist_box
    assert isinstance(box, MissingMnistBox) and box.isVisible()
    return window, box


def test_the_dialog_names_the_folder_and_the_files(qtbot, tmp_path):
    window, dialog = ask(qtbot, tmp_path)
    text = dialog.message.text()
    assert str(tmp_path / "empty") in text
    assert all(name in text for name in expected_file_names())
    assert "train-images-idx3-ubyte" in text and ".gz" in text
    assert window.dataset.name == "digits"   # the data loaded before is still in use, untouched
    assert f"No MNIST in {tmp_path / 'empty'}" in window.dataset_panel.status.text()


def test_choose_another_folder_loads_mnist_from_there(qtbot, tmp_path, mnist_dir):
    asked = []
    window, dialog = ask(qtbot, tmp_path, lambda parent, start: asked.append(start) or str(mnist_dir))
    with qtbot.waitSignal(window.dataset_loaded, timeout=60000) as loaded:
        dialog.pick_button.click()
    assert asked == [str(tmp_path / "empty")]   # the folder dialog starts where the user was
    assert loaded.args[0].name == "mnist" and len(loaded.args[0].train_labels) == 60000
    assert window.dataset_panel.folder_edit.text() == str(mnist_dir)


def test_download_fetches_into_the_named_folder_then_loads(qtbot, tmp_path, mnist_dir):
    window, dialog = ask(qtbot, tmp_path)
    calls = []

    def copy_instead_of_download(dest, progress=None, cancel=None):
        calls.append(dest)
        for path in mnist_dir.iterdir():
            if "ubyte" in path.name:
                shutil.copy(path, dest)
        return dest

    window.data.download_function = copy_instead_of_download
    with qtbot.waitSignal(window.dataset_loaded, timeout=60000) as loaded:
        dialog.download_button.click()
    assert calls == [str(tmp_path / "empty")]
    assert loaded.args[0].name == "mnist" and loaded.args[0].image_shape == (28, 28)


def test_use_the_built_in_digits(qtbot, tmp_path):
    window, dialog = ask(qtbot, tmp_path)
    with qtbot.waitSignal(window.dataset_loaded, timeout=20000) as loaded:
        dialog.digits_button.click()
    assert loaded.args[0].name == "digits" and window.dataset_panel.kind == "digits"
    assert not window.dataset_panel.notice.isVisible()   # chosen, not fallen back to


def test_a_folder_with_mnist_loads_without_asking(qtbot, mnist_dir):
    window = make_window(qtbot)
    with qtbot.waitSignal(window.dataset_loaded, timeout=60000) as loaded:
        assert window.request_dataset("mnist", str(mnist_dir)) is None
    assert loaded.args[0].name == "mnist" and not window.data.missing_mnist_box.isVisible()


def test_cancelling_the_folder_choice_keeps_the_choices_open(qtbot, tmp_path):
    window, dialog = ask(qtbot, tmp_path, lambda parent, start: "")
    dialog.pick_button.click()
    assert dialog.isVisible() and not window.data.busy


def visible_dialogs():
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, (QDialog, QMessageBox)) and w.isVisible()]


def test_the_first_launch_opens_without_a_dialog_and_says_what_is_missing_in_place(qtbot, tmp_path):
    """A fresh DIGITLAB_HOME and no MNIST anywhere: the window opens as run_app opens it."""
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    window.dataset_panel.request_load()   # what run_app does: the remembered choice, MNIST by default
    qtbot.waitExposed(window)
    assert visible_dialogs() == [] and QApplication.activeModalWidget() is None
    box = window.dataset_panel.missing
    assert box.isVisible() and "MNIST is not here yet" in box.message.text()
    assert all(name in box.message.text() for name in expected_file_names())
    for button, text in ((box.pick_button, "Choose a folder"), (box.download_button, "Download MNIST"),
                         (box.digits_button, "built-in 8x8 digits")):
        assert button.isVisible() and button.isEnabled() and text in button.text()
    panel = window.tabs.draw_panel
    assert panel.network is not None and "default" in panel.model_label.text().lower()   # Draw works at once
    with qtbot.waitSignal(window.dataset_loaded, timeout=20000) as loaded:
        box.digits_button.click()
    assert loaded.args[0].name == "digits" and not box.isVisible() and visible_dialogs() == []
