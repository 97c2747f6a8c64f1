"""core.data.my_digits.archive: one zip of kept digits, exported and imported on real files;
every hostile entry skipped by name without stopping the good ones."""
import json
import resource
import zipfile

import numpy as np
import pytest
from PIL import Image

from core.data.my_digits.archive import export_zip, import_zip
from core.data.my_digits.entry import MyDigitsError
from core.data.my_digits.png import MAX_DRAWING_SIDE
from core.data.my_digits.store import MyDigits
from core.drawing.strokes import MAX_PICTURE_SIDE, prepare_strokes, render_drawing
from tests.core.data.my_digits.helpers import blank_png, entry_json, seven_strokes, zero_strokes


@pytest.fixture
def store(tmp_path):
    return MyDigits(tmp_path / "my_digits")


def test_export_then_import_into_another_store_round_trips(store, tmp_path):
    kept = [store.keep(d, s, prepare_strokes(s)) for d, s in ((7, seven_strokes()), (0, zero_strokes()))]
    archive = tmp_path / "class.zip"
    assert export_zip(store, archive) == 2
    other = MyDigits(tmp_path / "other")
    report = import_zip(other, archive)
    assert sorted(report.added) == sorted(e.id for e in kept) and report.skipped == []
    np.testing.assert_array_equal(other.load()[0], store.load()[0])
    # importing the same zip again adds nothing and says why
    again = import_zip(other, archive)
    assert again.added == [] and all("already kept" in why for _, why in again.skipped)
    assert len(other) == 2


def test_import_of_bad_and_foreign_files_names_them_and_keeps_everything(store, tmp_path):
    good = MyDigits(tmp_path / "teacher")
    entry = good.keep(3, seven_strokes(), prepare_strokes(seven_strokes()))
    export_zip(good, tmp_path / "good.zip")
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
    report = import_zip(store, mixed)
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
        import_zip(store, tmp_path / "junk.zip")
    assert {e.id for e in store.list()} == {mine.id, entry.id}




def hostile_zip(tmp_path, good_store):
    """The good store's export with hostile entries whose names sort before the good one, so an
    abort on any of them would lose it."""
    export_zip(good_store, tmp_path / "good.zip")
    path = tmp_path / "hostile.zip"
    ids = {"bomb": "20000101T000000-aaaaaa", "deep": "20000101T000001-bbbbbb", "big_drawing": "20000101T000002-cccccc",
           "huge": "20000101T000003-dddddd", "far": "20000101T000004-eeeeee"}
    with zipfile.ZipFile(tmp_path / "good.zip") as source, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info in source.infolist():
            out.writestr(info.filename, source.read(info))
        # over Pillow's pixel limit (2 x 89.5 M pixels): Image.open raises DecompressionBombError
        out.writestr(f"my_digits/{ids['bomb']}.json", entry_json(ids["bomb"]))
        out.writestr(f"my_digits/{ids['bomb']}.prepared.png", blank_png(15000, 15000))
        out.writestr(f"my_digits/{ids['deep']}.json", "[" * 100_000 + "]" * 100_000)
        out.writestr(f"my_digits/{ids['big_drawing']}.json", entry_json(ids["big_drawing"]))
        out.writestr(f"my_digits/{ids['big_drawing']}.prepared.png", blank_png(28, 28))
        out.writestr(f"my_digits/{ids['big_drawing']}.drawing.png", blank_png(13000, 13000))
        out.writestr(f"my_digits/{ids['huge']}.json", " " * 3_000_000 + entry_json(ids["huge"]))
        # strokes spanning 13,000 canvas pixels and no drawing: the picture drawn again stays small
        out.writestr(f"my_digits/{ids['far']}.json", entry_json(ids["far"], strokes=[[[0, 0], [13000, 13000]]]))
        out.writestr(f"my_digits/{ids['far']}.prepared.png", blank_png(28, 28))
    return path, ids


def test_hostile_entries_are_skipped_by_name_and_the_good_ones_imported(store, tmp_path):
    teacher = MyDigits(tmp_path / "teacher")
    good = teacher.keep(3, seven_strokes(), prepare_strokes(seven_strokes()), render_drawing(seven_strokes()))
    path, ids = hostile_zip(tmp_path, teacher)
    report = import_zip(store, path, render=render_drawing)
    assert sorted(report.added) == sorted([good.id, ids["far"]])
    reasons = dict(report.skipped)
    assert "15000x15000" in reasons[f"{ids['bomb']}.json"]
    assert "nested" in reasons[f"{ids['deep']}.json"]
    assert "13000x13000" in reasons[f"{ids['big_drawing']}.json"]
    assert "too large" in reasons[f"{ids['huge']}.json"]
    assert len(report.skipped) == 4, report.skipped
    far = Image.open(store.drawing_path(ids["far"]))
    assert max(far.size) <= MAX_PICTURE_SIDE <= MAX_DRAWING_SIDE
    assert {e.id for e in store.list()} == {good.id, ids["far"]}


def test_a_damaged_drawing_is_drawn_again_from_the_strokes(store, tmp_path):
    teacher = MyDigits(tmp_path / "teacher")
    kept = teacher.keep(3, seven_strokes(), prepare_strokes(seven_strokes()), render_drawing(seven_strokes()))
    export_zip(teacher, tmp_path / "class.zip")
    damaged = tmp_path / "damaged.zip"
    with zipfile.ZipFile(tmp_path / "class.zip") as source, zipfile.ZipFile(damaged, "w") as out:
        for info in source.infolist():
            broken = info.filename.endswith(".drawing.png")
            out.writestr(info.filename, b"\x89PNG\r\n\x1a\n broken" if broken else source.read(info))
    assert import_zip(store, damaged, render=render_drawing).added == [kept.id]
    np.testing.assert_array_equal(np.asarray(Image.open(store.drawing_path(kept.id))), render_drawing(seven_strokes()))


def test_the_zip_format_is_the_one_earlier_versions_wrote(store, tmp_path):
    """A zip as the single-module my_digits.py exported it (my_digits/ID.json, .prepared.png,
    .drawing.png) still imports, and an export has the same member names."""
    digit_id = "20251126T115600-3f2a9c"
    old = tmp_path / "old.zip"
    with zipfile.ZipFile(old, "w", zipfile.ZIP_DEFLATED) as out:
        out.writestr(f"my_digits/{digit_id}.json", json.dumps(
            {"format": "digitlab-my-digit", "version": 1, "id": digit_id, "label": 7,
             "created": "2025-11-26T11:56:00", "strokes": [seven_strokes()[0].round(2).tolist()]}))
        out.writestr(f"my_digits/{digit_id}.prepared.png", blank_png(28, 28))
        out.writestr(f"my_digits/{digit_id}.drawing.png", blank_png(230, 200))
    assert import_zip(store, old).added == [digit_id]
    export_zip(store, tmp_path / "again.zip")
    with zipfile.ZipFile(tmp_path / "again.zip") as again, zipfile.ZipFile(old) as before:
        assert sorted(again.namelist()) == sorted(before.namelist())
