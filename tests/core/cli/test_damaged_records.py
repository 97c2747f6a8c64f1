"""One run record with a field of the wrong type (issue 18, item 1): it is listed as corrupt with
its reason, refused in one line when named, deletable, and every run command keeps working for
the healthy runs beside it."""
import json
import shutil

import pytest

from core.records.reader import list_runs
from core.storage import user_dirs
from cli_helpers import run_cli

DIGITS = ("--dataset", "digits", "--hidden", "16", "--schedule", "constant", "--seed", "3", "--lr", "0.1")


def train(capsys, *options):
    code, out, err = run_cli(capsys, "train", *DIGITS, *options, "--json")
    assert code == 0, err
    return json.loads(out.strip().splitlines()[-1])


def set_key(path, key, value):
    data = json.loads(path.read_text())
    data[key] = value
    path.write_text(json.dumps(data))


def set_nested(path, outer, key, value):
    data = json.loads(path.read_text())
    data[outer][key] = value
    path.write_text(json.dumps(data))


def set_row(folder, text):
    rows = (folder / "history.jsonl").read_text().splitlines()
    rows[0] = text
    (folder / "history.jsonl").write_text("\n".join(rows) + "\n")


# name: (what it breaks, a word the reason must contain)
DAMAGES = {
    "dataset-null": (lambda f: set_key(f / "settings.json", "dataset", None), "'dataset' is null"),
    "dataset-list": (lambda f: set_key(f / "settings.json", "dataset", ["digits"]), "'dataset' is a list"),
    "dataset-name-number": (lambda f: set_nested(f / "settings.json", "dataset", "name", 7), "'name'"),
    "image-shape-text": (lambda f: set_nested(f / "settings.json", "dataset", "image_shape", "8x8"), "image_shape"),
    "class-names-null": (lambda f: set_nested(f / "settings.json", "dataset", "class_names", None), "class_names"),
    "network-null": (lambda f: set_key(f / "settings.json", "network", None), "'network' is null"),
    "network-description-list": (lambda f: set_nested(f / "settings.json", "network", "description", [1]),
                                 "description"),
    "config-list": (lambda f: set_key(f / "settings.json", "config", [1, 2]), "'config' is a list"),
    "config-lr-text": (lambda f: set_nested(f / "settings.json", "config", "learning_rate", "fast"),
                       "learning_rate"),
    "config-hidden-number": (lambda f: set_nested(f / "settings.json", "config", "hidden_sizes", 16),
                             "hidden_sizes"),
    "config-epochs-null": (lambda f: set_nested(f / "settings.json", "config", "epochs", None), "epochs"),
    "id-number": (lambda f: set_key(f / "settings.json", "id", 12), "'id'"),
    "name-list": (lambda f: set_key(f / "settings.json", "name", ["a"]), "'name'"),
    "parent-text": (lambda f: set_key(f / "settings.json", "parent", "someone"), "'parent'"),
    "writer-text": (lambda f: set_key(f / "settings.json", "writer", "me"), "'writer'"),
    "continued-object": (lambda f: set_key(f / "settings.json", "continued", {"a": 1}), "'continued'"),
    "cap-text": (lambda f: set_key(f / "settings.json", "cap_bytes", "big"), "cap_bytes"),
    "row-list": (lambda f: set_row(f, "[1, 2]"), "line 1"),
    "row-number": (lambda f: set_row(f, "3"), "line 1"),
    "row-null": (lambda f: set_row(f, "null"), "line 1"),
    "epoch-text": (lambda f: set_row(f, '{"epoch": "one", "val_accuracy": 0.5}'), "epoch"),
    "epoch-float": (lambda f: set_row(f, '{"epoch": 1.5, "val_accuracy": 0.5}'), "epoch"),
    "epoch-bool": (lambda f: set_row(f, '{"epoch": true, "val_accuracy": 0.5}'), "epoch"),
    "epochs-repeated": (lambda f: set_row(f, '{"epoch": 2, "val_accuracy": 0.5}'), "follows"),
    "val-accuracy-text": (lambda f: set_row(f, '{"epoch": 1, "val_accuracy": "high"}'), "val_accuracy"),
    "metric-object": (lambda f: set_row(f, '{"epoch": 1, "elapsed": {"s": 1}}'), "elapsed"),
    "end-list": (lambda f: (f / "end.json").write_text("[]"), "end.json"),
    "end-reason-list": (lambda f: set_key(f / "end.json", "reason", ["finished"]), "reason"),
    "end-epochs-text": (lambda f: set_key(f / "end.json", "epochs", "two"), "epochs"),
}


def damaged_copy(good_path, kind):
    folder = user_dirs.runs_dir() / f"20200101-000000-{kind}"
    shutil.copytree(good_path, folder)
    set_key(folder / "settings.json", "id", folder.name)
    DAMAGES[kind][0](folder)
    return folder


@pytest.mark.parametrize("kind", sorted(DAMAGES))
def test_a_damaged_record_is_listed_with_its_reason_and_refused_in_one_line(capsys, kind):
    good = train(capsys, "--epochs", "2", "--run-name", "good")
    bad = damaged_copy(good["run"]["path"], kind)
    code, out, err = run_cli(capsys, "runs", "--json")
    assert code == 0, err
    rows = {row["id"]: row for row in json.loads(out)}
    assert rows[good["run"]["id"]]["status"] == "finished"
    assert rows[bad.name]["status"] == "corrupt" and DAMAGES[kind][1] in rows[bad.name]["problem"]
    code, out, err = run_cli(capsys, "runs")
    assert code == 0 and f"{bad.name}: corrupt:" in out and "good" in out
    for argv in (("train", "--resume", bad.name, "--epochs", "1"),
                 ("train", "--fork", bad.name, "--from-epoch", "1"),
                 ("compare", bad.name, "good"), ("compare", "good", bad.name),
                 ("runs", "--rename", bad.name, "fixed")):
        code, _, err = run_cli(capsys, *argv)
        assert code == 2 and err.startswith("error:") and err.count("\n") == 1, (argv, err)
        assert "cannot be used" in err, (argv, err)
    code, _, err = run_cli(capsys, "runs", "--delete", bad.name)   # deleting it is always possible
    assert code == 0, err
    assert not bad.exists()


def test_healthy_runs_keep_working_beside_every_kind_of_damaged_record(capsys):
    good = train(capsys, "--epochs", "2", "--run-name", "good")
    train(capsys, "--epochs", "2", "--run-name", "other", "--lr", "0.3")
    for kind in DAMAGES:
        damaged_copy(good["run"]["path"], kind)
    summaries = list_runs()
    assert sum(s.status == "corrupt" for s in summaries) == len(DAMAGES)
    assert sorted(s.name for s in summaries if s.problem is None) == ["good", "other"]
    for argv in (("runs",), ("runs", "--json"), ("compare", "good", "other"),
                 ("train", "--resume", "good", "--epochs", "1"),
                 ("train", "--fork", "good", "--from-epoch", "1", "--lr", "0.05", "--run-name", "fork"),
                 ("runs", "--rename", "other", "renamed"), ("runs", "--delete", "renamed")):
        code, out, err = run_cli(capsys, *argv)
        assert code == 0, (argv, err)
    assert sorted(s.name for s in list_runs() if s.problem is None) == ["fork", "good"]
