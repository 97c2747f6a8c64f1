"""Runs > Compare runs… on a laptop: the 560 px picker showed several identical lines (the run
name is the network's whole text); epochs, best accuracy and date only by scrolling sideways.
Each run must be told apart within the width: start, epochs, best accuracy first, the name under
them elided, whole in the tooltip."""
from dataclasses import replace

import pytest

from core.settings.config import TrainConfig
from gui.runs.compare_picker import CompareRunsPicker

from .conftest import record_run

pytestmark = pytest.mark.usefixtures("themed_app")

LONG = "conv8x5,pool2,conv16x5v,pool2,dense128,dense10 relu, adam lr 0.01"


@pytest.fixture
def alike_runs(mnist_small):
    """Three tiny runs recorded for real under the same long name, one and two epochs."""
    config = TrainConfig(hidden_sizes=(8,), epochs=1, batch_size=100, learning_rate=0.1, schedule="constant",
                         val_split=200, seed=1, train_examples=600)
    return [record_run(replace(config, epochs=epochs, seed=seed), mnist_small, LONG)[0]
            for epochs, seed in ((1, 1), (2, 2), (1, 3))]


def test_each_line_tells_the_runs_apart_within_the_dialogs_width(qtbot, monkeypatch, alike_runs):
    monkeypatch.setenv("DIGITLAB_SCREEN", "1366x768")
    dialog = CompareRunsPicker()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    assert dialog.width() <= 560
    lines = [dialog.list.item(row) for row in range(dialog.list.count())]
    assert len(lines) == 3
    metrics = dialog.list.fontMetrics()
    room = dialog.list.viewport().width()
    for item in lines:
        text = item.text()
        for line in text.split("\n"):
            assert metrics.horizontalAdvance(line) + 24 <= room, (line, room)   # beside its check box, no scrolling
        assert "best " in text and " epoch" in text
        assert text.index("best ") < text.index("conv8x5")                     # what differs comes first
        assert LONG in item.toolTip() and "network:" in item.toolTip()
    assert dialog.list.horizontalScrollBar().maximum() == 0
    heads = [item.text().split("\n")[0] for item in lines]
    assert len(set(heads)) == 3, heads                                          # no two lines alike
    assert sum("2 epochs" in head for head in heads) == 1
    # the API the Runs menu uses
    dialog.check(alike_runs[2])
    dialog.check(alike_runs[0])
    assert dialog.selected_run_ids() == [alike_runs[2], alike_runs[0]]
    assert dialog.buttons.buttons()[0].isEnabled()


def test_a_wider_dialog_shows_more_of_the_name(qtbot, monkeypatch, alike_runs):
    monkeypatch.setenv("DIGITLAB_SCREEN", "1366x768")
    dialog = CompareRunsPicker()
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    narrow = dialog.list.item(0).text()
    dialog.resize(1100, dialog.height())
    qtbot.waitUntil(lambda: dialog.list.item(0).text() != narrow)
    assert LONG in dialog.list.item(0).text()
