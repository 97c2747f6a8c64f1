"""Unexpected errors are logged with their traceback to a rotating file in the user's log folder
(DIGITLAB_HOME/logs here, set by tests/gui/conftest.py), and the path is shown to the user: in
the error dialog and in Help > About."""
import sys

import pytest
from PyQt5.QtWidgets import QMessageBox

from core.storage.user_dirs import user_log_dir
from core.settings.config import TrainConfig
from core.training_process.job import RunJob
from gui.ground import crash_log
from gui.ground.errors import install_excepthook
from gui_helpers import digits, make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def test_a_failing_training_run_is_logged_and_the_dialog_says_where(qtbot, tmp_path):
    window = make_window(qtbot)
    # a real bug reaching the training process: a "network" that is not a Network
    with qtbot.waitSignal(window.run_finished, timeout=30000) as finished:
        window.training.start(RunJob(TrainConfig(hidden_sizes=(8,)), digits(), network=object()))
    assert finished.args == ["failed"]
    path = user_log_dir() / "digitlab.log"
    assert path.parent == tmp_path / "home" / "logs" and path.is_file()
    text = path.read_text(encoding="utf-8")   # the child's traceback, logged by the app
    assert "the training run failed" in text and "Traceback (most recent call last)" in text
    assert "AttributeError" in text and "build_trainer" in text
    box = window.findChild(QMessageBox, "errorDialog")
    assert "AttributeError" in box.text() and str(path) in box.text()
    qtbot.waitUntil(lambda: not window.is_training, timeout=5000)   # the process ends right after saying why
    assert window.start_button.isEnabled()


def test_help_about_shows_the_log_file(qtbot, tmp_path):
    window = make_window(qtbot)
    window.actions["about"].trigger()
    box = window.findChild(QMessageBox, "aboutDialog")
    assert box is not None and box.isVisible()
    assert str(tmp_path / "home" / "logs" / "digitlab.log") in box.text()
    box.close()


def test_the_exception_hook_logs_the_traceback_and_shows_the_path(qtbot, tmp_path):
    window = make_window(qtbot)
    previous = install_excepthook()
    try:
        try:
            {}["a missing key"]
        except KeyError:
            sys.excepthook(*sys.exc_info())
    finally:
        sys.excepthook = previous
    text = (tmp_path / "home" / "logs" / "digitlab.log").read_text(encoding="utf-8")
    assert "unexpected error" in text and "KeyError: 'a missing key'" in text and "Traceback" in text
    boxes = [b for b in top_level_boxes() + window.findChildren(QMessageBox) if b.objectName() == "errorDialog"]
    assert any(str(tmp_path / "home" / "logs" / "digitlab.log") in b.text() for b in boxes)


def test_the_log_file_rotates(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path / "rotating"))
    monkeypatch.setattr(crash_log, "MAX_BYTES", 3000)
    for i in range(12):
        try:
            raise RuntimeError(f"error number {i}")
        except RuntimeError as error:
            path = crash_log.log_exception("a test error", error)
    assert path == tmp_path / "rotating" / "logs" / "digitlab.log"
    backups = sorted(p.name for p in path.parent.iterdir())
    assert backups[:2] == ["digitlab.log", "digitlab.log.1"] and len(backups) <= 1 + crash_log.BACKUPS
    assert "error number 11" in path.read_text(encoding="utf-8")


def top_level_boxes():
    """Message boxes open anywhere (the hook's parent is whatever window is active)."""
    from PyQt5.QtWidgets import QApplication
    return [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox)]


def test_a_bug_while_loading_data_is_logged_but_bad_input_is_not(qtbot, tmp_path):
    """A folder that is not MNIST is the user's business (a message, no log entry); an error of
    our own goes to the log. No real loader bug is at hand, so the second half hands a TypeError
    (with a real traceback) to the loader's failure path, as its worker thread would."""
    window = make_window(qtbot)
    log = tmp_path / "home" / "logs" / "digitlab.log"
    (tmp_path / "half").mkdir()
    (tmp_path / "half" / "train-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03garbage")
    window.request_dataset("idx", str(tmp_path / "half"))
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorDialog") is not None, timeout=10000)
    box = window.findChild(QMessageBox, "errorDialog")
    assert "missing file" in box.text() and "log" not in box.text()
    assert not log.exists()
    box.close()
    qtbot.waitUntil(lambda: window.findChild(QMessageBox, "errorDialog") is None, timeout=2000)
    try:
        raise TypeError("a bug in the loader")
    except TypeError as error:
        window.data._on_failed(error)
    box = window.findChild(QMessageBox, "errorDialog")
    assert "TypeError: a bug in the loader" in box.text() and str(log) in box.text()
    assert "a bug in the loader" in log.read_text(encoding="utf-8")
