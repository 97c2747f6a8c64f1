"""The lessons' words (core/lessons/vocabulary.py, what `lessons --check` knows without a window)
are the window's own: its tabs, its named parts (gui/shell/targets.py) and its actions."""
import inspect

import pytest

from core.lessons import vocabulary
from gui.shell.actions import ACTIONS
from gui.shell.targets import TARGETS, show_target

pytestmark = pytest.mark.usefixtures("themed_app")



@pytest.fixture
def window(shown_window):   # tests/gui/conftest.py
    return shown_window

def test_the_lessons_know_the_windows_tabs_and_parts(window):
    assert vocabulary.TABS == tuple(window.tabs.tabText(i).replace("&", "") for i in range(window.tabs.count()))
    assert vocabulary.TARGETS == tuple(target.name for target in TARGETS)
    assert {target.tab for target in TARGETS} - {None} <= set(vocabulary.TABS)


def test_the_lesson_panel_has_a_sentence_for_every_event_a_step_can_wait_for():
    from gui.lessons.player import WAITING
    assert set(WAITING) == set(vocabulary.WAITS)


def test_every_action_a_lesson_may_do_is_an_action_of_the_window_with_its_arguments():
    table = {action.name: action for action in ACTIONS}
    for name, kinds in vocabulary.ACTIONS.items():
        assert name in table, name
        parameters = list(inspect.signature(table[name].run).parameters.values())[1:]   # after the window
        required = [p for p in parameters if p.default is inspect.Parameter.empty]
        assert len(required) <= len(kinds) <= len(parameters), (name, kinds, parameters)


@pytest.mark.parametrize("name", [target.name for target in TARGETS])
def test_every_named_part_is_shown_on_its_tab_when_a_lesson_points_at_it(qtbot, window, name):
    window.tabs.show_tab("Map" if name != "map" else "Training")   # start from somewhere else
    widget = show_target(window, name)
    if name == "divergence_banner":
        assert widget is window.banner   # shown only when a run diverges
        return
    qtbot.waitUntil(lambda: widget.isVisible() and not widget.visibleRegion().isEmpty(), timeout=2000)
