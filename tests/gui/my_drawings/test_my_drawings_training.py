"""Training on a My drawings project in the app: every view with the project's class names (the
confusion matrix, the report, the misclassified gallery, the Draw tab's probabilities), transfer
from the digit model's conv layers, and the transfer race on identical batches (real child
processes, a generated project of three shapes x 6 drawings); the neuron card and the Map name them too."""
import numpy as np
import pytest

from core.data.my_drawings.project import create_project
from core.drawing.shapes import draw_shape, make_shapes
from core.drawing.strokes import prepare_strokes

pytestmark = pytest.mark.usefixtures("themed_app")
NAMES = ["circle", "square", "triangle"]


@pytest.fixture
def window(shown_window):
    project = create_project("shapes", NAMES)   # in DIGITLAB_HOME (tests/gui/conftest.py)
    for shape in make_shapes(6, seed=3)[: 6 * len(NAMES)]:
        project.keep(shape.label, shape.strokes, prepare_strokes(shape.strokes))
    return shown_window


def test_training_on_drawings_shows_the_project_classes_everywhere_and_on_the_draw_tab(qtbot, window):
    drawings = window.actions.trigger("my_drawings")
    assert drawings.project.name == "shapes" and drawings.train_button.isEnabled()
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        with qtbot.waitSignal(window.my_drawings.started, timeout=20000) as started:
            assert window.actions.trigger("train_my_drawings", "frozen")   # the drawings are read in a worker
    config = started.args[0]
    assert config.layers.endswith("dense3") and window.dataset.class_names == NAMES
    assert window.form.config().layers == config.layers and config.val_split == 0.2   # the form says what trains
    assert list(window.state.start.class_names) == NAMES and window.state.end.reason == "finished"
    qtbot.waitUntil(lambda: window.tabs.confusion.class_names == NAMES, timeout=5000)
    assert window.tabs.report.rowCount() >= len(NAMES)
    assert window.dataset_panel.status.text().startswith("Loaded my drawings: shapes:")
    view = window.tabs.draw_panel.probability_view
    assert view.class_names == NAMES and view.top_label.text().count("draw circle, square, triangle") == 1
    assert window.tabs.draw_panel.canvas.placeholder == "draw circle, square, triangle here"
    shape = draw_shape(1, np.random.default_rng(11))
    scale = window.tabs.draw_panel.canvas.width() / 280.0
    probabilities = window.actions.trigger("draw", [np.asarray(s) * scale for s in shape.strokes])
    assert probabilities.shape == (3,) and view.class_names == NAMES
    assert abs(float(probabilities.sum()) - 1.0) < 1e-5
    card = window.actions.trigger("open_neuron_card", 1, 0)               # the card names the classes
    qtbot.waitUntil(lambda: card.data is not None, timeout=30000)
    assert card.data.class_names == tuple(NAMES) and card.mean_title.text() == "<b>Mean activation per class</b>"
    assert card.top_tiles[0].caption.text().split(" · ")[0] in NAMES
    card.close()
    view = window.inspect.map                                              # so does the Map's legend
    with qtbot.waitSignal(view.map_ready, timeout=30000):
        window.actions.trigger("show_tab", "Map")
    assert view.legend_names == tuple(NAMES) and view.legend_title.text().startswith("<b>Class</b>")
    assert all(name in view.legend.text() for name in NAMES)


def test_the_transfer_race_starts_both_from_their_own_weights_on_identical_batches(qtbot, window):
    menu_entry = window.actions["my_drawings"]                       # File > My drawings, Ctrl+Shift+D
    assert menu_entry.shortcut().toString() == "Ctrl+Shift+D"
    menu_entry.trigger()
    assert window.my_drawings.window.isVisible()
    with qtbot.waitSignal(window.my_drawings.race_opened, timeout=20000) as opened:
        window.actions.trigger("race_my_drawings", "frozen")
    race = opened.args[0]
    assert race.title_b.startswith("Digit model's conv layers, frozen") and race.network_b.n_frozen > 0
    assert [title for title, *_ in race.choices] == ["From scratch (random weights)",
                                                     "Digit model's conv layers, fine-tuned"]
    assert race.network_a is None   # scratch: new weights from the same stack
    session = race.start()
    with qtbot.waitSignal(session.finished, timeout=90000):
        pass
    first = [lane.epoch["x"].view().tolist() for lane in race.lanes]
    assert first[0] == first[1] and len(first[0]) == 30
    assert race.config_b.val_split == race.config_a.val_split == 0.5   # half the drawings validate
    assert all(lane.end is not None and lane.end.reason == "finished" for lane in race.lanes)
    race.close()


def test_a_project_not_ready_is_refused_with_its_sentence_and_no_run_starts(qtbot, window):
    drawings = window.actions.trigger("my_drawings")
    drawings.add_class("star")                                  # a class without drawings
    assert window.actions.trigger("train_my_drawings", "scratch") is False
    assert drawings.last_error == "'star' has no drawings yet: draw at least 2 of each class."
    assert window.actions.trigger("race_my_drawings") is False
    assert not window.is_training and window.dataset is None and len(drawings.project) == 18


@pytest.mark.parametrize("per_class", [2, 3])
def test_the_smallest_projects_keep_a_drawing_to_validate_and_a_batch_that_fits(tmp_path, per_class):
    from core.data.splits import validation_count
    from gui.my_drawings.controller import RACE_CHANGES, TRAIN_CHANGES, drawings_setup
    project = create_project("tiny", ["circle", "square"], root=tmp_path)
    for shape in make_shapes(per_class, seed=3)[: 2 * per_class]:
        project.keep(shape.label, shape.strokes, prepare_strokes(shape.strokes))
    dataset = project.as_dataset()
    n_train = len(dataset.train_labels)
    for changes in (TRAIN_CHANGES, RACE_CHANGES):
        config, _ = drawings_setup(dataset, "scratch", **changes)
        n_val = validation_count(n_train, config.val_split)
        assert 1 <= n_val < n_train and 1 <= config.batch_size <= n_train - n_val


def test_after_a_run_on_drawings_the_line_says_it_ended_and_mnist_again_gets_a_dense10_output(qtbot, window,
                                                                                              mnist_dir):
    """A walkthrough at 1366x768: the Data panel said MNIST during the run, the window's line kept
    'Training on ...' after it, and MNIST loaded afterwards kept the form's dense3 (Start refused)."""
    drawings = window.actions.trigger("my_drawings")
    panel = window.dataset_panel
    with qtbot.waitSignal(window.run_finished, timeout=60000):
        with qtbot.waitSignal(window.my_drawings.started, timeout=20000) as started:
            assert window.actions.trigger("train_my_drawings", "scratch")
        assert panel.kind_combo.currentText() == "My drawings: shapes"        # what is being trained on
        assert panel.folder_edit.text() == window.dataset.source and drawings.notice.text().startswith("Training on")
    qtbot.waitUntil(lambda: "Test accuracy" in drawings.notice.text(), timeout=30000)
    line = drawings.notice.text()
    assert line.startswith("The run on 15 drawings has ended. Finished") and "Training on" not in line
    assert "on 3 test images" in line and "Draw tab" in line
    assert started.args[0].layers.endswith(",dense64,dense3") and panel.kind_combo.currentText() == "My drawings: shapes"

    panel.set_choice("mnist", str(mnist_dir))                               # MNIST again, as a student would
    with qtbot.waitSignal(window.dataset_loaded, timeout=30000):
        panel.load_button.click()
    assert panel.kind_combo.currentText() == "MNIST (from a folder)" and panel.kind_combo.findData("other") == -1
    assert window.form.config().layers == started.args[0].layers.replace("dense3", "dense10")   # the rest kept
    assert window.form.error() == "" and window.start_button.isEnabled()
    assert window.form.output_note.text() == ("The output layer is now dense10 (was dense3): the data loaded "
                                               "has 10 classes.") and window.form.output_note.isVisibleTo(window)
    assert drawings.notice.text() == line   # a run on other data would not be this window's to report
