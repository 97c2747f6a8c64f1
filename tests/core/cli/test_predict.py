"""`python main.py predict`: real image files in both polarities, one JSON line each, clear errors."""
import json
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from core.cli import main as cli_main
from core.storage.resources import DEFAULT_MODEL_PATH
from core.drawing.strokes import render_strokes

ROOT = Path(__file__).resolve().parents[3]

# digit -> strokes in a unit box (x right, y down), drawn the way people draw them
SHAPES = {
    0: [np.column_stack([0.3 + 0.28 * np.cos(t), 0.5 + 0.48 * np.sin(t)]) for t in [np.linspace(0, 2 * np.pi, 60)]],
    1: [np.array([[0.15, 0.2], [0.32, 0.0], [0.32, 1.0]])],
    4: [np.array([[0.4, 0.0], [0.0, 0.65], [0.6, 0.65]]), np.array([[0.45, 0.0], [0.45, 1.0]])],
    7: [np.array([[0.0, 0.0], [0.6, 0.0], [0.2, 1.0]])],
}


def write_digit(path, digit, size=(300, 220), dark_on_light=True, brush=14, mode="L"):
    """A drawn digit as an image file: the unit shape scaled into the picture, anti-aliased."""
    width, height = size
    scale = 0.7 * height

    def transform(points):
        return (points * scale + [width * 0.4, height * 0.15]) * 2

    ink = render_strokes(SHAPES[digit], (height * 2, width * 2), brush * 2, transform)
    ink = ink.reshape(height, 2, width, 2).mean(axis=(1, 3))
    gray = (1 - ink) if dark_on_light else ink
    image = Image.fromarray((gray * 255).round().astype(np.uint8))
    image.convert(mode).save(path)
    return path


def run_cli(args, capsys):
    code = cli_main(["predict", *map(str, args)])
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    return code, lines, captured.err


def test_default_model_ships_with_the_repo():
    assert DEFAULT_MODEL_PATH.is_file()
    assert DEFAULT_MODEL_PATH.stat().st_size < 5_000_000


@pytest.mark.parametrize("dark_on_light", [True, False])
def test_predicts_drawn_digits_in_either_polarity(tmp_path, capsys, dark_on_light):
    files = [write_digit(tmp_path / f"d{d}.png", d, dark_on_light=dark_on_light) for d in SHAPES]
    code, lines, err = run_cli(files, capsys)
    assert code == 0 and err == ""
    assert [line["file"] for line in lines] == [str(f) for f in files]
    assert [line["digit"] for line in lines] == list(SHAPES)
    for line in lines:
        probabilities = line["probabilities"]
        assert sorted(probabilities) == [str(d) for d in range(10)] + ["not a digit"]
        assert abs(sum(probabilities.values()) - 1) < 1e-3
        assert line["confidence"] == max(probabilities.values())
        assert line["polarity"] == ("dark-on-light" if dark_on_light else "light-on-dark")


def test_any_size_rgb_and_jpeg(tmp_path, capsys):
    files = [write_digit(tmp_path / "big7.jpg", 7, size=(900, 700), brush=40, mode="RGB"),
             write_digit(tmp_path / "small4.png", 4, size=(40, 40), brush=3, mode="RGB")]
    code, lines, _ = run_cli(files, capsys)
    assert code == 0 and [line["digit"] for line in lines] == [7, 4]


def test_unreadable_files_are_reported_and_the_rest_processed(tmp_path, capsys):
    good = write_digit(tmp_path / "good.png", 7)
    text = tmp_path / "notes.png"
    text.write_text("not an image")
    truncated = tmp_path / "cut.png"
    truncated.write_bytes(good.read_bytes()[:200])
    blank = tmp_path / "blank.png"
    Image.new("L", (64, 64), 255).save(blank)
    code, lines, err = run_cli([text, good, truncated, tmp_path / "missing.png", blank], capsys)
    assert code == 1
    assert [line["file"] for line in lines] == [str(good), str(blank)] and lines[0]["digit"] == 7
    # a blank page is an answer, not an error: no digit, and why
    assert lines[1]["digit"] is None and lines[1]["verdict"] == "not a digit" and "blank" in lines[1]["reason"]
    errors = err.splitlines()
    assert len(errors) == 3 and all(line.startswith("error: ") for line in errors)
    for name, errline in zip(["notes.png", "cut.png", "missing.png"], errors):
        assert name in errline
    assert "Traceback" not in err


def test_a_speck_on_a_page_is_not_a_digit(tmp_path, capsys):
    speck = tmp_path / "speck.png"
    page = Image.new("L", (400, 400), 255)
    page.paste(0, (200, 200, 208, 208))        # an 8-pixel speck: scaled up it would be some digit
    page.save(speck)
    code, lines, _ = run_cli([speck], capsys)
    assert code == 0 and lines[0]["digit"] is None and lines[0]["verdict"] == "not a digit"
    assert "too small" in lines[0]["reason"]


def test_not_sure_below_the_threshold(tmp_path, capsys):
    image = write_digit(tmp_path / "seven.png", 7)
    code, lines, _ = run_cli(["--threshold", "1.01", image], capsys)   # no probability reaches 101%
    assert code == 0 and lines[0]["digit"] is None and lines[0]["verdict"] == "not sure"
    assert lines[0]["class"] == "7" and "below the 101% threshold" in lines[0]["reason"]


def test_bad_model_file_is_one_line_exit_2(tmp_path, capsys):
    model = tmp_path / "model.npz"
    model.write_text("nope")
    code = cli_main(["predict", "--model", str(model), str(write_digit(tmp_path / "a.png", 1))])
    err = capsys.readouterr().err
    assert code == 2 and "model.npz" in err and len(err.splitlines()) == 1


def test_save_prepared_writes_the_network_input(tmp_path, capsys):
    image = write_digit(tmp_path / "z.png", 0)
    code, _, _ = run_cli(["--save-prepared", tmp_path / "out", image], capsys)
    saved = np.asarray(Image.open(tmp_path / "out" / "z.png.prepared.png"))
    assert code == 0 and saved.shape == (280, 280) and saved.max() > 200


def test_main_py_help_and_exit_code(tmp_path):
    help_run = subprocess.run([sys.executable, "main.py", "predict", "--help"], cwd=ROOT, capture_output=True, text=True)
    assert help_run.returncode == 0 and "--model" in help_run.stdout
    bad = tmp_path / "x.png"
    bad.write_text("text")
    run = subprocess.run([sys.executable, "main.py", "predict", str(write_digit(tmp_path / "a.png", 1)), str(bad)],
                         cwd=ROOT, capture_output=True, text=True)
    assert run.returncode == 1
    assert json.loads(run.stdout.splitlines()[0])["digit"] == 1
    assert run.stderr.startswith("error: ") and "x.png" in run.stderr
