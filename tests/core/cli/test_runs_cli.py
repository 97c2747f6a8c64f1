"""`train` records runs; `runs` lists them; `train --resume / --fork`; `compare`."""
import json

import pytest

from core.storage import user_dirs
from core.records.reader import list_runs, load_run
from cli_helpers import run_cli

DIGITS = ("--dataset", "digits", "--hidden", "32", "--schedule", "constant", "--seed", "3", "--lr", "0.1")


def last_json(out):
    return json.loads(out.strip().splitlines()[-1])


def train(capsys, *options):
    code, out, err = run_cli(capsys, "train", *options, "--json")
    assert code == 0, err
    return last_json(out)


def test_train_records_by_default_and_runs_lists_it(capsys, digitlab_home):
    summary = train(capsys, *DIGITS, "--epochs", "2", "--run-name", "first try")
    train(capsys, *DIGITS, "--epochs", "1", "--no-record")
    assert summary["run"]["recorded"] and summary["run"]["path"].startswith(str(digitlab_home))
    code, out, _ = run_cli(capsys, "runs", "--json")
    assert code == 0
    [row] = json.loads(out)   # --no-record left nothing
    assert row["id"] == summary["run"]["id"] and row["name"] == "first try" and row["status"] == "finished"
    assert row["dataset"] == "digits" and row["epochs"] == 2 and row["network"].startswith("64-32-10")
    assert row["best_val_accuracy"] == max(summary["history"]["val_accuracy"])
    code, out, _ = run_cli(capsys, "runs")
    assert "first try" in out and "finished" in out and f"{100 * row['best_val_accuracy']:.2f}%" in out
    checkpoint = load_run(row["path"]).checkpoints[2]   # a checkpoint is an ordinary model file
    code, out, err = run_cli(capsys, "evaluate", "--model", str(checkpoint), "--dataset", "digits", "--json")
    assert code == 0, err
    assert last_json(out)["accuracy"] == pytest.approx(summary["test_accuracy"])


def test_runs_table_reports_a_corrupt_record_and_keeps_listing(capsys):
    summary = train(capsys, *DIGITS, "--epochs", "1")
    bad = user_dirs.runs_dir() / "20200101-000000-broken"
    bad.mkdir()
    (bad / "settings.json").write_text("{")
    code, out, _ = run_cli(capsys, "runs")
    assert code == 0
    assert summary["run"]["id"] in out
    assert "20200101-000000-broken: corrupt: settings.json is not valid JSON" in out
    code, out, err = run_cli(capsys, "train", "--resume", "20200101-000000-broken", "--epochs", "1")
    assert code == 2 and err.count("\n") == 1 and "cannot be used: settings.json is not valid JSON" in err
    assert bad.exists()


def test_rename_and_delete(capsys):
    summary = train(capsys, *DIGITS, "--epochs", "1")
    run_id = summary["run"]["id"]
    assert run_cli(capsys, "runs", "--rename", run_id, "renamed")[0] == 0
    assert [s.name for s in list_runs()] == ["renamed"]
    code, out, _ = run_cli(capsys, "runs", "--delete", "renamed")
    assert code == 0 and "deleted" in out and list_runs() == []
    code, _, err = run_cli(capsys, "runs", "--delete", "renamed")
    assert code == 2 and "no run 'renamed'" in err


def test_resume_two_plus_one_equals_three_and_keeps_the_record(capsys):
    three = train(capsys, *DIGITS, "--epochs", "3", "--no-record")
    two = train(capsys, *DIGITS, "--epochs", "2")
    code, out, err = run_cli(capsys, "train", "--resume", two["run"]["id"], "--epochs", "1", "--json")
    assert code == 0, err
    resumed = last_json(out)
    assert "constant" in err   # the schedule note
    assert resumed["run"]["id"] == two["run"]["id"] and resumed["epochs"] == 3
    for key in ("train_loss", "val_loss", "val_accuracy", "step", "learning_rate"):
        assert resumed["history"][key] == three["history"][key], key
    assert resumed["test_accuracy"] == three["test_accuracy"] and resumed["test_loss"] == three["test_loss"]
    assert [r["epoch"] for r in load_run(resumed["run"]["path"]).rows] == [1, 2, 3]


def test_resume_a_model_saved_with_out(capsys, tmp_path):
    three = train(capsys, *DIGITS, "--epochs", "3", "--no-record")
    model = tmp_path / "two.npz"
    train(capsys, *DIGITS, "--epochs", "2", "--no-record", "--out", str(model))
    resumed = train(capsys, "--resume", str(model), "--epochs", "1", "--dataset", "digits")
    assert resumed["history"]["val_loss"] == three["history"]["val_loss"]
    assert resumed["test_loss"] == three["test_loss"]
    assert load_run(resumed["run"]["path"]).settings["parent"] == {"model": str(model.resolve())}


def test_resume_refuses_changed_settings_and_wrong_data(capsys):
    two = train(capsys, *DIGITS, "--epochs", "2")
    code, _, err = run_cli(capsys, "train", "--resume", two["run"]["id"], "--epochs", "1", "--lr", "0.5")
    assert code == 2 and "use --fork" in err and "learning_rate" in err
    code, _, err = run_cli(capsys, "train", "--resume", two["run"]["id"])
    assert code == 2 and "--epochs N" in err
    code, _, err = run_cli(capsys, "train", "--resume", two["run"]["id"], "--epochs", "1", "--dataset", "idx",
                           "--data", "nowhere")
    assert code == 2 and err.startswith("error:") and err.count("\n") == 1


def test_fork_from_an_epoch_with_a_new_learning_rate(capsys):
    parent = train(capsys, *DIGITS, "--epochs", "3")
    fork = train(capsys, "--fork", parent["run"]["id"], "--from-epoch", "1", "--lr", "0.02")
    record = load_run(fork["run"]["path"])
    assert record.settings["parent"]["run"] == parent["run"]["id"] and record.settings["parent"]["epoch"] == 1
    assert record.settings["config"]["learning_rate"] == 0.02
    assert fork["history"]["val_loss"][0] == parent["history"]["val_loss"][0]
    assert fork["history"]["val_loss"][1] != parent["history"]["val_loss"][1]
    assert fork["history"]["learning_rate"][1:] == [0.02, 0.02]
    code, _, err = run_cli(capsys, "train", "--fork", parent["run"]["id"], "--lr", "0.02")
    assert code == 2 and "--from-epoch" in err


def test_compare_two_runs(capsys):
    a = train(capsys, *DIGITS, "--epochs", "2", "--run-name", "A")
    b = train(capsys, *DIGITS, "--epochs", "2", "--run-name", "B", "--lr", "0.5", "--seed", "3")
    train(capsys, *DIGITS, "--epochs", "2", "--run-name", "A again")
    code, out, err = run_cli(capsys, "compare", "A", "B", "--json")
    assert code == 0, err
    result = last_json(out)
    assert result["settings_diff"] == {"learning_rate": [0.1, 0.5]}
    assert result["metrics"]["a"]["val_accuracy"] == a["history"]["val_accuracy"][-1]
    assert result["metrics"]["b"]["val_accuracy"] == b["history"]["val_accuracy"][-1]
    assert result["n_validation"] == 144 and 0 < result["disagreements"] < 144
    assert result["only_a_right"] + result["only_b_right"] <= result["disagreements"]
    # the accuracy gap is exactly what the images only one of them gets right explain
    gap = (result["only_b_right"] - result["only_a_right"]) / 144
    assert gap == pytest.approx(b["history"]["val_accuracy"][-1] - a["history"]["val_accuracy"][-1])
    assert 0 < result["ece"]["a"] < 1 and 0 < result["ece"]["b"] < 1
    code, out, _ = run_cli(capsys, "compare", "A", "A again", "--json")
    identical = last_json(out)
    assert identical["disagreements"] == 0 and identical["ece"]["a"] == identical["ece"]["b"]
    assert identical["settings_diff"] == {}
    code, out, _ = run_cli(capsys, "compare", "A", "B")
    assert "learning_rate" in out and "A: 0.1   B: 0.5" in out
    assert f"They disagree on {result['disagreements']:,} of 144 validation images" in out
    assert "ECE (10 bins)" in out


@pytest.mark.parametrize("argv", [("--delete", ""), ("--delete", "  "), ("--rename", "", "new name")])
def test_an_empty_run_reference_is_refused_in_one_line(capsys, argv):
    code, _, _ = run_cli(capsys, "train", *DIGITS, "--epochs", "1")
    assert code == 0
    code, out, err = run_cli(capsys, "runs", *argv)
    assert code == 2 and err.count("\n") == 1 and "names no run" in err, err
    code, out, _ = run_cli(capsys, "runs", "--json")
    assert code == 0 and len(json.loads(out)) == 1   # nothing deleted or renamed
