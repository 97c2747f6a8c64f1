"""`python main.py report RUN --out report.html`: one valid HTML page with every picture inside
it, the figures right, and a command that gives back the run's own settings. A real run on the
first 1,500 MNIST training images (two epochs of a small MLP), measured on the 10,000 test images."""
import base64
import io
import re
from html.parser import HTMLParser

import numpy as np
import pytest
from PIL import Image

from core.cli import build_parser
from core.cli.train import config_from_args
from core.evaluation.evaluate import evaluate_network
from core.files.model_io import load_model
from core.records.reader import list_runs, open_run
from core.reports.reproduce import reproduce_argv, setting_flags
from core.reports.run_report import ReportError, build_report
from core.settings.config import TrainConfig
from core.settings.fields import settings_of
from core.settings.presets import PRESETS, get_preset
from tests.cli_helpers import run_cli

VOID = {"meta", "img", "br", "hr", "link", "input", "col", "source", "wbr"}


@pytest.fixture(autouse=True)
def digitlab_home(tmp_path, monkeypatch):
    monkeypatch.setenv("DIGITLAB_HOME", str(tmp_path / "home"))


class StrictParser(HTMLParser):
    """Every element closed, in order; collects the <img> sources and every URL-bearing attribute."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.images, self.links, self.problems, self.text = [], [], [], [], []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "img":
            self.images.append(attrs.get("src", ""))
        self.links += [value for key, value in attrs.items() if key in ("href", "src") and tag != "img"]
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"</{tag}> closes {self.stack[-1:] or 'nothing'}")
        else:
            self.stack.pop()

    def handle_data(self, data):
        self.text.append(data)


@pytest.fixture
def trained_run(capsys, mnist_dir):
    code, _out, err = run_cli(capsys, "train", "--data", str(mnist_dir), "--train-examples", "1500", "--epochs", "2",
                              "--hidden", "32", "--lr", "0.1", "--seed", "3", "--val-split", "300")
    assert code == 0, err
    return list_runs()[-1].id


def test_report_is_valid_html_with_every_image_embedded(trained_run, tmp_path, capsys, mnist_dir):
    out = tmp_path / "out" / "report.html"
    code, said, err = run_cli(capsys, "report", trained_run[:15], "--out", str(out), "--data", str(mnist_dir))
    assert code == 0, err
    assert f"to {out}" in said
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>")
    parser = StrictParser()
    parser.feed(page)
    parser.close()
    assert parser.problems == [] and parser.stack == []
    assert parser.links == []   # nothing outside the file: no stylesheet, script or link to fetch
    assert len(parser.images) == 5   # curves, confusion, mistakes, reliability, ECE per epoch
    for source in parser.images:
        assert source.startswith("data:image/png;base64,")
        picture = Image.open(io.BytesIO(base64.b64decode(source.split(",", 1)[1])))
        assert picture.format == "PNG" and picture.width >= 300 and picture.height >= 100
    text = " ".join(parser.text)
    for heading in ("Repeat this run", "Curves", "Confusion matrix", "Precision, recall and F1 per class",
                    "Most confident mistakes", "Calibration", "Every setting"):
        assert heading in text
    # the headline accuracy is the checkpoint's own on the 10,000 test images
    record = open_run(trained_run)
    network, _ = load_model(record.checkpoints[2])
    from core.data.datasets import load_idx_folder
    mnist = load_idx_folder(mnist_dir, name="mnist", cache_dir=tmp_path / "cache")
    measured = evaluate_network(network, mnist.test_images, mnist.test_labels, mnist.class_names)
    assert f"{100 * measured['accuracy']:.2f}%" in text and "10,000 test images, epoch 2" in text
    # as the app says it: the calibration error in % (the Calibration tab's), not a share
    assert re.search(r'<div class="value">\d+\.\d\d%</div><div class="what">calibration error', page)
    rows = re.findall(r"<tr[^>]*><td class=\"name\">(\d)</td><td>([0-9.]+)</td><td>([0-9.]+)</td>", page)
    assert [r[0] for r in rows] == [str(d) for d in range(10)]
    for (digit, precision, recall), expected in zip(rows, measured["report"]["classes"]):
        assert abs(float(precision) - expected["precision"]) < 1e-4 and abs(float(recall) - expected["recall"]) < 1e-4
    # the command in the page trains the run's own settings
    command = re.search(r"<pre>python main.py (.*?)</pre>", page).group(1).split()
    assert command[:3] == ["train", "--dataset", "mnist"]
    again = config_from_args(build_parser().parse_args(command))
    assert again == TrainConfig.from_dict(record.settings["config"])


@pytest.mark.parametrize("preset", list(PRESETS))
def test_the_command_gives_back_every_presets_settings(preset):
    config = get_preset(preset).config
    argv = ["train", *setting_flags(config)]
    assert "--seed" in argv
    # the settings without an option (how often snapshots go to the app, what a divergence does
    # there) do not change the weights
    flagged = [info.name for info in settings_of(TrainConfig) if info.cli_flag()]
    again = config_from_args(build_parser().parse_args(argv))
    assert [getattr(again, name) for name in flagged] == [getattr(config, name) for name in flagged]


def test_a_run_without_checkpoint_or_a_wrong_request_is_one_sentence(trained_run, tmp_path, capsys, mnist_dir, digits):
    record = open_run(trained_run)
    cases = ((["no-such-run", "--out", str(tmp_path / "r.html")], "no run 'no-such-run'"),
             ([trained_run, "--out", str(tmp_path)], "is a folder"),
             ([trained_run, "--out", str(tmp_path / "r.html"), "--epoch", "7"], "kept no checkpoint of epoch 7"),
             ([trained_run, "--out", str(tmp_path / "r.html"), "--data", str(tmp_path / "nowhere")], "MNIST not found"))
    for argv, said in cases:
        code, _out, err = run_cli(capsys, "report", *argv)
        assert code == 2 and said in err and err.count("\n") == 1, err
    assert not (tmp_path / "r.html").exists()
    for path in record.checkpoints.values():
        path.unlink()
    with pytest.raises(ReportError, match="has no checkpoint yet"):
        build_report(open_run(trained_run), digits)
    assert reproduce_argv(record.settings)[:3] == ["train", "--dataset", "mnist"]


def test_another_dataset_is_refused(trained_run, digits):
    with pytest.raises(ReportError, match="does not fit it"):
        build_report(open_run(trained_run), digits)


def test_one_digit_against_the_rest_reports_its_two_classes(mnist_small):
    from core.records.resume import start_recording
    from core.records.writer import recorded_run
    from core.training.trainers import make_trainer
    config = TrainConfig(hidden_sizes=(), activation="sigmoid", loss="binary_cross_entropy", output="sigmoid",
                         optimizer="sgd", learning_rate=0.5, schedule="constant", epochs=2, positive_class=3,
                         val_split=300, seed=1)
    trainer = make_trainer(config, mnist_small)
    recorder = start_recording(trainer, mnist_small, name="threes")
    for _ in recorded_run(trainer, recorder):
        pass
    page = build_report(open_run(recorder.run_id), mnist_small)
    rows = re.findall(r"<tr[^>]*><td class=\"name\">([^<]*)</td><td>[0-9.]+</td>", page)
    assert rows[:2] == ["not 3", "3"] and len(rows) == 4   # the two classes, then the two averages
    assert "--positive-class 3" in page and "500 test images" in page


def test_a_run_on_a_folder_of_images_reports_and_repeats(tmp_path, capsys, mnist_small):
    folder = tmp_path / "three-digits"
    for digit, name in ((0, "zero"), (1, "one"), (7, "seven")):
        (folder / name).mkdir(parents=True)
        for k, image in enumerate(mnist_small.train_images[mnist_small.train_labels == digit][:25]):
            Image.fromarray(255 - image).save(folder / name / f"{k}.png")   # dark ink on white paper
    code, _out, err = run_cli(capsys, "train", "--images", str(folder), "--epochs", "2", "--seed", "4",
                              "--save-experiment", str(tmp_path / "exp.npz"), "--out", str(tmp_path / "a.npz"))
    assert code == 0, err
    run_id = list_runs()[-1].id
    code, _out, err = run_cli(capsys, "report", run_id, "--out", str(tmp_path / "r.html"))
    assert code == 0, err
    page = (tmp_path / "r.html").read_text(encoding="utf-8")
    command = re.search(r"<pre>python main.py (.*?)</pre>", page).group(1).split()
    assert command[:3] == ["train", "--images", "FOLDER"] and f"the data&#x27;s folder ({folder})" in page
    # the command, with the folder put in, trains the run's own settings
    command[2] = str(folder)
    args = build_parser().parse_args(command)
    from core.cli.train_images import images_setup
    assert images_setup(args, config_from_args(args)) == TrainConfig.from_dict(open_run(run_id).settings["config"])
    # the experiment needs its folder, and repeats the run on it
    code, _out, err = run_cli(capsys, "train", "--from", str(tmp_path / "exp.npz"), "--no-record")
    assert code == 2 and "a folder of images (three-digits); pass --images FOLDER" in err
    code, _out, err = run_cli(capsys, "train", "--from", str(tmp_path / "exp.npz"), "--images", str(folder),
                              "--no-record", "--out", str(tmp_path / "b.npz"))
    assert code == 0 and "checksum matches" in err, err
    for a, b in zip(load_model(tmp_path / "a.npz")[0].params, load_model(tmp_path / "b.npz")[0].params):
        assert np.array_equal(a, b)


def test_a_forks_report_gives_the_fork_command_that_repeats_it(capsys, tmp_path, digits):
    def new_run(*args):
        """Run `train ARGS` and return the id of the one run it recorded (the listing's order is
        not the order of creation when two runs start within the same second)."""
        before = {r.id for r in list_runs()}
        code, _out, err = run_cli(capsys, "train", *args)
        assert code == 0, err
        made = [r.id for r in list_runs() if r.id not in before]
        assert len(made) == 1, made
        return made[0]

    parent = new_run("--dataset", "digits", "--hidden", "16", "--epochs", "3")
    fork = new_run("--dataset", "digits", "--fork", parent, "--from-epoch", "2", "--lr", "0.05", "--l2", "0.5")
    page = build_report(open_run(fork), digits)
    command = re.search(r"; python main.py (train --fork [^<]*) repeats the fork", page).group(1)
    assert command == f"train --fork {parent} --from-epoch 2 --lr 0.05 --l2 0.5 --epochs 1"
    again_id = new_run(*command.split()[1:])
    first, again = open_run(fork), open_run(again_id)
    for a, b in zip(load_model(first.checkpoints[3])[0].params, load_model(again.checkpoints[3])[0].params):
        assert np.array_equal(a, b)
