"""File > Export view… and the right-click menu: PNG at 1x/2x/3x, SVG for plots, the clipboard."""
import xml.etree.ElementTree as ElementTree

import numpy as np
import pytest
from PIL import Image
from PyQt5.QtCore import QPoint
from PyQt5.QtGui import QContextMenuEvent
from PyQt5.QtWidgets import QApplication, QMessageBox

from core.files.model_io import model_metadata, save_model
from core.settings.config import TrainConfig
from core.training.trainers import make_trainer
from gui.shell.view_exports import VIEWS, VIEWS_BY_NAME, ExportViewDialog, view_widget
from tests.gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture(scope="module")
def small_cnn(mnist_small, tmp_path_factory):
    """A conv4x5,pool2,dense16 model trained 1 epoch on 1,200 MNIST images, saved as a model file."""
    config = TrainConfig(layers="conv4x5,pool2,dense16,dense10", epochs=1, batch_size=50, learning_rate=0.05,
                         schedule="constant", val_split=300, seed=3)
    trainer = make_trainer(config, mnist_small)
    for _ in trainer.run():
        pass
    path = tmp_path_factory.mktemp("model") / "cnn.npz"
    save_model(path, trainer.network, model_metadata(trainer.network, (28, 28), mnist_small.class_names,
                                                     dataset="mnist", config=config.to_dict()))
    return path


@pytest.fixture
def window(qtbot, mnist_small, small_cnn):
    window = make_window(qtbot, mnist_small)
    window.resize(1366, 768)
    assert window.actions.trigger("open_model", str(small_cnn)) is not None   # weights, matrix, canvas model
    window.tabs.draw_panel.draw([[(60, 40), (140, 40), (100, 200)]])          # the evidence map has a drawing
    return window


def png_size(path):
    with Image.open(path) as image:
        assert image.format == "PNG"
        return image.size


@pytest.mark.parametrize("name, scale", [("weights", 3), ("confusion", 2), ("loss", 1), ("feature_maps", 2),
                                         ("calibration", 2), ("calibration_ece", 1), ("probabilities", 3),
                                         ("evidence", 2), ("data", 1), ("map", 3), ("invariance_shift", 2),
                                         ("invariance_rotation", 1), ("weight_histogram", 2)])
def test_a_view_saved_as_png_is_scale_times_its_size_on_screen(window, tmp_path, name, scale):
    path = window.actions.trigger("export_view", name, str(tmp_path / f"{name}.png"), scale)
    widget = view_widget(window, name)
    assert path == str(tmp_path / f"{name}.png")
    assert png_size(path) == (scale * widget.width(), scale * widget.height())
    assert window.tabs.tabText(window.tabs.currentIndex()) == VIEWS_BY_NAME[name].tab   # its tab came forward


def test_a_2x_picture_has_the_1x_picture_in_finer_pixels(window, tmp_path):
    one = window.actions.trigger("export_view", "weights", str(tmp_path / "w1.png"), 1)
    two = window.actions.trigger("export_view", "weights", str(tmp_path / "w2.png"), 2)
    with Image.open(one) as a, Image.open(two) as b:
        small = np.asarray(b.convert("L").resize(a.size, Image.BOX), float)
        first = np.asarray(a.convert("L"), float)
    # the same picture in finer pixels (2x shrunk back differs little), not a corner of it blown up
    assert np.abs(small - first).mean() < 6 and first.std() > 10


def test_plots_save_as_svg_and_pictures_refuse_it_in_one_sentence(window, tmp_path):
    path = window.actions.trigger("export_view", "loss", str(tmp_path / "loss.svg"))
    root = ElementTree.parse(path).getroot()
    assert root.tag.endswith("svg") and len(list(root.iter())) > 10
    assert window.actions.trigger("export_view", "weights", str(tmp_path / "weights.svg")) is None
    box = next(w for w in window.findChildren(QMessageBox) if w.isVisible())
    assert box.text() == "“Weights and filters” is a picture, not a plot: save it as PNG"
    assert not (tmp_path / "weights.svg").exists()


def test_copy_puts_the_picture_and_a_plots_svg_on_the_clipboard(window):
    image = window.actions.trigger("copy_view", "accuracy", 2)
    widget = window.tabs.training.accuracy_plot
    clipboard = QApplication.clipboard()
    assert (clipboard.image().width(), clipboard.image().height()) == (2 * widget.width(), 2 * widget.height())
    assert image.size() == clipboard.image().size()
    assert b"<svg" in bytes(clipboard.mimeData().data("image/svg+xml"))
    window.actions.trigger("copy_view", "weights", 1)
    assert not clipboard.mimeData().hasFormat("image/svg+xml")   # a picture: pixels only


def test_the_dialog_offers_svg_for_plots_only_and_saves_the_choice(window, tmp_path):
    window.tabs.show_tab("Evaluation")
    dialog = window.actions.trigger("export_view")
    assert isinstance(dialog, ExportViewDialog) and dialog.isVisible()
    assert dialog.view_combo.currentData() == "confusion"   # the first view of the tab in front
    assert dialog.format_combo.count() == 4
    dialog.view_combo.setCurrentIndex(dialog.view_combo.findData("weights"))
    assert [dialog.format_combo.itemData(k) for k in range(dialog.format_combo.count())] == ["png1", "png2", "png3"]
    dialog.format_combo.setCurrentIndex(1)
    path = dialog.save(str(tmp_path / "tiles"))
    widget = window.tabs.weights_pane
    assert path == str(tmp_path / "tiles.png") and png_size(path) == (2 * widget.width(), 2 * widget.height())
    assert [dialog.view_combo.itemData(k) for k in range(dialog.view_combo.count())] == [v.name for v in VIEWS]


def test_right_click_gives_the_export_entries(window, qtbot):
    window.tabs.show_tab("Weights")
    widget = window.tabs.weights_pane
    QApplication.sendEvent(widget, QContextMenuEvent(QContextMenuEvent.Mouse, QPoint(20, 20),
                                                     widget.mapToGlobal(QPoint(20, 20))))
    menu = window.view_menus.last_menu
    assert menu is not None and menu.isVisible()
    texts = [a.text() for a in menu.actions()]
    assert texts[:2] == ["Copy picture", "Copy picture at 2x"]
    save = menu.actions()[2].menu()
    assert [a.text() for a in save.actions()] == ["PNG, 1x…", "PNG, 2x…", "PNG, 3x…"]
    menu.close()
    # the loss plot keeps pyqtgraph's menu (zoom, axes, its Export...) with the entries added to it
    box = window.tabs.training.loss_plot.getPlotItem().getViewBox()
    entries = [a.text() for a in box.menu.actions()]
    assert "Copy picture" in entries and "View All" in entries
    save = next(a.menu() for a in box.menu.actions() if a.menu() is not None and a.text().startswith("Save loss"))
    assert [a.text() for a in save.actions()] == ["PNG, 1x…", "PNG, 2x…", "PNG, 3x…", "SVG…"]


def test_a_right_click_inside_a_plot_reaches_the_views_menu(window):
    window.tabs.show_tab("Weights")
    viewport = window.tabs.weights.graphics.viewport()   # pyqtgraph's view: its own menu is off here
    QApplication.sendEvent(viewport, QContextMenuEvent(QContextMenuEvent.Mouse, QPoint(30, 30),
                                                       viewport.mapToGlobal(QPoint(30, 30))))
    menu = window.view_menus.last_menu
    assert menu is not None and menu.isVisible() and menu.actions()[0].text() == "Copy picture"
    menu.close()


def test_the_neuron_card_window_exports_and_has_the_menu(window, qtbot, tmp_path):
    card = window.actions.trigger("open_neuron_card", 1, 0)
    qtbot.waitUntil(lambda: card.isVisible() and card.width() > 100, timeout=10000)
    card.activateWindow()
    qtbot.waitUntil(lambda: card in window.view_menus.attached, timeout=5000)
    path = window.actions.trigger("export_view", "neuron_card", str(tmp_path / "card.png"), 2)
    assert png_size(path) == (2 * card.width(), 2 * card.height())
    QApplication.sendEvent(card, QContextMenuEvent(QContextMenuEvent.Mouse, QPoint(5, 5), card.mapToGlobal(QPoint(5, 5))))
    assert window.view_menus.last_menu.isVisible()
    window.view_menus.last_menu.close()


def test_a_2x_plot_is_the_whole_plot_laid_out_again(qtbot, window):
    """Painting a plot's view through a scaled painter zoomed its scene in: the x-axis title was
    cut and a strip of the plot below showed along the bottom (a 1366x768 walkthrough). The 2x
    picture, shrunk back, must look like the 1x one, where everything sits."""
    from gui.ground.view_export import widget_image
    window.tabs.setCurrentIndex(0)
    plot = window.tabs.training.loss_plot
    qtbot.waitUntil(lambda: plot.isVisible() and plot.width() > 100, timeout=3000)
    double, single = widget_image(plot, 2), widget_image(plot, 1)
    assert (double.width(), double.height()) == (plot.width() * 2, plot.height() * 2)

    def grey(image):
        return np.array([[image.pixelColor(x, y).lightness() for x in range(image.width())]
                         for y in range(image.height())], float)
    small = np.asarray(Image.fromarray(grey(double).astype(np.uint8)).resize((single.width(), single.height()),
                                                                           Image.BOX), float)
    one = grey(single)

    def axis_row(g):          # the x axis: the row with the longest run of dark pixels
        return int(np.argmax((g < 160).sum(axis=1)))

    def axis_column(g):       # the y axis likewise
        return int(np.argmax((g < 160).sum(axis=0)))

    # the axes at the same places: the zoomed picture had moved them by several pixels
    assert abs(axis_row(small) - axis_row(one)) <= 1 and abs(axis_column(small) - axis_column(one)) <= 1


