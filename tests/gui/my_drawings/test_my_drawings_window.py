"""File > My drawings: a project with the user's classes, drawings kept from the canvas with a key
or a button, a gallery per class, relabel / delete / rename / remove, the zip, and every refusal a
sentence with nothing lost (real widgets offscreen, real files in tmp_path)."""
import numpy as np
import pytest
from PyQt5.QtCore import Qt

from core.drawing.shapes import draw_shape
from gui.my_drawings.window import MyDrawingsWindow
from gui.shell.my_drawings_parts import PARTS
from tests.gui.my_digits.helpers import drag

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture
def window(qtbot, tmp_path):
    window = MyDrawingsWindow(PARTS, root=tmp_path / "projects")
    qtbot.addWidget(window)
    window.show()
    return window


def draw(window, label, seed=0):
    """Drag a generated drawing of shape ``label`` over the canvas with real mouse events."""
    shape = draw_shape(label, np.random.default_rng(seed))
    scale = window.canvas.width() / 280.0
    drag(window.canvas, [np.asarray(s) * scale for s in shape.strokes])


def test_a_new_project_keeps_drawings_by_key_and_by_button_in_per_class_galleries(qtbot, window):
    assert window.new_project("shapes", "circle, square, triangle") is not None
    assert [b.text() for b in window.keep_buttons] == ["1 circle", "2 square", "3 triangle"]
    assert window.canvas.placeholder == "draw a circle, a square, … here"
    draw(window, 0)
    qtbot.keyClick(window.canvas, Qt.Key_1)                    # the key keeps it as class 1: circle
    assert window.canvas.is_empty()
    draw(window, 1, seed=1)
    qtbot.mouseClick(window.keep_buttons[1], Qt.LeftButton)      # the button keeps it as square
    assert window.canvas.hasFocus()                              # and gives the keys back to the canvas
    draw(window, 1, seed=2)
    window.undo_button.click()                                   # Undo takes the last stroke back
    assert window.canvas.is_empty()
    draw(window, 1, seed=2)
    qtbot.keyClick(window.canvas, Qt.Key_2)
    assert window.project.counts().tolist() == [1, 2, 0]
    assert [g.count() for g in window.galleries.galleries] == [1, 2, 0]
    shown = [sorted(g.ids()) for g in window.galleries.galleries]   # kept ones added in place, as on disk:
    assert window.galleries.reload() == [1, 2, 0]
    assert [sorted(g.ids()) for g in window.galleries.galleries] == shown
    assert window.galleries.headers[1].text().startswith("<b>square</b> (key 2): 2 drawings")
    assert "'triangle' has no drawings yet" in window.readiness.text() and not window.train_button.isEnabled()
    qtbot.keyClick(window.canvas, Qt.Key_3)                    # nothing drawn: a sentence, nothing kept
    assert window.notice.text() == "Draw something first, then press its class's key."
    assert window.project.counts().tolist() == [1, 2, 0]


def test_relabel_delete_rename_and_a_refused_remove_lose_nothing(window):
    window.new_project("p", "a, b, c")
    for label in (0, 0, 1):
        draw(window, label, seed=label)
        window.keep(label)
    first = window.galleries.galleries[0].ids()[0]
    menu = window.galleries.galleries[0].context_menu(first)       # right-click: Relabel as a class, Delete
    relabel = menu.actions()[0].menu()
    assert [a.text() for a in relabel.actions()] == ["a", "b", "c"] and menu.actions()[1].text() == "Delete"
    relabel.actions()[2].trigger()                                 # relabel as 'c', through the menu
    assert window.project.counts().tolist() == [1, 1, 1]
    assert window.galleries.galleries[2].ids() == [first] and window.galleries.galleries[2].item(0).text() == "c"
    window.rename_class(2, "cross")
    assert window.project.get(first).label == 2 and window.keep_buttons[2].text() == "3 cross"
    assert window.remove_class(2) is None
    assert window.last_error == "the class 'cross' still has 1 drawing: delete or relabel them first"
    window.delete(first)
    assert window.remove_class(2) and window.project.class_names == ["a", "b"]
    assert window.project.counts().tolist() == [1, 1]


@pytest.mark.parametrize("classes, says", [
    ("circle, Circle", "the class names 'circle' and 'Circle' differ only in case"),
    ("ok, a/b", "the class name 'a/b' cannot contain '/' (not allowed in file names)"),
    (" , ", "name the project's classes, separated by commas (e.g. circle, square, triangle)")])
def test_invalid_class_names_are_one_sentence_and_no_project_is_made(window, classes, says):
    assert window.new_project("bad", classes) is None
    assert says in window.last_error and window.project_combo.count() == 0
    assert not (window.root / "bad" / "project.json").exists()


def test_one_class_and_an_empty_class_say_what_to_draw_before_training(window):
    window.new_project("one", "only")
    draw(window, 0)
    window.keep(0)
    assert window.readiness.text() == "A network needs at least two classes to tell apart: add another class."
    assert not window.race_button.isEnabled()
    window.add_class("second")
    assert window.readiness.text().startswith("'second' has no drawings yet")


def test_export_and_import_carry_the_classes_and_the_drawings(window, tmp_path):
    window.new_project("shapes", "circle, square")
    for label in (0, 1):
        draw(window, label, seed=label)
        window.keep(label)
    assert window.export_to(tmp_path / "shapes.zip") == 2
    window.new_project("other", "square, star")
    report = window.import_from(tmp_path / "shapes.zip")
    assert len(report.added) == 2 and report.skipped == []
    assert window.project.class_names == ["square", "star", "circle"]
    assert window.project.counts().tolist() == [1, 0, 1]
    assert window.import_from(tmp_path / "missing.zip") is None and "no such file" in window.last_error
    assert window.project.counts().tolist() == [1, 0, 1]
    assert [a.text() for a in window.export_button.menu().actions()][1].startswith("As a folder of images")
    assert window.export_images_to(tmp_path / "images") == 2                  # what `train --images` reads
    assert sorted(p.name for p in (tmp_path / "images").iterdir()) == ["circle", "square"]
    assert window.export_images_to(tmp_path / "images") is None and "not an empty folder" in window.last_error


@pytest.mark.parametrize("screen", ["1280x720", "1366x768"])
def test_the_window_fits_a_laptop_screen_with_every_button_in_view(qtbot, tmp_path, monkeypatch, screen):
    from gui.ground.screen_fit import fits_on_screen
    monkeypatch.setenv("DIGITLAB_SCREEN", screen)
    window = MyDrawingsWindow(PARTS, root=tmp_path / "projects")
    qtbot.addWidget(window)
    window.show()
    window.new_project("shapes", "circle, square, triangle, star, heart, plus, minus")
    qtbot.waitUntil(lambda: window.keep_buttons[-1].isVisible())
    assert fits_on_screen(window)
    for widget in (*window.keep_buttons, window.undo_button, window.train_button, window.race_button,
                   window.import_button, window.transfer_combo):
        corner = widget.mapTo(window, widget.rect().bottomRight())
        assert widget.isVisible() and window.rect().contains(corner), widget.text() if hasattr(widget, "text") else widget
    assert window.canvas.width() >= 200 and window.canvas.height() >= 200


@pytest.mark.parametrize("screen", ["1280x720", "1366x768"])
def test_on_a_laptop_the_window_leaves_the_main_windows_left_panel_in_view_and_its_start_list_on_screen(
        qtbot, tmp_path, monkeypatch, screen):
    """A walkthrough at 1366x768: the window (1100x734, centred) covered most of the main window,
    and the "Start:" list at its bottom edge opened past the bottom of the screen."""
    from PyQt5.QtCore import QPoint
    from gui.ground.screen_fit import available_geometry, fits_on_screen, outer_rect
    from gui.shell.main_window import MainWindow
    monkeypatch.setenv("DIGITLAB_SCREEN", screen)
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path / "home"))
    main = MainWindow(restore_settings=False)
    qtbot.addWidget(main)
    main.show()
    window = main.actions.trigger("my_drawings")
    window.new_project("shapes", "circle, square, triangle")
    qtbot.waitUntil(window.transfer_combo.isVisible)
    screen_rect, outer = available_geometry(window), outer_rect(window)
    # at the right edge (placed before its first show with the usual frame, then shown with the real one)
    assert fits_on_screen(window) and 0 <= screen_rect.right() - outer.right() <= 8
    assert outer.width() <= 0.66 * screen_rect.width()
    left_panel = main.left_panel
    assert left_panel.mapToGlobal(QPoint(left_panel.width(), 0)).x() <= outer.left()   # settings and Run box in view
    combo = window.transfer_combo
    list_height = combo.view().sizeHintForRow(0) * combo.count() + 2 * combo.view().frameWidth()
    assert combo.mapToGlobal(QPoint(0, combo.height())).y() + list_height <= screen_rect.bottom()
    assert window.canvas.width() >= 200 and window.canvas.height() >= 200
    for widget in (window.train_button, window.race_button, window.export_button, window.import_button):
        corner = widget.mapTo(window, widget.rect().bottomRight())
        assert widget.isVisible() and window.rect().contains(corner), widget.text()
    window.close()
    main.close()
