"""Bad values in settings.ini (edited by hand, written by another version) never stop the app
from opening: each falls back to its default, and the status bar says so once (issue 18, item 3)."""
from gui.shell.main_window import MainWindow

BAD_INI = """[plots]
smoothing=abc
[window]
tab=second
[data]
kind=nonsense
folder=/some/where
[form]
config={not json
preset=no-such-preset
"""


def open_window(qtbot):
    window = MainWindow()
    qtbot.addWidget(window)
    window.show()
    return window


def test_bad_stored_values_fall_back_to_defaults_and_are_named_once(qtbot, isolated_settings):
    isolated_settings.write_text(BAD_INI)
    window = open_window(qtbot)
    assert window.tabs.training.smoothing_slider.value() == 90
    assert window.tabs.currentIndex() == 0
    assert window.dataset_panel.kind == "mnist" and window.dataset_panel.folder_edit.text() == "/some/where"
    message = window.statusBar().currentMessage()
    assert "reset" in message
    for key in ("plots/smoothing", "window/tab", "data/kind"):
        assert message.count(key) == 1
    assert window.form.error() == ""      # the form holds usable defaults; Start can train


def test_good_stored_values_are_restored_and_nothing_is_reported(qtbot, isolated_settings):
    isolated_settings.write_text("[plots]\nsmoothing=40\n[window]\ntab=2\n[data]\nkind=digits\n")
    window = open_window(qtbot)
    assert window.tabs.training.smoothing_slider.value() == 40 and window.tabs.currentIndex() == 2
    assert window.dataset_panel.kind == "digits"
    assert "reset" not in window.statusBar().currentMessage()


def test_out_of_range_numbers_are_clamped(qtbot, isolated_settings):
    isolated_settings.write_text("[plots]\nsmoothing=100000\n[window]\ntab=-3\n")
    window = open_window(qtbot)
    slider = window.tabs.training.smoothing_slider
    assert slider.value() == slider.maximum() and window.tabs.currentIndex() == 0
