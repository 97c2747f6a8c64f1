"""The settings form is generated from the TrainConfig declarations: one widget per setting in
its group, tooltips from the help text, greyed out with the reason when a setting does not
matter, and old saved settings (with an `extra` dict) fill it."""
import pytest
from PyQt5.QtWidgets import QLabel

from core.settings.config import TrainConfig
from core.settings.fields import settings_of
from gui.training.settings_form import SettingsForm

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture
def form(qtbot):
    form = SettingsForm()
    qtbot.addWidget(form)
    form.advanced.set_expanded(True)
    return form


def test_every_declared_setting_has_a_widget_in_its_group_with_its_help(form):
    shown = [info for info in settings_of(TrainConfig) if info.group != "run"]
    assert set(form.editors) == {info.name for info in shown}
    for info in shown:
        editor = form.editors[info.name]
        holder = {"advanced": form.advanced, "augmentation": form.augmentation}.get(info.group, form)
        assert getattr(holder, editor.attribute) is editor.widget
        in_advanced = form.advanced.body.isAncestorOf(editor.widget)
        assert in_advanced == (info.group == "advanced"), info.name
        if editor.widget.isEnabled():
            assert editor.widget.toolTip() == info.help_text(), info.name
    headings = [label.text() for label in form.findChildren(QLabel, "formHeading")]
    assert headings == ["Network", "Training", "Data"]
    assert form.batch_size_spin.suffix() == " images" and form.iterations_spin.specialValueText() == "0 (use epochs)"
    assert [form.positive_class_combo.itemText(i) for i in (0, 4)] == ["none (all classes)", "3 against the rest"]


def test_step_schedule_is_reachable_and_only_enabled_when_it_matters(form):
    assert form.schedule_combo.currentText() == "cosine"
    step_epochs, step_gamma = form.advanced.step_epochs_spin, form.advanced.step_gamma_edit
    assert not step_epochs.isEnabled() and not step_gamma.isEnabled()
    assert step_gamma.toolTip() == "Only used by the 'step' schedule."
    form.schedule_combo.setCurrentText("step")
    assert step_epochs.isEnabled() and step_gamma.isEnabled() and "multiplies the learning rate" in step_gamma.toolTip()
    step_epochs.setValue(3)
    step_gamma.setText("0.2")
    config = form.config()
    assert (config.schedule, config.step_epochs, config.step_gamma) == ("step", 3, 0.2)


def test_bad_text_disables_with_the_declared_message(form, qtbot):
    form.schedule_combo.setCurrentText("step")
    with qtbot.waitSignal(form.validity_changed) as blocker:
        form.advanced.step_gamma_edit.setText("2")
    assert blocker.args == [False, "step gamma must be > 0 and <= 1 (got 2.0)"]
    with qtbot.waitSignal(form.validity_changed) as blocker:
        form.advanced.step_gamma_edit.setText("half")
    assert blocker.args == [False, "step gamma must be a number (got 'half')"]
    with qtbot.waitSignal(form.validity_changed) as blocker:
        form.advanced.step_gamma_edit.setText("0.5")
    assert blocker.args == [True, ""]


def test_while_training_only_the_live_learning_rate_stays_editable(form):
    form.set_training(True)
    enabled = [name for name, editor in form.editors.items() if editor.widget.isEnabled()]
    assert enabled == ["learning_rate"]
    form.set_training(False)
    assert form.hidden_sizes_edit.isEnabled() and form.loss_combo.isEnabled()


def test_settings_saved_by_the_previous_version_fill_the_form(form):
    old = {"hidden_sizes": [25], "activation": "sigmoid", "output": "sigmoid", "init": "uniform",
           "extra": {"image_size": [20, 20], "track_test": True}}
    form.set_config(TrainConfig.from_dict(old))
    assert form.advanced.image_size_combo.currentText() == "20×20 (ex4)"
    assert form.advanced.track_test_box.isChecked()
    assert form.advanced.uses_advanced(form.config())
    form.set_config(TrainConfig.from_dict({"extra": {"image_size": [10, 12]}}))
    assert form.advanced.image_size_combo.currentText() == "10,12"      # an unusual size is added
    config = form.config()
    assert config.image_size == (10, 12) and not config.track_test and config.hidden_sizes == (128,)


def test_a_value_outside_the_choices_is_not_added_to_the_combo(form):
    count = form.activation_combo.count()
    form.set_config(TrainConfig(activation="swish", hidden_sizes=(7,)))
    assert form.activation_combo.count() == count and form.activation_combo.currentData() == "relu"
    assert form.config().hidden_sizes == (7,) and form.config().activation == "relu"


# ----- the output layer follows the loaded data (a walkthrough at 1366x768: after My drawings'
# three classes MNIST was loaded, and Start was refused until the stack ended with dense10) -----
def test_loading_data_of_another_class_count_fits_the_stacks_output_layer_and_says_so(form, qtbot):
    form.set_config(TrainConfig(layers="conv8x5,pool2,conv16x5v,pool2,dense64,dense3"))
    form.set_data_shape((28, 28), 3, 36)
    assert form.error() == "" and not form.output_note.isVisibleTo(form)     # it fits: nothing said
    with qtbot.waitSignal(form.output_fitted) as said:
        form.set_data_shape((28, 28), 10, 60000)                            # MNIST
    assert form.config().layers == "conv8x5,pool2,conv16x5v,pool2,dense64,dense10" and form.error() == ""
    assert said.args[0] == form.output_note.text() == ("The output layer is now dense10 (was dense3): the data "
                                                       "loaded has 10 classes.")
    assert form.output_note.isVisibleTo(form)
    form.set_value("learning_rate", 0.01)                                   # other edits keep the note
    assert form.output_note.isVisibleTo(form)
    form.set_value("layers", "conv8x5,pool2,dense10")                       # a stack of the user's: it goes
    assert not form.output_note.isVisibleTo(form)


def test_the_not_a_digit_class_counts_and_the_mlp_and_one_digit_against_the_rest_are_left_alone(form):
    form.set_config(TrainConfig(layers="conv8x5,pool2,dense3", non_digits=0.1))
    form.set_data_shape((28, 28), 10)
    assert form.config().layers == "conv8x5,pool2,dense11" and "and 'not a digit'" in form.output_note.text()
    form.set_config(TrainConfig(hidden_sizes=(64,)))                        # the MLP sizes its own output
    form.set_data_shape((28, 28), 3)
    assert form.config().layers == "" and not form.output_note.isVisibleTo(form) and form.error() == ""
    binary = TrainConfig(layers="conv8x5,pool2,dense1", positive_class=3, output="sigmoid",
                         loss="binary_cross_entropy")
    form.set_config(binary)
    form.set_data_shape((28, 28), 10)
    assert form.config().layers == "conv8x5,pool2,dense1" and not form.output_note.isVisibleTo(form)
