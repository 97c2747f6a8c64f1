"""The Data panel must not pretend (a walkthrough at 1366x768): after training My drawings,
choosing "MNIST (from a folder)" without pressing Load data showed MNIST in the combo, and Start
trained on "my drawings: shapes". While the choice differs from the data loaded a note says
"not loaded yet: press Load data" and what Start trains on; choice_pending tells the window."""
import pytest

from gui.data.dataset_panel import OTHER, DatasetPanel

pytestmark = pytest.mark.usefixtures("themed_app")


class Loaded:
    def __init__(self, name="mnist"):
        self.name, self.class_names, self.image_shape = name, [str(d) for d in range(10)], (28, 28)
        self.train_labels, self.test_labels = range(600), range(100)


@pytest.fixture
def panel(qtbot):
    panel = DatasetPanel()
    qtbot.addWidget(panel)
    panel.show()
    panel.set_choice("mnist", "/data/mnist")
    return panel


def test_nothing_is_pending_before_any_data_and_after_the_shown_choice_is_loaded(panel):
    assert panel.pending.isHidden() and panel.choice_is_loaded
    panel.set_loaded(Loaded())
    assert panel.pending.isHidden() and panel.loaded_name == "mnist"


def test_choosing_mnist_after_my_drawings_says_it_is_not_loaded_and_what_start_trains_on(panel, qtbot):
    panel.set_loaded(Loaded())
    with qtbot.waitSignal(panel.choice_pending) as shown:   # leaves it once the drawings are the data
        panel.show_other_data("My drawings: shapes", source="/home/u/shapes")
        panel.set_choice("mnist")
    assert shown.args == [True]
    assert panel.kind == "mnist" and not panel.pending.isHidden() and not panel.choice_is_loaded
    text = panel.pending.text()
    assert "not loaded yet" in text.lower() and "Load data" in text and "My drawings: shapes" in text
    with qtbot.waitSignal(panel.choice_pending) as gone:   # back to the drawings' item: it is what is loaded
        panel.kind_combo.setCurrentIndex(panel.kind_combo.findData(OTHER))
    assert gone.args == [False] and panel.pending.isHidden()
    panel.set_choice("digits")
    assert not panel.pending.isHidden()
    with qtbot.waitSignal(panel.choice_pending) as loaded:
        panel.note_request("digits", "")
        panel.set_loaded(Loaded("digits"))
    assert loaded.args == [False] and panel.pending.isHidden() and panel.loaded_name == "digits"


def test_another_folder_typed_is_not_loaded_either(panel):
    panel.set_loaded(Loaded())
    panel.folder_edit.setText("/data/other-mnist")
    assert not panel.pending.isHidden() and "Start trains on the data loaded, mnist" in panel.pending.text()
    panel.folder_edit.setText("/data/mnist/")   # the same folder
    assert panel.pending.isHidden()


def test_a_load_asked_round_the_combo_shows_in_the_combo(panel):
    panel.note_request("digits", "")   # a lesson's load_dataset, or the missing-MNIST box's choice
    panel.set_busy(True, "Loading digits…")
    assert panel.pending.isHidden()     # loading: the status says so
    panel.set_busy(False)
    panel.set_loaded(Loaded("digits"))
    assert panel.kind == "digits" and panel.pending.isHidden()


def test_in_the_window_the_note_names_the_loaded_data(shown_window, qtbot):
    window = shown_window
    with qtbot.waitSignal(window.dataset_loaded, timeout=30000):
        window.request_dataset("digits")
    panel = window.dataset_panel
    assert panel.kind == "digits" and panel.pending.isHidden()
    panel.set_choice("mnist")
    assert panel.pending.isVisible()
    assert panel.loaded_name == window.dataset.name and window.dataset.name in panel.pending.text()
