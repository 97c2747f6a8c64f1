"""Data loaded elsewhere (File > My drawings trains on the user's drawings) is named in the Data
panel's combo, not left under "MNIST" (a walkthrough at 1366x768): an item of its own with the
data's folder, nothing to load from it, until data is loaded here again."""
import pytest

from gui.data.dataset_panel import OTHER, DatasetPanel

pytestmark = pytest.mark.usefixtures("themed_app")


class Loaded:
    name, class_names, image_shape = "mnist", [str(d) for d in range(10)], (28, 28)
    train_labels, test_labels = range(60000), range(10000)


@pytest.fixture
def panel(qtbot):
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    panel.set_choice("mnist", "/data/mnist")
    return panel


def test_the_drawings_are_named_with_their_folder_and_nothing_to_load(panel, qtbot):
    panel.show_other_data("My drawings: shapes", "the drawings of File > My drawings", "/home/u/shapes")
    assert panel.kind == OTHER and panel.kind_combo.currentText() == "My drawings: shapes"
    assert panel.folder_edit.text() == "/home/u/shapes" and not panel.folder_edit.isEnabled()
    assert not panel.load_button.isEnabled() and not panel.browse_button.isEnabled()
    assert panel.chosen_kind == "mnist"                      # what the window remembers for next time
    with qtbot.assertNotEmitted(panel.load_requested):
        panel.request_load()
    panel.set_busy(True, "Loading…")
    panel.set_busy(False)
    assert not panel.load_button.isEnabled()                 # still nothing to load from the drawings


def test_loading_data_here_again_removes_the_item_and_brings_the_choice_back(panel):
    panel.show_other_data("My drawings: shapes", source="/home/u/shapes")
    panel.set_loaded(Loaded())
    assert panel.kind_combo.findData(OTHER) == -1 and panel.kind == "mnist"
    assert panel.folder_edit.text() == "/data/mnist" and panel.load_button.isEnabled()


def test_choosing_another_kind_brings_its_path_back_and_the_item_stays_until_data_is_loaded(panel):
    panel.show_other_data("My drawings: shapes", source="/home/u/shapes")
    panel.set_choice("mnist")
    assert panel.folder_edit.text() == "/data/mnist" and panel.load_button.isEnabled()
    assert panel.kind_combo.findData(OTHER) >= 0             # the drawings are still the data loaded
    panel.show_other_data("My drawings: letters", source="/home/u/letters")   # a second project: one item
    assert [panel.kind_combo.itemData(i) for i in range(panel.kind_combo.count())].count(OTHER) == 1
    assert panel.kind_combo.currentText() == "My drawings: letters" and panel.folder_edit.text() == "/home/u/letters"
    panel.set_choice("mnist")
    assert panel.folder_edit.text() == "/data/mnist"
