"""The window speaks to a learner, not to a programmer: no tooltip, label, button, menu entry or
preset description names a Python module or a command line (issue 19: a tooltip said
"core.data.mixing", preset texts "core.data.matfiles" and "python main.py gradspeed" where the
window has the thing itself, Training > Why backpropagation?)."""
import re

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QAbstractButton, QAction, QComboBox, QGroupBox, QLabel, QTabWidget, QWidget

from core.settings import presets
from core.settings.config import TrainConfig
from core.settings.fields import settings_of
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")

CODE_NAME = re.compile(r"\b(core|gui)\.[a-z_]+|\b\w+\.py\b|python main|main\.py|`[^`]*--[a-z]")


def texts_of(window):
    """(where, text) of everything the window can show in words."""
    for widget in window.findChildren(QWidget):
        name = type(widget).__name__
        yield name + " tooltip", widget.toolTip()
        if isinstance(widget, (QLabel, QAbstractButton)):
            yield name, widget.text()
        if isinstance(widget, QGroupBox):
            yield name, widget.title()
        if isinstance(widget, QComboBox):
            for i in range(widget.count()):
                yield name + " item", widget.itemText(i)
                yield name + " item tooltip", str(widget.itemData(i, Qt.ToolTipRole) or "")
        if isinstance(widget, QTabWidget):
            for i in range(widget.count()):
                yield name + " tab", widget.tabText(i) + " " + widget.tabToolTip(i)
    for action in window.findChildren(QAction):
        yield "menu", " ".join((action.text(), action.toolTip(), action.statusTip()))


def test_no_text_of_the_window_names_code(qtbot):
    window = make_window(qtbot)
    window.form.advanced.set_expanded(True)
    window.form.augmentation.set_expanded(True)
    found = [(where, text) for where, text in texts_of(window) if CODE_NAME.search(text)]
    assert found == []


def test_no_preset_description_or_setting_help_names_code():
    texts = [(name, preset.description) for name, preset in presets.PRESETS.items()]
    texts += [(info.name, info.help) for info in settings_of(TrainConfig)]
    assert [(name, CODE_NAME.search(text).group()) for name, text in texts if CODE_NAME.search(text)] == []


def test_every_preset_description_is_shown_without_code_names(qtbot):
    window = make_window(qtbot)
    for name in presets.PRESETS:
        window.actions.trigger("pick_preset", name)
        assert not CODE_NAME.search(window.form.preset_description.text()), name
