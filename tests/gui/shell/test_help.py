"""Help (issue 19: Help had only About and F1 did nothing): Shift+F1 opens the user guide (F1 explains
the view under the pointer: test_explanations.py), the README's
part about the app rendered from the file DigitLab ships (no network); Help lists the keyboard
shortcuts; both are rows of the actions table."""
import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QApplication, QTableWidget

from gui.shell.actions import ACTIONS
from gui.shell.help_dialogs import user_guide_markdown
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def help_menu_entries(window):
    menu = next(action.menu() for action in window.menuBar().actions() if action.text() == "&Help")
    return [action.text().replace("&", "") for action in menu.actions() if not action.isSeparator()]


def test_shift_f1_opens_the_user_guide(qtbot):
    window = make_window(qtbot)
    qtbot.waitExposed(window)
    QApplication.setActiveWindow(window)   # shortcuts go to the active window
    qtbot.waitUntil(lambda: QApplication.activeWindow() is window, timeout=2000)
    opened = []
    window.actions.triggered.connect(opened.append)
    qtbot.keyClick(window, Qt.Key_F1, Qt.ShiftModifier)
    assert opened == ["user_guide"]
    dialog = next(w for w in QApplication.topLevelWidgets() if w.objectName() == "userGuideDialog")
    assert dialog.isVisible()
    text = dialog.browser.toPlainText()
    assert "DigitLab user guide" in text and "Training, live" in text and "Tutorial presets" in text
    assert "The command line" not in text and "main.py" not in text and ".py" not in text   # about the window
    screen = window.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()


def test_help_has_the_guide_and_the_keyboard_shortcuts(qtbot):
    window = make_window(qtbot)
    entries = help_menu_entries(window)
    assert "User guide" in entries and "Keyboard shortcuts and actions" in entries
    names = [action.name for action in ACTIONS]
    assert "user_guide" in names and "show_actions" in names
    assert window.actions["user_guide"].shortcut() == QKeySequence("Shift+F1")
    assert window.actions["explain_view"].shortcut() == QKeySequence("F1")
    dialog = window.actions.trigger("show_actions")
    table = dialog.findChild(QTableWidget)
    rows = {table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())}
    assert rows["Help > User guide"] == QKeySequence("Shift+F1").toString(QKeySequence.NativeText)
    assert rows["Help > What am I looking at?"] == "F1"


def test_a_missing_readme_is_said_not_raised(tmp_path):
    assert "could not be read" in user_guide_markdown(tmp_path / "README.md")
