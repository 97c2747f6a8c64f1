"""The network editor in the settings form: real widgets, the numbers checked against
core.nn.layer_spec.describe_stack, and Start refused with the reason for an invalid stack."""
import pytest

from core.settings.presets import get_preset

from core.nn.layer_spec import describe_stack, parse_layers
from core.settings.presets import PRESETS
from gui.ground import theme
from gui.training.layer_stack_table import compact
from gui.training.settings_form import SettingsForm
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture
def form(qtbot):
    widget = SettingsForm()
    qtbot.addWidget(widget)
    widget.show()
    return widget


def table_rows(editor):
    table = editor.table
    return [[table.item(r, c).text() for c in range(table.columnCount())] for r in range(table.rowCount())]


def type_stack(qtbot, editor, text):
    """Choose "Layer stack" and type text into its line, key by key (textEdited per key)."""
    editor.mode_combo.setCurrentIndex(editor.mode_combo.findData("stack"))
    editor.text_edit.clear()
    qtbot.keyClicks(editor.text_edit, text)


def select_layer(editor, index):
    editor.table.selectRow(index + 1)   # row 0 is the input
    assert editor.selected_index() == index


def test_table_shows_the_shapes_params_and_mult_adds_of_describe_stack(qtbot, form):
    stack = "conv6x5,pool2,conv16x5v,pool2,dense120,dense84,dense10"
    editor = form.layers_editor
    type_stack(qtbot, editor, stack)
    assert form.config().layers == stack
    rows = table_rows(editor)
    want = describe_stack(parse_layers(stack), (28, 28, 1))
    assert rows[0][:2] == ["input", "28x28x1"]
    assert [r[1] for r in rows[1:]] == [w.shape_text for w in want]
    assert [r[1] for r in rows[1:5]] == ["28x28x6", "14x14x6", "10x10x16", "5x5x16"]
    assert [r[2] for r in rows[1:]] == [compact(w.n_params) for w in want]
    assert [r[3] for r in rows[1:]] == [compact(w.mult_adds) for w in want]
    assert editor.table.item(3, 3).toolTip() == f"{want[2].mult_adds:,} multiply-adds per image"
    total = sum(w.n_params for w in want)
    assert total == 61_706 and f"{total:,} parameters" in editor.totals_label.text()
    assert f"{sum(w.mult_adds for w in want):,} multiply-adds" in editor.totals_label.text()
    assert not editor.error_label.isVisible()


def test_the_table_follows_the_image_size_setting(form):
    form.select_preset("cnn")
    combo = form.advanced.image_size_combo
    combo.setCurrentIndex(combo.findText("20×20 (ex4)"))
    assert form.config().image_size == (20, 20)
    rows = table_rows(form.layers_editor)
    assert rows[0][1] == "20x20x1" and rows[2][1] == "10x10x8" and rows[-1][1] == "10"


def test_add_remove_and_reorder_change_the_config(form):
    form.select_preset("cnn")
    editor = form.layers_editor
    assert form.config().layers == get_preset("cnn").config.layers
    editor.set_value("conv8x5,pool2,conv16x5,pool2,dense10")
    assert form.config().layers == "conv8x5,pool2,conv16x5,pool2,dense10"
    # add a dropout after the second pooling layer
    select_layer(editor, 3)
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("dropout"))
    assert editor.rate_spin.isVisible() and not editor.kernel_spin.isVisible()
    editor.rate_spin.setValue(0.3)
    editor.add_button.click()
    assert form.config().layers == "conv8x5,pool2,conv16x5,pool2,dropout0.3,dense10"
    assert editor.selected_index() == 4
    # a dense hidden layer at the end goes before the output after one move up
    select_layer(editor, 5)
    editor.kind_combo.setCurrentIndex(editor.kind_combo.findData("dense"))
    editor.size_spin.setValue(64)
    editor.add_button.click()
    assert editor.value().endswith("dense10,dense64")
    assert "must be the dense output layer" not in editor.error_label.text()   # both are dense: valid stack
    assert "output layer dense64 has 64 units" in editor.error_label.text()   # but not ten digits
    editor.up_button.click()
    assert form.config().layers == "conv8x5,pool2,conv16x5,pool2,dropout0.3,dense64,dense10"
    # change the first conv layer to 12 filters of 3x3 'valid'
    select_layer(editor, 0)
    assert editor.kind_combo.currentData() == "conv" and editor.size_spin.value() == 8   # controls show it
    editor.size_spin.setValue(12)
    editor.kernel_spin.setValue(3)
    editor.padding_combo.setCurrentText("valid")
    editor.change_button.click()
    assert form.config().layers.startswith("conv12x3v,pool2,")
    assert table_rows(editor)[1][1] == "26x26x12"
    # remove the dropout; move the first layer down and back up
    select_layer(editor, 4)
    editor.remove_button.click()
    assert form.config().layers == "conv12x3v,pool2,conv16x5,pool2,dense64,dense10"
    select_layer(editor, 0)
    assert not editor.up_button.isEnabled()
    editor.down_button.click()
    assert form.config().layers.startswith("pool2,conv12x3v,")
    editor.up_button.click()
    assert form.config().layers == "conv12x3v,pool2,conv16x5,pool2,dense64,dense10"


def test_mlp_choice_keeps_the_hidden_layers(form):
    form.select_preset("cnn")
    editor = form.layers_editor
    assert not form.hidden_sizes_edit.isEnabled()
    editor.mode_combo.setCurrentIndex(editor.mode_combo.findData("mlp"))
    assert form.config().layers == "" and form.hidden_sizes_edit.isEnabled()
    assert not editor.table.isVisible()
    form.hidden_sizes_edit.setText("64,32")
    assert form.config().hidden_sizes == (64, 32)
    editor.mode_combo.setCurrentIndex(editor.mode_combo.findData("stack"))   # the stack comes back
    assert form.config().layers == get_preset("cnn").config.layers and editor.table.isVisible()


@pytest.mark.parametrize("name", ["lenet-5", "cnn"])
def test_choosing_a_cnn_preset_fills_the_editor(form, name):
    form.select_preset("default")
    assert form.layers_editor.mode == "mlp"
    form.select_preset(name)
    editor = form.layers_editor
    stack = PRESETS[name].config.layers
    assert editor.mode == "stack" and editor.text_edit.text() == stack
    assert editor.table.rowCount() == len(parse_layers(stack)) + 1
    assert table_rows(editor)[-1][1] == "10"


@pytest.mark.parametrize("stack, reason, bad_row", [
    ("conv8x5,pool2,pool2,pool2,pool2,pool2,dense10", "cannot pool a 1x1 map", 6),
    ("conv8x5,dense32,pool2,dense10", "put conv and pool layers before the dense layers", 3),
    ("conv8x5,pool2", "must be the dense output layer", 2),
    ("conv8x5,pool2,dense7", "end the stack with dense10", 3),
    ("conv8x4,dense10", "'same' padding needs an odd kernel", None),
])
def test_an_invalid_stack_disables_start_with_the_reason(qtbot, mnist, stack, reason, bad_row):
    window = make_window(qtbot, mnist)
    window.form.select_preset("cnn")
    assert window.start_button.isEnabled()
    editor = window.form.layers_editor
    type_stack(qtbot, editor, stack)
    assert not window.start_button.isEnabled()
    assert reason in window.form_error.text() and window.form_error.isVisible()
    assert reason in window.start_button.toolTip()
    assert reason in editor.error_label.text() and editor.error_label.isVisible()
    if bad_row is not None:
        assert editor.table.item(bad_row, 0).background().color() == theme.qcolor("problem_row")
        assert editor.table.item(1, 0).background().color() != theme.qcolor("problem_row")
        assert editor.table.item(bad_row, 0).toolTip() == editor.problem
        assert editor.table.item(1, 1).text() == "28x28x8"      # the layers before it still have shapes
    # back to a valid stack: Start is allowed again
    type_stack(qtbot, editor, "conv4x5,pool2,dense10")
    assert window.start_button.isEnabled() and not window.form_error.isVisible()
    assert "Total: 7,954 parameters" in editor.totals_label.text()   # 4*(25+1) + (14*14*4+1)*10


def test_numerical_gradients_count_the_parameters_of_the_stack(qtbot, form):
    """The limit on numerical gradients counts the stack's parameters, not the hidden layers'."""
    form.select_preset("cnn")
    form.advanced.gradients_combo.setCurrentIndex(form.advanced.gradients_combo.findData("numerical"))
    form.optimizer_combo.setCurrentText("sgd")
    # 8*(25+1) + 16*(8*25+1) + (5*5*16+1)*128 + (128+1)*10 = 56,042
    assert "numerical gradients are refused for a conv8x5,pool2,conv16x5v,pool2,dense128,dense10 network: " \
           "it has 56,042 parameters" in form.error()
    type_stack(qtbot, form.layers_editor, "conv2x3,pool4,dense10")   # 2*(9+1) + (7*7*2+1)*10 = 1,010
    assert form.error() == "" and form.config().layers == "conv2x3,pool4,dense10"
