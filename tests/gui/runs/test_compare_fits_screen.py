"""Runs > Compare runs on a laptop: the window was 1507 px wide on a 1366x768 screen (fitted before
its layout existed, then widened by two long run names in the legend and the pair combos), its
title bar, x-axis combo and B column out of sight. It must fit whole, long names elided with
their whole text in tooltips."""
from dataclasses import replace

import pytest

from core.records.reader import open_run
from core.settings.config import TrainConfig
from gui.ground.screen_fit import available_geometry, fits_on_screen
from gui.runs.compare_window import CompareWindow

from .conftest import record_run

pytestmark = pytest.mark.usefixtures("themed_app")

LONG = "conv8x5,pool2,conv16x5v,pool2,dense128,dense10 relu, adam lr 0.01"


@pytest.fixture
def long_named_runs(mnist_small):
    """Two tiny runs recorded for real (DIGITLAB_HOME is in tmp_path), named as the app names them."""
    config = TrainConfig(hidden_sizes=(8,), epochs=1, batch_size=100, learning_rate=0.1, schedule="constant",
                         val_split=200, seed=1, train_examples=600)
    a, _ = record_run(config, mnist_small, LONG + " / fork at 1")
    b, _ = record_run(replace(config, learning_rate=0.5), mnist_small, LONG)
    return [open_run(a), open_run(b)]


@pytest.mark.parametrize("screen", ["1366x768", "1280x720"])
def test_the_compare_window_fits_a_laptop_screen_with_long_run_names(qtbot, monkeypatch, long_named_runs, screen):
    monkeypatch.setenv("DIGITLAB_SCREEN", screen)
    window = CompareWindow(long_named_runs, None)
    qtbot.addWidget(window)
    window.show()
    qtbot.waitExposed(window)
    available = available_geometry(window)
    assert window.minimumSizeHint().width() <= available.width() - 8, window.minimumSizeHint()
    assert fits_on_screen(window), (window.geometry(), available)
    # every part of the top row and the pair row is inside the window
    for widget in (window.x_combo, window.pair_a, window.pair_b, window.settings):
        right = widget.mapTo(window, widget.rect().topRight()).x()
        assert right < window.width(), (widget, right, window.width())
    # the names are elided in place and whole in the tooltips
    assert LONG + " / fork at 1" in window.legend.toolTip() and LONG in window.legend.toolTip()
    assert window.pair_a.toolTip() == "A: " + LONG + " / fork at 1"
    assert window.pair_b.itemData(0, 3) == "A: " + LONG + " / fork at 1"   # Qt.ToolTipRole
    window.pair_b.setCurrentIndex(0)
    assert window.pair_b.toolTip().startswith("A: ")
