"""The Preset box names the preset whose settings the form holds (issue 19: a first launch said
"Custom" over the default preset's settings, and a changed Architecture left "Recommended CNN"
in the box, even after a restart)."""
import pytest

from core.settings import presets
from gui.shell.main_window import MainWindow

pytestmark = pytest.mark.usefixtures("themed_app")


def open_window(qtbot):
    window = MainWindow()   # remembers and restores settings like the app (tmp settings file)
    qtbot.addWidget(window)
    return window


def test_the_first_launch_names_the_default_preset(qtbot):
    form = open_window(qtbot).form
    assert form.preset_combo.currentData() == "default"
    assert form.preset_description.text() == presets.PRESETS["default"].description


def test_editing_a_field_makes_the_box_say_custom_and_undoing_it_names_the_preset_again(qtbot):
    window = open_window(qtbot)
    window.actions.trigger("pick_preset", "cnn")
    assert window.form.preset_combo.currentData() == "cnn"
    window.actions.trigger("set_setting", "batch_size", 32)
    assert window.form.preset_combo.currentData() == "" and "Custom" in window.form.preset_combo.currentText()
    window.actions.trigger("set_setting", "batch_size", 64)   # cnn's own value: the form holds cnn again
    assert window.form.preset_combo.currentData() == "cnn"


@pytest.mark.parametrize("name", list(presets.PRESETS))
def test_every_preset_picked_stays_named(qtbot, name):
    window = open_window(qtbot)
    window.actions.trigger("pick_preset", name)
    assert window.form.preset_combo.currentData() == name


def test_a_changed_preset_is_custom_after_a_restart(qtbot):
    window = open_window(qtbot)
    window.actions.trigger("pick_preset", "cnn")
    window.form.layers_editor.mode_combo.setCurrentIndex(0)   # MLP: no longer the cnn preset
    window.save_settings()
    again = open_window(qtbot)
    assert again.form.preset_combo.currentData() == ""
    assert again.form.editors["layers"].value() == window.form.editors["layers"].value()
