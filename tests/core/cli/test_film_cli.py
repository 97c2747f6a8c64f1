"""`python main.py film RUN --view V --out FILE.gif [--frames N] [--png-dir DIR]`."""
import json

from PIL import Image

from cli_helpers import run_cli

DIGITS = ("--dataset", "digits", "--hidden", "16", "--schedule", "constant", "--seed", "3", "--lr", "0.1")


def train_run(capsys, epochs):
    code, out, err = run_cli(capsys, "train", *DIGITS, "--epochs", str(epochs), "--run-name", "filmed", "--json")
    assert code == 0, err
    return json.loads(out.strip().splitlines()[-1])["run"]["id"]


def test_film_writes_a_gif_and_png_frames(capsys, tmp_path):
    run_id = train_run(capsys, 4)
    gif, folder = tmp_path / "weights.gif", tmp_path / "frames"
    code, out, err = run_cli(capsys, "film", run_id, "--view", "weights", "--out", str(gif), "--png-dir", str(folder))
    assert code == 0, err
    assert "4 frames" in out and "epochs 1, 2, 3, 4" in out
    with Image.open(gif) as image:
        assert image.format == "GIF" and image.n_frames == 4 and image.info["loop"] == 0
        size = image.size
    pngs = sorted(folder.iterdir())
    assert len(pngs) == 4 and all(Image.open(p).size == size for p in pngs)
    code, out, err = run_cli(capsys, "film", "filmed", "--view", "map", "--dataset", "digits", "--frames", "2",
                             "--out", str(tmp_path / "map.gif"))
    assert code == 0, err
    with Image.open(tmp_path / "map.gif") as image:
        assert image.n_frames == 2


def test_film_mistakes_are_one_line(capsys, tmp_path):
    run_cli(capsys, "film", "nothing", "--out", str(tmp_path / "a.gif"))
    train_run(capsys, 2)
    for argv, said in [(("filmed",), "--out FILE.gif and/or --png-dir"),
                       (("nothing-here", "--out", str(tmp_path / "a.gif")), "no run 'nothing-here'"),
                       (("filmed", "--view", "filters", "--out", str(tmp_path / "a.gif")), "no convolution layers"),
                       (("filmed", "--frames", "3", "--out", str(tmp_path / "a.gif")), "ask for 1 to 2"),
                       (("filmed", "--out", str(tmp_path / "a.mp4")), "a.mp4: a film is written as a .gif"),
                       (("filmed", "--out", str(tmp_path / "no" / "such" / "a.gif")), "does not exist"),
                       (("filmed", "--png-dir", str(tmp_path)), "not an empty folder")]:
        code, out, err = run_cli(capsys, "film", *argv)
        assert code == 2 and said in err and "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert [p.name for p in tmp_path.iterdir()] == ["digitlab-home"]   # nothing half-written


def test_a_one_digit_network_is_filmed_with_the_digits_labels(capsys, tmp_path):
    code, out, err = run_cli(capsys, "train", *DIGITS, "--epochs", "2", "--positive-class", "3", "--output", "sigmoid",
                             "--loss", "binary_cross_entropy",
                             "--run-name", "threes", "--json")
    assert code == 0, err
    for view in ("feature-maps", "map"):   # test image 0 is a 9: a label the two outputs have no name for
        code, out, err = run_cli(capsys, "film", "threes", "--view", view, "--dataset", "digits", "--image", "0",
                                 "--out", str(tmp_path / f"{view}.gif"))
        assert code == 0 and "2 frames" in out, err
