"""The actions API (gui/shell/actions.py): one table of named actions builds the menus and
shortcuts, the Run panel's buttons do the same actions, and a script drives the real window
through them, from loading data to a neuron card."""
import numpy as np
import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QDialog, QTableWidget

from gui.shell.actions import ACTIONS, AppActions
from gui_helpers import digits


@pytest.fixture
def window(qtbot):
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    return window


def menu_entries(window):
    """{menu path: [entry texts]} as the menu bar shows them (submenus as 'File/Export plot as PNG')."""
    entries = {}

    def walk(menu, path):
        for action in menu.actions():
            if action.menu() is not None:
                walk(action.menu(), f"{path}/{action.text().replace('&', '')}")
            elif not action.isSeparator():
                entries.setdefault(path, []).append(action.text())
    for top in window.menuBar().actions():
        walk(top.menu(), top.text().replace("&", ""))
    return entries


def test_every_action_is_named_described_and_the_menus_are_built_from_the_table(window):
    assert len({a.name for a in ACTIONS}) == len(ACTIONS)
    assert all(a.description.endswith(".") and len(a.description) > 20 for a in ACTIONS)
    expected = {}
    for action in ACTIONS:
        if action.menu:
            expected.setdefault(action.menu, []).append(action.text)
    assert menu_entries(window) == expected
    shortcuts = [QKeySequence(a.shortcut).toString() for a in ACTIONS if a.shortcut]
    assert len(shortcuts) == len(set(shortcuts)) and "Ctrl+Return" in shortcuts
    start = window.actions["start"]
    assert start.shortcut().toString() == "Ctrl+Return" and start.statusTip() == window.actions.table["start"].description


def test_an_unknown_action_names_the_known_ones(window):
    with pytest.raises(KeyError, match="pick_preset"):
        window.actions.trigger("make_coffee")


def test_a_table_with_a_repeated_name_is_refused(window):
    with pytest.raises(AssertionError, match="two actions"):
        AppActions(window, ACTIONS + (ACTIONS[0],))


def test_a_script_drives_the_window_from_data_to_a_neuron_card(qtbot, window):
    done = []
    window.actions.triggered.connect(done.append)
    with qtbot.waitSignal(window.dataset_loaded, timeout=20000):
        window.actions.trigger("load_data", "digits")
    window.actions.trigger("pick_preset", "default")
    assert window.form.preset_combo.currentData() == "default"
    window.actions.trigger("set_setting", "epochs", 1)
    window.actions.trigger("set_setting", "hidden_sizes", (16,))
    assert window.form.config().epochs == 1 and window.form.config().hidden_sizes == (16,)
    with qtbot.waitSignal(window.run_finished, timeout=60000) as finished:
        window.actions.trigger("start")
    assert finished.args == ["finished"]
    assert window.state.network is not None and len(window.state.history["val_accuracy"]) == 1

    page = window.actions.trigger("show_tab", "Draw")
    assert window.tabs.currentWidget() is page is window.tabs.draw_page
    probabilities = window.actions.trigger("draw", [[(100, 40), (100, 240)]])
    assert probabilities.shape == (10,) and np.isclose(probabilities.sum(), 1.0, atol=1e-4)
    entry = window.actions.trigger("keep_drawing", 1)
    assert entry is not None and entry.label == 1 and window.tabs.my_digits.gallery.count() == 1
    assert window.tabs.draw_panel.canvas.is_empty()   # keeping clears the canvas for the next digit

    card = window.actions.trigger("open_neuron_card", 1, 3)
    assert card.isVisible() and (card.layer, card.unit) == (1, 3)
    qtbot.waitUntil(lambda: "Layer 1" in card.title.text() and " 3</b>" in card.title.text(), timeout=20000)
    assert done == ["load_data", "pick_preset", "set_setting", "set_setting", "start", "show_tab", "draw",
                    "keep_drawing", "open_neuron_card"]


def test_the_run_panels_buttons_do_the_named_actions(qtbot, window):
    window.set_dataset(digits())
    window.actions.trigger("set_setting", "epochs", 1)
    done = []
    window.actions.triggered.connect(done.append)
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        qtbot.mouseClick(window.start_button, Qt.LeftButton)
    qtbot.mouseClick(window.reset_button, Qt.LeftButton)
    assert done == ["start", "reset"]
    assert window.start_button.toolTip() == window.actions.table["start"].description


def test_help_lists_every_action_with_its_shortcut(qtbot, window):
    dialog = window.actions.trigger("show_actions")
    assert isinstance(dialog, QDialog) and dialog.isVisible()
    table = dialog.findChild(QTableWidget)
    assert table.rowCount() == len(ACTIONS)
    texts = {table.item(row, 0).text(): table.item(row, 1).text() for row in range(table.rowCount())}
    assert texts["Training > Start"] == QKeySequence("Ctrl+Return").toString(QKeySequence.NativeText)
    assert texts["in the window"] == ""
    screen = window.screen().availableGeometry()
    assert dialog.width() <= screen.width() and dialog.height() <= screen.height()


def test_reset_from_the_menu_clears_what_the_button_clears(qtbot, window):
    """Controllers listen to views_cleared, so Reset by shortcut, menu, button or script is one."""
    curve = window.my_digits.curve
    curve.setData([1.0, 2.0], [50.0, 60.0])
    window.my_digits.in_legend = False
    with qtbot.waitSignal(window.views_cleared, timeout=5000):
        window.actions["reset"].trigger()
    assert curve.xData is None or len(curve.xData) == 0
