"""core.data.my_drawings: a project with the user's class names, kept drawings per class, its
classes edited without losing a drawing, and the project as a Dataset (real files in tmp_path)."""
import numpy as np
import pytest

from core.data.my_digits.entry import MyDigitsError
from core.data.my_drawings.classes import ClassNameError, check_class_names, parse_class_list
from core.data.my_drawings.project import (NotReadyError, MyDrawings, create_project, list_projects,
                                           open_project)
from core.drawing.strokes import prepare_strokes
from tests.core.data.my_drawings.shapes import shape_strokes


def keep(project, label, seed):
    strokes = shape_strokes(project.class_names[label], seed)
    return project.keep(label, strokes, prepare_strokes(strokes))


@pytest.fixture
def project(tmp_path):
    return create_project("shapes", ["circle", "square", "triangle"], root=tmp_path)


@pytest.mark.parametrize("names, says", [
    (["a", ""], "cannot be empty"), (["a/b", "c"], "'/'"), (["x", "X"], "'x' and 'X' differ only in case"),
    (["ok", "con"], "reserved by Windows"), (["dot.", "b"], "cannot end with a dot"),
    (["tab\there", "b"], "'\\t'"), (["a" * 70, "b"], "at most 64"), ([str(i) for i in range(31)], "more than the 30"),
])
def test_invalid_class_names_are_refused_with_the_reason(names, says):
    with pytest.raises(ClassNameError) as error:
        check_class_names(names)
    assert says in str(error.value)


def test_class_list_text_is_split_on_commas_and_trimmed():
    assert parse_class_list(" circle, + ,-,, x ") == ["circle", "+", "-", "x"]


def test_a_project_keeps_drawings_per_class_and_reopens_with_its_names(project, tmp_path):
    kept = [keep(project, label, seed) for label in range(3) for seed in range(2)]
    again = open_project("shapes", root=tmp_path)
    assert again.class_names == ["circle", "square", "triangle"] and list_projects(tmp_path) == ["shapes"]
    assert sorted(e.id for e in again.list()) == sorted(e.id for e in kept)
    assert again.counts().tolist() == [2, 2, 2]
    with pytest.raises(MyDigitsError, match="class number 0-2"):
        project.keep(3, shape_strokes("circle"), prepare_strokes(shape_strokes("circle")))
    assert len(project) == 6


def test_a_taken_or_bad_project_name_is_refused_and_the_first_project_is_untouched(project, tmp_path):
    keep(project, 0, 0)
    with pytest.raises(ClassNameError, match="already a project called 'shapes'"):
        create_project("shapes", ["a", "b"], root=tmp_path)
    with pytest.raises(ClassNameError, match="the project name 'what\\?' cannot contain '\\?'"):
        create_project("what?", ["a", "b"], root=tmp_path)
    assert open_project("shapes", root=tmp_path).class_names == ["circle", "square", "triangle"]
    assert len(open_project("shapes", root=tmp_path)) == 1


def test_renaming_keeps_the_drawings_removing_a_class_with_drawings_is_refused(project):
    entry = keep(project, 2, 0)
    project.rename_class(2, "tri")
    assert project.class_names[2] == "tri" and project.get(entry.id).label == 2
    with pytest.raises(ClassNameError, match="'tri' still has 1 drawing: delete or relabel"):
        project.remove_class(2)
    with pytest.raises(ClassNameError, match="differ only in case"):
        project.rename_class(0, "Square")
    assert MyDrawings(project.folder).class_names == ["circle", "square", "tri"]


def test_removing_an_empty_class_moves_the_later_drawings_down_one_label(project):
    later = keep(project, 2, 0)
    project.remove_class(1)
    reopened = MyDrawings(project.folder)
    assert reopened.class_names == ["circle", "triangle"] and reopened.get(later.id).label == 1


@pytest.mark.parametrize("classes, counts, says", [
    (["only"], [3], "at least two classes"),
    (["a", "b", "c"], [3, 0, 0], "'b' and 'c' have no drawings yet"),
    (["a", "b"], [3, 1], "'b' needs at least 2 drawings"),
])
def test_a_project_not_ready_to_train_says_what_to_draw(tmp_path, classes, counts, says):
    project = create_project("p", classes, root=tmp_path)
    for label, count in enumerate(counts):
        for seed in range(count):
            strokes = shape_strokes("circle", seed)
            project.keep(label, strokes, prepare_strokes(strokes))
    assert says in project.readiness()
    with pytest.raises(NotReadyError, match=says):
        project.as_dataset()


def test_the_dataset_holds_out_a_share_of_every_class_with_the_project_names(project):
    for label in range(3):
        for seed in range(5):
            keep(project, label, seed)
    dataset = project.as_dataset()
    assert dataset.class_names == ["circle", "square", "triangle"] and dataset.name == "my drawings: shapes"
    assert dataset.train_images.shape == (12, 28, 28) and dataset.test_images.dtype == np.uint8
    assert np.bincount(dataset.test_labels, minlength=3).tolist() == [1, 1, 1]
    assert np.bincount(dataset.train_labels, minlength=3).tolist() == [4, 4, 4]
