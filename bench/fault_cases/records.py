"""Damaged run records next to healthy ones (issue 18 item 1 and the kinds already handled): every
run command must keep working for the healthy runs, and the damaged one must be listed with its
reason and left alone. Plus stale temp files in a record (item 7's clean-up) and odd run folders."""
import json
import subprocess
import sys

from fault_cases.harness import LOST, WRONG, case

HEALTHY_STATUSES = {"finished", "stopped", "running", "interrupted", "diverged", "crashed"}


def edit_json(path, change):
    """Rewrite a JSON file with change(value) -> new value (or None: changed in place)."""
    value = json.loads(path.read_text(encoding="utf-8"))
    new = change(value)
    path.write_text(json.dumps(value if new is None else new), encoding="utf-8")


def settings_edit(change):
    return lambda folder: edit_json(folder / "settings.json", change)


def set_key(*keys, value):
    """A change that sets settings[k1][k2]... = value."""
    def change(settings):
        target = settings
        for key in keys[:-1]:
            target = target[key]
        target[keys[-1]] = value
    return change


def history_first_row(text):
    def damage(folder):
        path = folder / "history.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines()
        path.write_text("\n".join([text] + lines[1:]) + "\n", encoding="utf-8")
    return damage


def write_file(name, data):
    def damage(folder):
        (folder / name).write_bytes(data)
    return damage


def remove(name):
    return lambda folder: (folder / name).unlink()


def settings_is_a_folder(folder):
    (folder / "settings.json").unlink()
    (folder / "settings.json").mkdir()


def truncate_checkpoint(folder):
    for path in (folder / "checkpoints").glob("*.npz"):
        path.write_bytes(path.read_bytes()[:100])


def empty_folder(folder):
    for path in sorted(folder.rglob("*"), reverse=True):
        path.rmdir() if path.is_dir() else path.unlink()


# (name, issue, damage applied to run 'gamma', quick)
DAMAGES = [
    ("dataset-null", "18.1", settings_edit(set_key("dataset", value=None)), True),
    ("config-is-list", "18.1", settings_edit(set_key("config", value=[])), True),
    ("network-is-string", "18.1", settings_edit(set_key("network", value="abc")), False),
    ("architecture-null", "18.1", settings_edit(set_key("network", "architecture", value=None)), False),
    ("dataset-image-shape-string", "18.1", settings_edit(set_key("dataset", "image_shape", value="8x8")), False),
    ("dataset-class-names-int", "18.1", settings_edit(set_key("dataset", "class_names", value=10)), False),
    ("config-value-wrong-type", "18.1", settings_edit(set_key("config", "hidden_sizes", value="sixteen")), False),
    ("name-is-int", "18.1", settings_edit(set_key("name", value=123)), False),
    ("created-null", "18.1", settings_edit(set_key("created", value=None)), False),
    ("writer-is-string", "18.1", settings_edit(set_key("writer", value="pid 5")), False),
    ("continued-is-dict", "18.1", settings_edit(set_key("continued", value={"a": 1})), False),
    ("parent-is-int", "18.1", settings_edit(set_key("parent", value=5)), False),
    ("cap-bytes-string", "18.1", settings_edit(set_key("cap_bytes", value="big")), False),
    ("history-row-string", "18.1", history_first_row('"just text"'), False),
    ("history-row-list", "18.1", history_first_row("[1, 2, 3]"), False),
    ("history-accuracy-string", "18.1", history_first_row('{"epoch": 1, "val_accuracy": "high", "step": "x"}'), False),
    ("end-reason-int", "18.1", write_file("end.json", b'{"reason": 5, "epochs": "all"}'), False),
    # kinds that were already handled before issue 18
    ("settings-missing", "", remove("settings.json"), True),
    ("settings-not-json", "", write_file("settings.json", b"{not json"), False),
    ("settings-is-list", "", write_file("settings.json", b"[]"), False),
    ("settings-newer-version", "", settings_edit(set_key("version", value=99)), False),
    ("settings-is-a-folder", "", settings_is_a_folder, False),
    ("history-garbage", "", write_file("history.jsonl", b"\x00\xff garbage\n{\n"), False),
    ("end-not-json", "", write_file("end.json", b"{"), False),
    ("checkpoint-truncated", "", truncate_checkpoint, False),
    ("folder-emptied", "", empty_folder, False),
]


def record_battery(damage):
    """Runs alpha, beta (healthy) and gamma (damaged): list, compare, resume, fork, rename and
    delete the healthy ones; gamma listed with a reason, never changed."""
    def run(trial):
        ids = trial.use_runs_home()
        alpha, beta, gamma = ids["alpha"], ids["beta"], ids["gamma"]
        gamma_dir = trial.run_dir(gamma)
        damage(gamma_dir)
        trial.protect(gamma_dir)
        trial.protect(trial.run_dir(alpha) / "checkpoints" / "epoch-0001.npz")
        listing = trial.cli("runs", expect="ok")
        if listing.returncode == 0 and gamma not in listing.stdout:
            trial.problem(WRONG, "`runs` does not list the damaged record")
        rows = trial.runs_json()
        if rows is not None:
            check_listed(trial, rows, [alpha, beta], gamma)
        trial.cli("compare", alpha, beta, expect="ok")
        trial.cli("compare", alpha, gamma, expect="any")
        trial.cli("train", "--resume", alpha, "--epochs", "1", expect="ok")
        trial.cli("train", "--fork", alpha, "--from-epoch", "1", "--epochs", "1", "--run-name", "alpha fork", expect="ok")
        trial.cli("runs", "--rename", beta, "beta renamed", expect="ok")
        trial.cli("runs", "--delete", beta, expect="ok")
        rows = trial.runs_json()
        if rows is not None:
            check_listed(trial, rows, [alpha], gamma)
            if beta in rows:
                trial.problem(WRONG, "`runs --delete` of a healthy run did not delete it")
            elif rows.get(alpha, {}).get("epochs") not in (None, 3):
                trial.note(f"alpha has {rows[alpha].get('epochs')} epochs after 2 + 1")
        return trial.verdict()
    return run


def check_listed(trial, rows, healthy, damaged):
    for run_id in healthy:
        if run_id not in rows:
            trial.problem(LOST, f"healthy run {run_id} is no longer listed by `runs --json`")
        elif rows[run_id].get("status") not in HEALTHY_STATUSES:
            trial.problem(WRONG, f"healthy run {run_id} listed as {rows[run_id].get('status')}")
    if damaged not in rows:
        trial.problem(WRONG, "`runs --json` does not list the damaged record")
    elif not rows[damaged].get("problem") and rows[damaged].get("status") in HEALTHY_STATUSES:
        trial.note(f"the damaged record is read as {rows[damaged].get('status')}")
    else:
        trial.note(f"listed as {rows[damaged].get('status')}: {rows[damaged].get('problem')}")


for _name, _issue, _damage, _quick in DAMAGES:
    case(f"record-{_name}", issue=_issue, quick=_quick,
         about=f"run record '{_name}' beside two healthy runs: every run command still works")(record_battery(_damage))


def dead_pid():
    """The pid of a process that has ended (started and waited for here)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def stale_temps_case(name, names, about):
    @case(name, issue="18.7", about=about)
    def run(trial):
        ids = trial.use_runs_home()
        folder = trial.run_dir(ids["alpha"])
        pid = dead_pid()
        for relative in names:
            (folder / relative.format(pid=pid)).write_bytes(b"\0" * 4096)
        trial.cli("runs", expect="ok")
        trial.cli("train", "--resume", ids["alpha"], "--epochs", "1", expect="ok")
        return trial.verdict()
    return run


stale_temps_case("record-stale-temp-files",
                 ["checkpoints/.epoch-0003.npz.{pid}.0badf00d.tmp", ".settings.json.{pid}.0badf00d.tmp"],
                 "temp files of a killed writer (its pid gone) in a finished run: gone after `runs` and a resume")
stale_temps_case("record-stale-temp-files-old-naming",
                 ["checkpoints/.epoch-0003.npz.0badf00d.tmp", ".settings.json.0badf00d.tmp"],
                 "the same, named as versions before issue 18 named them (no pid), in a record nobody writes")


@case("runs-folder-is-a-file", about="the runs folder is a regular file: listing and training say so")
def runs_folder_is_a_file(trial):
    runs = trial.home / "data" / "runs"
    runs.parent.mkdir(parents=True)
    runs.write_text("not a folder\n")
    trial.protect(runs)
    trial.cli("runs", expect="any")
    trial.cli("train", "--dataset", "digits", "--epochs", "1", "--hidden", "16", expect="any")
    return trial.verdict()


@case("fork-epoch-out-of-range", about="train --fork RUN --from-epoch 99 of a 2-epoch run")
def fork_epoch_out_of_range(trial):
    ids = trial.use_runs_home()
    trial.cli("train", "--fork", ids["alpha"], "--from-epoch", "99", expect="fail")
    return trial.verdict()


@case("runs-rename-to-empty", about="runs --rename RUN '' (an empty name)")
def rename_to_empty(trial):
    ids = trial.use_runs_home()
    trial.cli("runs", "--rename", ids["alpha"], "", expect="any")
    rows = trial.runs_json()
    if rows is not None and ids["alpha"] not in rows:
        trial.problem(LOST, "the renamed run is no longer listed")
    return trial.verdict()


@case("runs-delete-empty-reference", about="runs --delete '' must not delete anything")
def delete_empty_reference(trial):
    ids = trial.use_runs_home()
    for run_id in ids.values():
        trial.protect(trial.run_dir(run_id))
    trial.cli("runs", "--delete", "", expect="fail")
    return trial.verdict()
