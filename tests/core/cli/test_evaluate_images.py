"""`python main.py evaluate --model M --images DIR`: a folder of labelled image files, real files."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.cli import main as cli_main
from core.cli.image_folder import evaluate_folder, label_from_name
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH
from tests.core.cli.test_predict import write_digit

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def folder(tmp_path):
    """Eight drawn digits (both polarities) plus files the evaluation must skip."""
    images = tmp_path / "images"
    images.mkdir()
    for digit in (0, 1, 4, 7):
        write_digit(images / f"{digit}_a.png", digit)
        write_digit(images / f"{digit}-b.png", digit, dark_on_light=False, size=(200, 260))
    (images / "notes.txt").write_text("not an image")
    (images / "3_broken.png").write_bytes(b"\x89PNG truncated")
    write_digit(images / "sample.png", 7)                      # no label in the name
    Image.fromarray(np.full((40, 40), 255, np.uint8)).save(images / "5_blank.png")
    return images


def test_label_from_name():
    assert label_from_name("7_anything.png") == 7
    assert label_from_name("7.png") == 7 and label_from_name("0-x.jpg") == 0
    assert label_from_name("12_x.png") == 12
    assert label_from_name("x7.png") is None and label_from_name("_7.png") is None


def test_folder_evaluation_counts_and_names_what_it_skipped(folder):
    network, metadata = load_model(DEFAULT_MODEL_PATH)
    result = evaluate_folder(folder, network, metadata)
    assert result["n"] == 8
    n = len(metadata["class_names"])                                    # the digits and "not a digit"
    assert result["confusion"].sum() == 8 and result["confusion"].shape == (n, n) and n == 11
    assert result["accuracy"] >= 7 / 8                                  # the drawn digits are easy
    assert set(result["per_class"]) == {"0", "1", "4", "7"}
    # the reading's verdicts are counted too (the easy drawn digits: every one read as a digit)
    from core.cli.predict import classify_file as read
    verdicts = [read(folder / name, network, metadata)[0]["verdict"] for name, _, _ in result["files"]]
    assert result["flagged"] == {"not a digit": verdicts.count("not a digit"), "not sure": verdicts.count("not sure")}
    assert all(row["n"] == 2 for row in result["per_class"].values())
    reasons = dict(result["skipped"])
    assert set(reasons) == {"notes.txt", "3_broken.png", "sample.png", "5_blank.png"}
    assert "no label" in reasons["notes.txt"] and "no label" in reasons["sample.png"]
    assert "blank" in reasons["5_blank.png"]
    # each image went through predict's preparation: the same answer as predict gives for it
    from core.cli.predict import classify_file
    for name, label, predicted in result["files"]:
        assert classify_file(folder / name, network, metadata)[0]["digit"] == predicted


def test_cli_text_and_json(folder, capsys):
    assert cli_main(["evaluate", "--model", str(DEFAULT_MODEL_PATH), "--images", str(folder)]) == 0
    out, err = capsys.readouterr()
    assert "accuracy" in out and "per digit" in out and "rows: true class" in out and "4 skipped" in out
    assert "skipped notes.txt" in err and "skipped 3_broken.png" in err
    assert cli_main(["evaluate", "--model", str(DEFAULT_MODEL_PATH), "--images", str(folder), "--json"]) == 0
    out, err = capsys.readouterr()
    data = json.loads(out)
    assert data["n"] == 8 and data["n_skipped"] == 4 and len(data["confusion"]) == 11
    assert set(data["flagged"]) == {"not a digit", "not sure"}
    assert data["per_class"]["7"]["n"] == 2 and 0 <= data["accuracy"] <= 1
    assert {s["file"] for s in data["skipped"]} == {"notes.txt", "3_broken.png", "sample.png", "5_blank.png"}


def test_a_folder_without_labelled_images_or_missing_is_one_clear_line(tmp_path):
    (tmp_path / "empty").mkdir()
    write_digit(tmp_path / "empty" / "unlabelled.png", 7)
    for target, message in ((tmp_path / "empty", "no labelled images"), (tmp_path / "missing", "no such folder")):
        process = subprocess.run([sys.executable, "main.py", "evaluate", "--model", str(DEFAULT_MODEL_PATH),
                                  "--images", str(target)], cwd=ROOT, capture_output=True, text=True)
        assert process.returncode == 2
        assert message in process.stderr and "Traceback" not in process.stderr


def test_a_my_digits_folder_is_evaluated_with_its_kept_labels(tmp_path):
    from core.data.my_digits.store import MyDigits
    from core.drawing.strokes import prepare_strokes
    from tests.core.cli.test_predict import SHAPES
    store = MyDigits(tmp_path / "my_digits")
    for digit in (0, 1, 4, 7):
        strokes = [np.asarray(s, dtype=float) * 200 + 40 for s in SHAPES[digit]]
        store.keep(digit, strokes, prepare_strokes(strokes))
    network, metadata = load_model(DEFAULT_MODEL_PATH)
    result = evaluate_folder(store.folder, network, metadata)
    assert result["n"] == 4 and result["skipped"] == []
    assert sorted(label for _, label, _ in result["files"]) == [0, 1, 4, 7]
    assert result["accuracy"] >= 0.75


def test_a_drawing_the_model_reads_as_no_digit_is_counted(tmp_path):
    """A dash labelled 3: its top class counts in the accuracy, and its verdict in 'flagged'."""
    images = tmp_path / "images"
    images.mkdir()
    write_digit(images / "7_a.png", 7)
    page = np.full((220, 300), 255, np.uint8)
    page[105:117, 40:260] = 0                                      # a thick horizontal dash
    Image.fromarray(page).save(images / "3_dash.png")
    network, metadata = load_model(DEFAULT_MODEL_PATH)
    result = evaluate_folder(images, network, metadata)
    assert result["n"] == 2 and result["flagged"]["not a digit"] == 1
    assert dict((name, predicted) for name, _, predicted in result["files"])["3_dash.png"] == 10
