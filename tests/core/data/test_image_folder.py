"""A folder of images as a dataset (ImageFolder layout, the digit case) and every bad folder's one sentence."""
import numpy as np
import pytest
from PIL import Image

from core.data.class_names import check_class_names, class_name_problem
from core.data.image_folder import load_image_folder, scan_image_folder
from core.drawing.image_input import canvas_preparation, load_images_for_model
from core.drawing.shapes import make_shapes
from core.errors import DatasetError


def save(path, gray):
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.fromarray(gray).save(path)


def shape_folder(root, per_class=4, names=("circle", "square", "triangle"), seed=0):
    for index, shape in enumerate(make_shapes(per_class, seed)):
        if shape.label < len(names):
            save(root / names[shape.label] / f"{index}.png", shape.gray)
    return root


def test_one_subfolder_per_class_any_size_either_polarity(tmp_path):
    shape_folder(tmp_path)
    circle = make_shapes(1, 5)[0].gray
    # the same circle 4x smaller and light on dark: prepared, it is the same 28x28 picture
    small_inverted = 255 - np.asarray(Image.fromarray(circle).resize((70, 70), Image.BOX))
    save(tmp_path / "circle" / "nested" / "small.png", small_inverted)
    save(tmp_path / "circle" / "big.png", circle)
    skipped = []
    dataset = load_images_for_model(tmp_path, (28, 28), test_fraction=0.25, seed=1, skipped=skipped)
    assert dataset.class_names == ["circle", "square", "triangle"]
    assert len(dataset.train_labels) + len(dataset.test_labels) == 14
    assert np.bincount(dataset.test_labels).tolist() == [2, 1, 1]      # round(0.25 * count) per class
    assert dataset.train_images.dtype == np.uint8 and dataset.image_shape == (28, 28)
    assert skipped == []
    prepare = canvas_preparation((28, 28))
    a, b = prepare(circle), prepare(small_inverted)
    assert np.abs(a - b).mean() < 0.05 and a.max() > 0.9


def test_train_and_test_subfolders_give_the_test_set(tmp_path):
    shape_folder(tmp_path / "train", per_class=3)
    shape_folder(tmp_path / "test", per_class=2, seed=1)
    dataset = load_image_folder(tmp_path, canvas_preparation((20, 20)))
    assert (len(dataset.train_labels), len(dataset.test_labels)) == (9, 6)
    assert dataset.image_shape == (20, 20) and "train-test" in dataset.source


def test_the_digit_case_with_label_prefixed_files_keeps_working(tmp_path):
    shapes = make_shapes(1, 0)
    save(tmp_path / "3_a.png", shapes[0].gray)
    save(tmp_path / "7.png", shapes[1].gray)
    save(tmp_path / "7-b.jpg", shapes[2].gray)
    save(tmp_path / "notes.png", shapes[3].gray)
    skipped = []
    dataset = load_images_for_model(tmp_path, test_fraction=0, skipped=skipped)
    assert dataset.class_names == [str(d) for d in range(10)]
    assert sorted(dataset.train_labels.tolist()) == [3, 7, 7]
    assert [name for name, _ in skipped] == ["notes.png"]


def test_unreadable_and_blank_images_are_skipped_with_their_reason(tmp_path):
    shape_folder(tmp_path)
    (tmp_path / "square" / "broken.png").write_bytes(b"\x89PNG\r\n\x1a\n not really")
    (tmp_path / "square" / "readme.txt").write_text("hello")
    save(tmp_path / "triangle" / "blank.png", np.full((50, 50), 255, np.uint8))
    (tmp_path / "triangle" / ".DS_Store").write_bytes(b"\0")
    skipped = []
    dataset = load_images_for_model(tmp_path, skipped=skipped)
    reasons = dict(skipped)
    assert set(reasons) == {"square/broken.png", "square/readme.txt", "triangle/blank.png"}
    assert "blank" in reasons["triangle/blank.png"]
    assert len(dataset.train_labels) + len(dataset.test_labels) == 12


@pytest.mark.parametrize("make, message", [
    (lambda root: None, "no such folder"),
    (lambda root: root.mkdir(), "is empty: put one subfolder per class"),
    (lambda root: save(root / "circle.png", make_shapes(1)[0].gray), "holds files but no class subfolders"),
    (lambda root: shape_folder(root, names=("circle",)), "only one class subfolder ('circle')"),
    (lambda root: (shape_folder(root), (root / "star").mkdir()), "class 'star' has no images"),
    (lambda root: (shape_folder(root), (root / "star").mkdir(), (root / "star" / "x.png").write_text("no")),
     "no usable image in class 'star'"),
])
def test_a_bad_folder_gets_one_clear_sentence(tmp_path, make, message):
    root = tmp_path / "data"
    make(root)
    with pytest.raises(DatasetError, match=message.replace("(", r"\(").replace(")", r"\)")) as error:
        load_images_for_model(root)
    assert "\n" not in str(error.value) and "Traceback" not in str(error.value)


def test_scanning_reads_no_image_and_writes_nothing(tmp_path):
    shape_folder(tmp_path)
    before = sorted(p.name for p in tmp_path.rglob("*"))
    scan = scan_image_folder(tmp_path)
    assert scan.layout == "classes" and len(scan.train) == 12
    load_images_for_model(tmp_path)
    assert sorted(p.name for p in tmp_path.rglob("*")) == before


@pytest.mark.parametrize("name, fragment", [
    ("a/b", "cannot contain '/'"), ("  ", "cannot be empty"), ("CON", "reserved by Windows"),
    ("x.", "cannot end with a dot"), ("what?", "cannot contain '?'"), ("a" * 65, "at most 64")])
def test_class_names_that_are_not_file_names_are_refused(name, fragment):
    assert fragment in class_name_problem(name)
    with pytest.raises(DatasetError, match=fragment.replace("?", r"\?")):
        check_class_names([name, "ok"])


def test_good_class_names_pass_and_twins_are_refused():
    assert check_class_names([" + ", "-", "x", "star", "é"]) == ["+", "-", "x", "star", "é"]
    with pytest.raises(DatasetError, match="differ only in case"):
        check_class_names(["Star", "star"])
    with pytest.raises(DatasetError, match="given twice"):
        check_class_names(["a", "a"])
    with pytest.raises(DatasetError, match="at least two classes"):
        check_class_names(["a"])
