"""My digits on the Draw tab, with real widgets, real mouse strokes and real files in tmp_path."""
import json
import zipfile

import pytest
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QMessageBox

from core.data.my_digits.store import MyDigits
from core.storage import user_dirs
from gui.draw.draw_panel import DrawPanel
from gui.my_digits.panel import MyDigitsPanel
from tests.gui.my_digits.helpers import draw_label

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture
def panel(qtbot):
    draw = DrawPanel()
    panel = MyDigitsPanel(draw)
    draw.resize(820, 460)
    qtbot.addWidget(draw)
    qtbot.addWidget(panel)
    draw.show()
    panel.show()
    qtbot.waitExposed(draw)
    return panel


def files_of(folder):
    return sorted(p.name for p in folder.iterdir()) if folder.is_dir() else []


def test_pressing_7_after_drawing_keeps_it_on_disk_and_in_the_gallery(panel, qtbot, tmp_path):
    assert panel.store.folder == user_dirs.my_digits_dir()
    assert str(panel.store.folder).startswith(str(tmp_path))          # DIGITLAB_HOME of the test
    canvas = panel.canvas
    draw_label(canvas, 7)
    assert not canvas.is_empty()
    canvas.setFocus()
    qtbot.keyClick(canvas, Qt.Key_7)
    names = files_of(panel.store.folder)
    assert len(names) == 3
    (json_name,) = [n for n in names if n.endswith(".json")]
    digit_id = json_name[:-5]
    assert f"{digit_id}.prepared.png" in names and f"{digit_id}.drawing.png" in names
    record = json.loads((panel.store.folder / json_name).read_text())
    assert record["label"] == 7 and len(record["strokes"]) == len(panel.store.get(digit_id).strokes) >= 1
    images, labels = panel.store.load()
    assert images.shape == (1, 28, 28) and labels.tolist() == [7] and images.max() > 200
    assert canvas.is_empty()                                           # ready for the next one
    assert panel.gallery.labels() == [7] and panel.gallery.ids() == [digit_id]
    assert "Kept as 7" in panel.confirmation.text()
    qtbot.keyClick(canvas, Qt.Key_3)                                   # nothing drawn: nothing kept
    assert len(panel.store) == 1 and "Draw a digit first" in panel.confirmation.text()


def test_label_buttons_relabel_and_delete_change_the_files(panel, qtbot):
    for label in (1, 4):
        draw_label(panel.canvas, label, seed=label)
        qtbot.mouseClick(panel.label_buttons[label], Qt.LeftButton)
    assert panel.gallery.labels() == [1, 4]
    four = panel.gallery.ids()[1]
    menu = panel.gallery.context_menu(four)
    relabel = next(a for a in menu.actions() if a.text() == "Relabel as").menu()
    next(a for a in relabel.actions() if a.text() == "0").trigger()
    assert json.loads((panel.store.folder / f"{four}.json").read_text())["label"] == 0
    assert panel.gallery.labels() == [0, 1]                            # grouped by label
    one = panel.gallery.ids()[1]
    next(a for a in panel.gallery.context_menu(one).actions() if a.text() == "Delete").trigger()
    assert not any(name.startswith(one) for name in files_of(panel.store.folder))
    assert panel.gallery.ids() == [four] and panel.store.load()[1].tolist() == [0]


def test_export_then_import_into_an_empty_store_reproduces_the_set(panel, qtbot, tmp_path):
    for label in (2, 5, 9):
        draw_label(panel.canvas, label, seed=label)
        qtbot.mouseClick(panel.label_buttons[label], Qt.LeftButton)
    archive = tmp_path / "class.zip"
    assert panel.export_to(archive) == 3
    other = MyDigitsPanel(panel.draw_panel, store=MyDigits(tmp_path / "empty"))
    qtbot.addWidget(other)
    report = other.import_from(archive)
    assert sorted(report.added) == sorted(panel.gallery.ids()) and not report.skipped
    assert other.gallery.labels() == [2, 5, 9]
    for digit_id in panel.gallery.ids():
        assert (other.store.prepared_path(digit_id).read_bytes() == panel.store.prepared_path(digit_id).read_bytes())
        assert other.store.get(digit_id).label == panel.store.get(digit_id).label


def test_a_foreign_file_in_the_zip_is_named_and_the_rest_is_kept(panel, qtbot, tmp_path):
    draw_label(panel.canvas, 6, seed=6)
    qtbot.mouseClick(panel.label_buttons[6], Qt.LeftButton)
    archive = tmp_path / "mixed.zip"
    panel.export_to(archive)
    with zipfile.ZipFile(archive, "a") as z:
        z.writestr("my_digits/holiday_photo.jpg", b"not ours")
    target = MyDigits(tmp_path / "target")
    draw_label(panel.canvas, 3, seed=3)
    already = target.keep(3, panel.canvas.strokes(), panel.store.load()[0][0])
    other = MyDigitsPanel(panel.draw_panel, store=target)
    qtbot.addWidget(other)
    report = other.import_from(archive)
    assert len(report.added) == 1 and [name for name, _ in report.skipped] == ["holiday_photo.jpg"]
    boxes = [w for w in other.findChildren(QMessageBox) if w.isVisible()]
    assert boxes and "holiday_photo.jpg" in boxes[-1].text()
    assert sorted(other.gallery.labels()) == [3, 6] and target.get(already.id).label == 3
