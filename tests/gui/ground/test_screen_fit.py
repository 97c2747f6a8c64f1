"""The one sizing rule (gui/ground/screen_fit.py): windows open within the available screen."""
import pytest
from PyQt5.QtCore import QRect, QSize
from PyQt5.QtWidgets import QDialog, QWidget

from gui.ground.screen_fit import FRAME, fit_to_screen, fitted_size, fits_on_screen, keep_on_screen, pretended_screen


def test_fitted_size_is_the_preferred_size_or_the_room_left_by_the_frame():
    big = QRect(0, 0, 1920, 1080)
    assert fitted_size(QSize(1400, 900), big) == QSize(1400, 900)
    small = QRect(0, 0, 1366, 768)
    assert fitted_size(QSize(1400, 900), small) == QSize(1366 - FRAME.left() - FRAME.right(),
                                                         768 - FRAME.top() - FRAME.bottom())


@pytest.mark.parametrize("text, expected", [("1366x768", QRect(0, 0, 1366, 768)), ("", None), ("big", None),
                                            ("0x768", None)])
def test_the_pretended_screen_is_read_from_the_environment(monkeypatch, text, expected):
    monkeypatch.setenv("DIGITLAB_SCREEN", text)
    assert pretended_screen() == expected


@pytest.mark.parametrize("screen", [QRect(0, 0, 1280, 720), QRect(0, 0, 1366, 768), QRect(1920, 0, 1920, 1080)])
def test_a_dialog_bigger_than_the_screen_is_shrunk_and_placed_inside_it(qtbot, screen):
    dialog = QDialog()
    qtbot.addWidget(dialog)
    dialog.move(-500, 4000)   # somewhere off every screen
    fitted = fit_to_screen(dialog, 1400, 900, available=screen)
    assert fitted == (screen.width() >= 1408)
    assert dialog.width() <= 1400 and dialog.height() <= 900
    assert fits_on_screen(dialog, screen)


def test_a_remembered_geometry_too_big_for_this_screen_is_corrected(qtbot):
    window = QWidget()
    qtbot.addWidget(window)
    window.setGeometry(100, 80, 1800, 1000)   # remembered on a 1920x1080 screen
    screen = QRect(0, 0, 1366, 768)
    assert not fits_on_screen(window, screen)
    assert keep_on_screen(window, 1400, 900, available=screen)
    assert fits_on_screen(window, screen) and window.width() >= 1300 and window.height() >= 700
    assert not keep_on_screen(window, 1400, 900, available=screen)   # already fine: left alone
