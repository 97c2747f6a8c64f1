"""The status bar, the Run box and the Training menu say what the run is doing (walkthrough 2,
items 3-5): paused says paused, a menu's passing tip leaves the run's line, loaded data is not
asked for again, a long message fits, and the menu offers only what the buttons offer."""
import pytest
from PyQt5.QtGui import QStatusTipEvent
from PyQt5.QtWidgets import QApplication

from core.settings.config import TrainConfig
from core.training.training_state import schedule_note
from gui_helpers import digits, make_window

pytestmark = pytest.mark.usefixtures("themed_app")


def start_long_run(qtbot, window):
    window.actions.trigger("start")
    qtbot.waitUntil(lambda: window.state.last_batch is not None, timeout=20000)


def stop(qtbot, window):
    with qtbot.waitSignal(window.run_finished, timeout=20000):
        window.actions.trigger("stop")


def shown_status(window):
    """What the status bar shows: its passing message, else its line of what the run is doing."""
    message = window.statusBar().currentMessage()
    return message or (window.run_line.text() if window.run_line.isVisible() else "")


def test_the_run_box_says_paused_and_remaining_does_not_count(qtbot):
    window = make_window(qtbot, epochs=500, hidden_sizes=(32,), batch_size=16)
    start_long_run(qtbot, window)
    qtbot.waitUntil(lambda: window.progress.state_label.text().startswith("Training "), timeout=10000)
    window.actions.trigger("pause")
    try:
        assert window.progress.state_label.text().startswith("Paused")
        assert window.progress.values["remaining"].text() == "paused"
        info = window.state.start   # a redraw of a snapshot still on its way keeps it so
        window.progress.update_from(window.state, info.total_steps, 500)
        assert window.progress.values["remaining"].text() == "paused"
        window.actions.trigger("pause")   # resume
        assert window.progress.state_label.text().startswith("Training ")
        assert window.progress.values["remaining"].text() != "paused"
    finally:
        stop(qtbot, window)


def test_a_menus_status_tip_does_not_blank_the_status_bar(qtbot):
    window = make_window(qtbot, epochs=500, hidden_sizes=(32,), batch_size=16)
    start_long_run(qtbot, window)
    try:
        # what a menu does: its entry's tip while hovered, an empty tip when it closes
        QApplication.sendEvent(window, QStatusTipEvent(window.actions["stop"].statusTip()))
        QApplication.sendEvent(window, QStatusTipEvent(""))
        assert window.statusBar().currentMessage() == ""
        assert shown_status(window).startswith("Training")
        window.actions.trigger("pause")
        QApplication.sendEvent(window, QStatusTipEvent(window.actions["start"].statusTip()))
        QApplication.sendEvent(window, QStatusTipEvent(""))
        assert shown_status(window).startswith("Paused")
    finally:
        stop(qtbot, window)


def test_loaded_data_is_not_asked_for_again(qtbot):
    from gui.shell.main_window import MainWindow
    window = MainWindow(restore_settings=False)
    qtbot.addWidget(window)
    window.show()
    assert shown_status(window).startswith("Load data")
    window.set_dataset(digits())   # what the relaunch's automatic load does
    assert "Load data" not in shown_status(window)
    assert shown_status(window).startswith(f"Data loaded ({digits().name})")


def test_a_long_message_fits_the_bar_at_1366(qtbot, monkeypatch):
    monkeypatch.setenv("DIGITLAB_SCREEN", "1366x768")
    window = make_window(qtbot)
    qtbot.waitExposed(window)
    note = ("Continuing run “cnn” for 3 more epochs. " +
            schedule_note(TrainConfig(schedule="cosine", epochs=8), 5, 5) + " The optimiser's state is carried on.")
    bar = window.statusBar()
    bar.showMessage(note)
    assert bar.currentMessage() == note
    shown = bar.shown_message()   # as painted
    assert bar.fontMetrics().horizontalAdvance(shown) <= bar.width() - 20
    assert shown.endswith("…") and note.startswith(shown[:-1])
    assert bar.toolTip() == note   # the whole of it on hovering


def test_the_training_menu_offers_only_what_the_buttons_offer(qtbot):
    window = make_window(qtbot, epochs=500, hidden_sizes=(32,), batch_size=16)
    actions = window.actions
    assert actions["start"].isEnabled() and window.start_button.isEnabled()
    assert not actions["stop"].isEnabled() and not actions["pause"].isEnabled()
    start_long_run(qtbot, window)
    try:
        for name, button in (("start", window.start_button), ("pause", window.pause_button),
                             ("stop", window.stop_button)):
            assert actions[name].isEnabled() == button.isEnabled(), name
        assert not actions["start"].isEnabled()
    finally:
        stop(qtbot, window)
    assert actions["start"].isEnabled() and not actions["stop"].isEnabled()


def test_stop_says_stopping_at_once_and_the_end_message_follows(qtbot):
    from gui_helpers import make_window
    window = make_window(qtbot, epochs=300, hidden_sizes=(16,), batch_size=32)
    window.start_training()
    qtbot.waitUntil(lambda: window.state.start is not None, timeout=30000)
    with qtbot.waitSignal(window.run_finished, timeout=30000):
        window.stop_button.click()
        assert window.progress.state_label.text().startswith("Stopping…")   # at once, before the end
    assert "Stopped by request" in window.progress.state_label.text()
