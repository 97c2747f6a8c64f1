"""core.data.my_digits.store: keeping the user's own drawings as a dataset, on real files."""
import json

import numpy as np
import pytest
from PIL import Image

from core.data.my_digits.entry import MyDigitsError
from core.data.my_digits.store import MyDigits
from core.drawing.strokes import prepare_strokes, render_drawing
from tests.core.data.my_digits.helpers import blank_png, entry_json, seven_strokes, zero_strokes


@pytest.fixture
def store(tmp_path):
    return MyDigits(tmp_path / "my_digits")


def test_keep_writes_image_strokes_and_drawing_and_loads_as_a_dataset(store):
    strokes = seven_strokes()
    prepared = prepare_strokes(strokes)
    entry = store.keep(7, strokes, prepared, render_drawing(strokes))
    store.keep(0, zero_strokes(), prepare_strokes(zero_strokes()), render_drawing(zero_strokes()))
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


def test_oversized_or_too_deep_files_in_the_folder_are_listed_as_unreadable_not_decoded(store):
    """At the app's start the gallery lists the folder: a 13000x13000 drawing (raised the app
    from 173 MB to 979 MB), a prepared image of another size, a JSON nested 100,000 deep are
    each reported with their reason; the good entry loads."""
    good = store.keep(2, seven_strokes(), prepare_strokes(seven_strokes()))
    big_drawing, big_prepared, deep = "20260101T000000-aaaaaa", "20260101T000001-bbbbbb", "20260101T000002-cccccc"
    for digit_id in (big_drawing, big_prepared):
        (store.folder / f"{digit_id}.json").write_text(entry_json(digit_id))
    (store.folder / f"{big_drawing}.prepared.png").write_bytes(blank_png(28, 28))
    (store.folder / f"{big_drawing}.drawing.png").write_bytes(blank_png(13000, 13000))
    (store.folder / f"{big_prepared}.prepared.png").write_bytes(blank_png(5000, 5000))
    (store.folder / f"{deep}.json").write_text("[" * 100_000 + "]" * 100_000)
    entries, bad = store.entries()
    assert [e.id for e in entries] == [good.id]
    reasons = dict(bad)
    assert "13000x13000" in reasons[f"{big_drawing}.json"]
    assert "5000x5000" in reasons[f"{big_prepared}.json"]
    assert "nested" in reasons[f"{deep}.json"]
    assert store.load()[1].tolist() == [2]


def test_keep_refuses_an_oversized_drawing_and_keeps_none_without_one(store):
    with pytest.raises(MyDigitsError, match="limit"):
        store.keep(7, seven_strokes(), prepare_strokes(seven_strokes()), np.zeros((2000, 30), np.uint8))
    entry = store.keep(7, seven_strokes(), prepare_strokes(seven_strokes()))
    assert not store.drawing_path(entry.id).exists() and [e.id for e in store.list()] == [entry.id]
