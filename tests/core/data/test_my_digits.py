"""core.data.my_digits: keeping the user's own drawings as a dataset, on real files."""
import json
import zipfile

import numpy as np
import pytest
from PIL import Image

from core.data.my_digits import MyDigits, MyDigitsError
from core.drawing.strokes import prepare_strokes


def seven_strokes(shift=0.0):
    t = np.linspace(0, 1, 20)[:, None]
    top = np.array([40.0, 50.0]) + t * np.array([150.0, 0.0])
    stem = np.array([190.0, 50.0]) + t * np.array([-90.0, 180.0])
    return [np.vstack([top, stem]) + shift]


def zero_strokes():
    t = np.linspace(0, 2 * np.pi, 60)
    return [np.column_stack([140 + 50 * np.cos(t), 140 + 90 * np.sin(t)])]


@pytest.fixture
def store(tmp_path):
    return MyDigits(tmp_path / "my_digits")


def test_keep_writes_image_strokes_and_drawing_and_loads_as_a_dataset(store):
    strokes = seven_strokes()
    prepared = prepare_strokes(strokes)
    entry = store.keep(7, strokes, prepared)
    store.keep(0, zero_strokes(), prepare_strokes(zero_strokes()))
    assert entry.label == 7
    files = sorted(p.name for p in store.folder.iterdir())
    assert files == sorted([f"{entry.id}.json", f"{entry.id}.prepared.png", f"{entry.id}.drawing.png"]
                           + [f"{e.id}{s}" for e in store.list() if e.id != entry.id
                              for s in (".json", ".prepared.png", ".drawing.png")])
    saved = np.asarray(Image.open(store.prepared_path(entry.id)))
    np.testing.assert_array_equal(saved, np.rint(prepared * 255).astype(np.uint8))
    drawing = np.asarray(Image.open(store.drawing_path(entry.id)).convert("L"))
    assert drawing.min() == 0 and np.median(drawing) == 255            # dark ink on white paper
    record = json.loads(store.folder.joinpath(f"{entry.id}.json").read_text())
    np.testing.assert_allclose(record["strokes"][0], strokes[0], atol=0.01)
    images, labels = store.load()
    assert images.dtype == np.uint8 and images.shape == (2, 28, 28)
    assert sorted(labels.tolist()) == [0, 7]
    dataset = store.as_dataset()
    assert dataset.image_shape == (28, 28) and len(dataset.test_labels) == 2 and dataset.n_classes == 10


def test_relabel_and_delete(store):
    a = store.keep(1, seven_strokes(), prepare_strokes(seven_strokes()))
    b = store.keep(7, seven_strokes(5.0), prepare_strokes(seven_strokes(5.0)))
    store.relabel(a.id, 7)
    assert {e.id: e.label for e in store.list()} == {a.id: 7, b.id: 7}
    store.delete(b.id)
    assert [e.id for e in store.list()] == [a.id]
    assert not store.prepared_path(b.id).exists() and not store.drawing_path(b.id).exists()
    with pytest.raises(MyDigitsError, match="no kept digit"):
        store.delete(b.id)
    with pytest.raises(MyDigitsError, match="0-9"):
        store.relabel(a.id, 12)


def test_bad_input_to_keep_is_refused_and_writes_nothing(store):
    with pytest.raises(MyDigitsError, match="0-9"):
        store.keep(10, seven_strokes(), prepare_strokes(seven_strokes()))
    with pytest.raises(MyDigitsError, match="28x28"):
        store.keep(7, seven_strokes(), np.zeros((8, 8)))
    with pytest.raises(MyDigitsError, match="no strokes"):
        store.keep(7, [], np.zeros((28, 28)))
    assert not store.folder.exists() or not any(store.folder.iterdir())


def test_export_then_import_into_another_store_round_trips(store, tmp_path):
    kept = [store.keep(d, s, prepare_strokes(s)) for d, s in ((7, seven_strokes()), (0, zero_strokes()))]
    archive = tmp_path / "class.zip"
    assert store.export_zip(archive) == 2
    other = MyDigits(tmp_path / "other")
    report = other.import_zip(archive)
    assert sorted(report.added) == sorted(e.id for e in kept) and report.skipped == []
    np.testing.assert_array_equal(other.load()[0], store.load()[0])
    # importing the same zip again adds nothing and says why
    again = other.import_zip(archive)
    assert again.added == [] and all("already kept" in why for _, why in again.skipped)
    assert len(other) == 2


def test_import_of_bad_and_foreign_files_names_them_and_keeps_everything(store, tmp_path):
    good = MyDigits(tmp_path / "teacher")
    entry = good.keep(3, seven_strokes(), prepare_strokes(seven_strokes()))
    good.export_zip(tmp_path / "good.zip")
    mine = store.keep(5, zero_strokes(), prepare_strokes(zero_strokes()))
    mixed = tmp_path / "mixed.zip"
    with zipfile.ZipFile(tmp_path / "good.zip") as source, zipfile.ZipFile(mixed, "w") as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info))
        out.writestr("notes.txt", "hello")
        out.writestr("my_digits/20260101T000000-abcdef.json", "{not json")
        bad_label = {"format": "digitlab-my-digit", "id": "20260101T000001-abcdef", "label": 42,
                     "strokes": [[[0, 0], [1, 1]]]}
        out.writestr("my_digits/20260101T000001-abcdef.json", json.dumps(bad_label))
        no_image = dict(bad_label, id="20260101T000002-abcdef", label=4)
        out.writestr("my_digits/20260101T000002-abcdef.json", json.dumps(no_image))
    report = store.import_zip(mixed)
    assert report.added == [entry.id]
    reasons = dict(report.skipped)
    assert reasons["notes.txt"] == "not a My digits file"
    assert "not valid JSON" in reasons["20260101T000000-abcdef.json"]
    assert "0-9" in reasons["20260101T000001-abcdef.json"]
    assert "missing" in reasons["20260101T000002-abcdef.json"]
    assert "skipped 4" in report.summary() and "notes.txt" in report.summary()
    assert {e.id for e in store.list()} == {mine.id, entry.id}       # nothing kept was lost
    (tmp_path / "junk.zip").write_bytes(b"this is no zip")
    with pytest.raises(MyDigitsError, match="not a zip"):
        store.import_zip(tmp_path / "junk.zip")
    assert {e.id for e in store.list()} == {mine.id, entry.id}


def test_a_damaged_entry_on_disk_is_reported_not_fatal(store):
    entry = store.keep(2, seven_strokes(), prepare_strokes(seven_strokes()))
    (store.folder / "20260101T000000-abcdef.json").write_text("{broken")
    good, bad = store.entries()
    assert [e.id for e in good] == [entry.id]
    assert bad and bad[0][0] == "20260101T000000-abcdef.json"
    assert store.load()[1].tolist() == [2]


def test_default_folder_is_the_users_my_digits_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path))
    assert MyDigits().folder == tmp_path / "data" / "my_digits"
    assert len(MyDigits()) == 0 and MyDigits().load()[0].shape == (0, 28, 28)
