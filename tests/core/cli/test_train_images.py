"""`train --images DIR [--out M]`, `evaluate --model M --images DIR` and `predict` on a model of the
user's own classes; transfer with --start-from; every bad folder one line and no model file."""
import json

import numpy as np
import pytest
from PIL import Image

from core.cli import main as cli_main
from core.drawing.shapes import HELD_OUT, make_shapes
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH

NAMES = ("circle", "square", "triangle")


def write_shapes(root, per_class, seed, style=None, names=NAMES):
    shapes = make_shapes(per_class, seed) if style is None else make_shapes(per_class, seed, style)
    for index, shape in enumerate(shapes):
        if shape.label < len(names):
            (root / names[shape.label]).mkdir(parents=True, exist_ok=True)
            Image.fromarray(shape.gray).save(root / names[shape.label] / f"{index}.png")
    return root


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    """A model trained by the command on 12 drawings of each of three shapes, and held-out drawings."""
    root = tmp_path_factory.mktemp("shapes")
    train, held_out = write_shapes(root / "train", 12, 0), write_shapes(root / "held_out", 6, 1, HELD_OUT)
    (train / "square" / "broken.png").write_bytes(b"not an image")
    model = root / "shapes.npz"
    # the user folder for this one command only: a module fixture cannot use monkeypatch, and a
    # DIGITLAB_HOME left behind moved every later test's default folders
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DIGITLAB_HOME", str(root / "home"))
        assert cli_main(["train", "--images", str(train), "--out", str(model), "--epochs", "25", "--no-record"]) == 0
    return model, train, held_out


def test_train_saves_the_folder_class_names_and_says_what_it_skipped(trained, capsys):
    model, train, _ = trained
    network, metadata = load_model(model)
    assert metadata["class_names"] == list(NAMES)
    assert network.layers_text == "conv8x5,pool2,conv16x5v,pool2,dense64,dense3"   # core.settings.drawings


def test_evaluate_and_predict_answer_with_the_class_names(trained, capsys):
    model, _, held_out = trained
    (held_out / "hexagon").mkdir()                      # a class the model does not know: skipped
    Image.fromarray(make_shapes(1, 3)[0].gray).save(held_out / "hexagon" / "h.png")
    assert cli_main(["evaluate", "--model", str(model), "--images", str(held_out), "--json"]) == 0
    report = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert report["n"] == 18 and report["class_names"] == list(NAMES)
    assert set(report["per_class"]) == set(NAMES)
    assert report["accuracy"] >= 0.8
    assert [s["file"] for s in report["skipped"]] == ["hexagon/"]
    star_free = held_out / "triangle" / sorted(p.name for p in (held_out / "triangle").iterdir())[0]
    assert cli_main(["predict", "--model", str(model), str(star_free)]) == 0
    answer = json.loads(capsys.readouterr().out.strip())
    assert set(answer["probabilities"]) == set(NAMES) and answer["class"] in NAMES and answer["digit"] is None
    assert abs(sum(answer["probabilities"].values()) - 1) < 1e-3


def test_train_from_the_digit_model_frozen(tmp_path, capsys):
    train = write_shapes(tmp_path / "few", 4, 2)
    model = tmp_path / "transfer.npz"
    assert cli_main(["train", "--images", str(train), "--start-from", str(DEFAULT_MODEL_PATH), "--freeze",
                     "--epochs", "2", "--out", str(model), "--no-record"]) == 0
    network, metadata = load_model(model)
    digits, _ = load_model(DEFAULT_MODEL_PATH)
    assert network.layers_text == "conv16x5,pool2,conv32x5v,pool2,dense256,dense3"
    for index in range(4):                      # the conv layers are the digit model's, unchanged
        np.testing.assert_array_equal(network.params[index], digits.params[index])
    assert metadata["class_names"] == list(NAMES)


def bad(root, case):
    if case == "files, no subfolders":
        root.mkdir()
        Image.fromarray(make_shapes(1, 0)[0].gray).save(root / "circle.png")
    elif case == "one class":
        write_shapes(root, 2, 0, names=("circle",))
    elif case == "empty class":
        write_shapes(root, 2, 0)
        (root / "star").mkdir()
    elif case == "unreadable class":
        write_shapes(root, 2, 0)
        (root / "star").mkdir()
        (root / "star" / "a.png").write_bytes(b"\x89PNG\r\n\x1a\n cut")
    elif case == "empty folder":
        root.mkdir()


@pytest.mark.parametrize("case, message", [
    ("files, no subfolders", "holds files but no class subfolders"), ("one class", "only one class subfolder"),
    ("empty class", "class 'star' has no images"), ("unreadable class", "no usable image in class 'star'"),
    ("empty folder", "is empty"), ("missing", "no such folder")])
def test_a_bad_folder_is_one_line_and_no_model_file(tmp_path, capsys, case, message):
    root, model = tmp_path / "data", tmp_path / "m.npz"
    bad(root, case)
    model.write_bytes(b"the user's earlier model")
    before = sorted(str(p) for p in tmp_path.rglob("*"))
    assert cli_main(["train", "--images", str(root), "--out", str(model), "--no-record"]) == 2
    err = capsys.readouterr().err
    lines = [line for line in err.splitlines() if line.startswith("error:")]
    assert len(lines) == 1 and message in lines[0] and "Traceback" not in err
    assert model.read_bytes() == b"the user's earlier model"          # nothing lost, nothing written
    assert sorted(str(p) for p in tmp_path.rglob("*")) == before


def test_option_mistakes_are_one_line(tmp_path, capsys):
    train = write_shapes(tmp_path / "t", 2, 0)
    assert cli_main(["train", "--images", str(train), "--freeze", "--no-record"]) == 2
    assert "--freeze goes with --start-from" in capsys.readouterr().err
    assert cli_main(["train", "--images", str(train), "--data", str(tmp_path), "--no-record"]) == 2
    assert "not both" in capsys.readouterr().err


def test_a_folder_too_small_to_hold_any_out_says_so(tmp_path, capsys):
    train = write_shapes(tmp_path / "two", 2, 0)       # 2 per class: round(0.2 * 2) = 0 held out
    assert cli_main(["train", "--images", str(train), "--epochs", "1", "--no-record"]) == 0
    out = capsys.readouterr().out
    assert "no test images" in out and "nan" not in out
