"""core.data.my_drawings.archive: a project's zip round-trips with its class names, maps classes by
name into another project (adding the missing ones), takes a My digits zip as classes "0".."9",
and My digits refuses a project's zip (real zips in tmp_path)."""
import zipfile

import numpy as np
import pytest

from core.data.my_digits.archive import export_zip, import_zip
from core.data.my_digits.entry import MyDigitsError
from core.data.my_digits.store import MyDigits
from core.data.my_drawings.archive import export_project, import_project
from core.data.my_drawings.project import create_project
from core.drawing.strokes import prepare_strokes
from tests.core.data.my_drawings.shapes import shape_strokes


def keep(project, label, seed, shape="circle"):
    strokes = shape_strokes(shape, seed)
    return project.keep(label, strokes, prepare_strokes(strokes))


def test_a_project_zip_round_trips_and_maps_classes_by_name(tmp_path):
    source = create_project("shapes", ["circle", "square"], root=tmp_path)
    circle, square = keep(source, 0, 1), keep(source, 1, 2, "square")
    archive = tmp_path / "shapes.zip"
    assert export_project(source, archive) == 2
    assert "my_drawings/project.json" in zipfile.ZipFile(archive).namelist()
    target = create_project("mine", ["Square", "star"], root=tmp_path)
    report = import_project(target, archive)
    assert len(report.added) == 2 and report.skipped == []
    assert target.class_names == ["Square", "star", "circle"]            # circle added, square matched
    labels = {entry.id: entry.label for entry in target.list()}
    assert labels[square.id] == 0 and labels[circle.id] == 2
    images = {entry.id: image for entry, image in zip(target.list(), target.load()[0])}
    np.testing.assert_array_equal(images[circle.id], source.load()[0][[e.id for e in source.list()].index(circle.id)])


def test_my_digits_refuses_a_project_zip_and_keeps_what_it_had(tmp_path):
    source = create_project("shapes", ["circle", "square"], root=tmp_path)
    keep(source, 1, 0, "square")
    export_project(source, tmp_path / "shapes.zip")
    digits = MyDigits(tmp_path / "digits")
    keep(digits, 7, 3)
    with pytest.raises(MyDigitsError, match="a My drawings project"):
        import_zip(digits, tmp_path / "shapes.zip")
    assert [e.label for e in digits.list()] == [7]


def test_a_my_digits_zip_imports_as_digit_classes(tmp_path):
    digits = MyDigits(tmp_path / "digits")
    keep(digits, 7, 3)
    export_zip(digits, tmp_path / "digits.zip")
    project = create_project("letters", ["a", "b"], root=tmp_path)
    report = import_project(project, tmp_path / "digits.zip")
    assert len(report.added) == 1 and project.class_names == ["a", "b", *[str(d) for d in range(10)]]
    assert project.list()[0].label == project.class_names.index("7")


def test_a_zip_whose_class_names_cannot_be_used_is_refused_before_anything_changes(tmp_path):
    archive = tmp_path / "bad.zip"
    with zipfile.ZipFile(archive, "w") as out:
        out.writestr("my_drawings/project.json",
                     '{"format": "digitlab-my-drawings", "version": 1, "class_names": ["ok", "a/b"]}')
    project = create_project("p", ["x", "y"], root=tmp_path)
    with pytest.raises(MyDigitsError, match="'/'"):
        import_project(project, archive)
    assert project.class_names == ["x", "y"] and len(project) == 0
    with pytest.raises(MyDigitsError, match="not a zip file"):
        import_project(project, project.folder / "project.json")


def test_a_project_exported_as_an_image_folder_reads_back_as_the_same_classes(tmp_path):
    from core.data.my_drawings.archive import export_image_folder
    from core.drawing.image_input import load_images_for_model
    from core.drawing.shapes import make_shapes
    source = create_project("shapes", ["circle", "square", "triangle"], root=tmp_path)
    for shape in make_shapes(3, seed=2)[:9]:
        source.keep(shape.label, shape.strokes, prepare_strokes(shape.strokes), shape.gray)
    assert export_image_folder(source, tmp_path / "folder") == 9
    assert sorted(p.name for p in (tmp_path / "folder").iterdir()) == ["circle", "square", "triangle"]
    dataset = load_images_for_model(tmp_path / "folder")               # what `train --images` reads
    assert dataset.class_names == ["circle", "square", "triangle"]
    assert len(dataset.train_labels) + len(dataset.test_labels) == 9
    with pytest.raises(MyDigitsError, match="not an empty folder"):   # nothing is overwritten
        export_image_folder(source, tmp_path / "folder")
