"""Data > Images from a folder: a folder with a subfolder per class loads as the data (class names
from the subfolders, any size and polarity, 28x28 like a drawing), skipped files are named, and a
folder that cannot be used is one sentence with the data loaded before kept (real PNGs in tmp_path)."""
import numpy as np
import pytest
from PIL import Image
from PyQt5.QtWidgets import QMessageBox

from core.drawing.shapes import make_shapes

pytestmark = pytest.mark.usefixtures("themed_app")


def write_folder(root, per_class=4):
    """root/<shape>/<i>.png: generated shapes, every other one light on dark and at another size."""
    for index, shape in enumerate(make_shapes(per_class, seed=5)):
        folder = root / shape.name
        folder.mkdir(parents=True, exist_ok=True)
        picture = shape.gray if index % 2 else 255 - shape.gray
        Image.fromarray(picture).resize((90 + 10 * index, 90 + 10 * index)).save(folder / f"{index}.png")
    return sorted(p.name for p in root.iterdir())


def one_class(root):
    """root/circle/0.png only: a folder of one class."""
    (root / "circle").mkdir()
    Image.fromarray(make_shapes(1, seed=1)[0].gray).save(root / "circle" / "0.png")


def load(qtbot, window, folder):
    with qtbot.waitSignal(window.dataset_loaded, timeout=20000) as blocker:
        window.actions.trigger("load_data", "images", str(folder))
    return blocker.args[0]


def test_a_folder_of_class_subfolders_is_the_data_with_their_names(qtbot, shown_window, tmp_path):
    names = write_folder(tmp_path / "shapes")
    (tmp_path / "shapes" / "square" / "notes.png").write_bytes(b"not a picture")
    dataset = load(qtbot, shown_window, tmp_path / "shapes")
    assert dataset.class_names == names and dataset.image_shape == (28, 28)
    assert len(dataset.train_labels) + len(dataset.test_labels) == 4 * len(names)
    assert np.bincount(dataset.test_labels, minlength=len(names)).min() >= 1
    panel = shown_window.dataset_panel
    assert panel.status.text().startswith(f"Loaded ") and "28x28" in panel.status.text()
    assert panel.notice.isVisible() and panel.notice.text().startswith("1 file skipped (square/notes.png:")
    assert shown_window.tabs.data.isEnabled()
    config = shown_window.form.config()          # MNIST's settings did not fit 16 images: the drawings set-up
    assert config.layers.endswith(f"dense{len(names)}") and config.batch_size <= 16 and not shown_window.form.error()
    assert "set-up for drawn classes" in shown_window.statusBar().currentMessage()
    with qtbot.waitSignal(shown_window.run_finished, timeout=60000) as finished:
        shown_window.actions.trigger("start")    # and Start trains on the folder
    assert finished.args == ["finished"] and list(shown_window.state.start.class_names) == names


@pytest.mark.parametrize("make, says", [
    (lambda root: (root / "a.png").write_bytes(b"x"), "subfolder"),
    (lambda root: None, "empty"),
    (lambda root: one_class(root), "only one class subfolder"),
])
def test_a_folder_that_cannot_be_used_is_one_sentence_and_the_data_stays(qtbot, shown_window, tmp_path, make, says):
    write_folder(tmp_path / "good")
    before = load(qtbot, shown_window, tmp_path / "good")
    qtbot.waitUntil(lambda: not shown_window.data.busy)   # the loader's thread has ended: one load at a time
    bad = tmp_path / "bad"
    bad.mkdir()
    make(bad)
    shown_window.actions.trigger("load_data", "images", str(bad))
    qtbot.waitUntil(lambda: any(box.isVisible() for box in shown_window.findChildren(QMessageBox)), timeout=20000)
    box = next(box for box in shown_window.findChildren(QMessageBox) if box.isVisible())
    assert says in box.text() and "Traceback" not in box.text() and "\n" not in box.text().strip()
    assert shown_window.dataset is before and shown_window.dataset.class_names == before.class_names
    assert shown_window.dataset_panel.status.text() == "Loading failed; the previous data is still in use."
