"""The fault-injection catalogue of issue 18 (bench/fault_injection.py): its judging rules on
synthetic outcomes, and three cases end to end that DigitLab already handles.

The whole catalogue is not run here: it takes minutes, and its failures are the open defects
it exists to show (python bench/fault_injection.py prints them)."""
import importlib.util
import signal
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
TRACEBACK_TEXT = ('Traceback (most recent call last):\n  File "main.py", line 94, in <module>\n    sys.exit(main())\n'
                  "AttributeError: 'NoneType' object has no attribute 'get'\n")


@pytest.fixture(scope="module")
def fi():
    spec = importlib.util.spec_from_file_location("fault_injection", ROOT / "bench" / "fault_injection.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def result(fi, code=2, stdout="", stderr="error: no such model\n", timed_out=False):
    return fi.harness.Result("main.py evaluate", code, stdout, stderr, 1.0, timed_out)


def test_a_traceback_on_either_stream_is_a_traceback(fi):
    h = fi.harness
    for found in (fi.judge(result(fi, 1, stderr=TRACEBACK_TEXT), "fail"),
                  fi.judge(result(fi, 0, stdout=TRACEBACK_TEXT, stderr=""), "ok")):
        assert [outcome for outcome, _ in found] == [h.TRACEBACK]
        assert "AttributeError: 'NoneType' object has no attribute 'get'" in found[0][1]
    assert fi.classify(found) == (h.TRACEBACK, found[0][1])


def test_an_exception_python_swallowed_is_a_traceback_named_with_where_it_was_ignored(fi):
    stderr = ("\r 23%|##        | 20/88 [00:00<00:02, 27.78batch/s]Exception ignored in: <function ZipFile.__del__>\n"
              "Traceback (most recent call last):\n  File \"zipfile.py\", line 1872, in __del__\n    def __del__(self):\n"
              "core.cli.signals.Terminated: terminated (SIGTERM)\n\r100%|##########| 88/88 [00:04<00:00, 21.24batch/s]\n")
    [(outcome, text)] = fi.judge(result(fi, 0, stderr=stderr), "any")
    assert outcome == fi.harness.TRACEBACK
    assert "core.cli.signals.Terminated: terminated (SIGTERM) (Exception ignored in: <function ZipFile.__del__>" in text


def test_a_refusal_in_one_line_is_clean_and_its_message_is_found_behind_a_progress_bar(fi):
    stderr = "\r  0%|          | 0/11 [00:00<?, ?batch/s]error: cannot create the run record: Not a directory\n\r   \r"
    refused = result(fi, 2, stderr=stderr)
    assert refused.message == "error: cannot create the run record: Not a directory"
    assert fi.judge(refused, "fail") == []
    assert fi.judge(refused, "any") == []
    assert fi.classify([], "fine") == (fi.harness.CLEAN, "fine")


@pytest.mark.parametrize("code, stderr, expect, timed_out, outcome", [
    (0, "", "fail", False, "wrong"),                       # accepted what must be refused
    (1, "", "fail", False, "wrong"),                       # refused without a word
    (1, "QStandardPaths: XDG_RUNTIME_DIR not set\n", "any", False, "wrong"),   # Qt's chatter is no message
    (2, "error: x\n", "ok", False, "wrong"),               # failed what must work
    (-signal.SIGKILL, "", "any", False, "wrong"),          # died of a signal
    (None, "", "ok", True, "hung"),                        # ran past its timeout
])
def test_what_is_not_clean(fi, code, stderr, expect, timed_out, outcome):
    found = fi.judge(result(fi, code, stderr=stderr, timed_out=timed_out), expect)
    assert [kind for kind, _ in found] == [outcome]


def test_leftover_temp_files_are_found_and_healthy_files_are_not(fi, tmp_path):
    run = tmp_path / "data" / "runs" / "20261206-130002-17da5a"
    (run / "checkpoints").mkdir(parents=True)
    leftovers = [run / "checkpoints" / ".epoch-0002.npz.9a3f57b0.tmp", run / ".settings.json.0badf00d.tmp",
                 tmp_path / "..model.npz.19c9f793.state.tmp.613e8540.tmp", tmp_path / "tmpab12cd_9",
                 tmp_path / "download.part"]
    healthy = [run / "settings.json", run / "history.jsonl", run / "checkpoints" / "epoch-0001.npz",
               tmp_path / "model.npz", tmp_path / "settings.ini", tmp_path / "template.png"]
    for path in leftovers + healthy:
        path.write_bytes(b"x")
    assert fi.find_leftovers(tmp_path) == sorted(leftovers)


def test_the_most_serious_outcome_wins_and_every_problem_is_named(fi):
    h = fi.harness
    outcome, detail = fi.classify([(h.LEFT, "a .tmp"), (h.WRONG, "accepted"), (h.TRACEBACK, "ValueError"),
                                   (h.LOST, "run gone")])
    assert outcome == h.LOST
    assert detail.split("; ") == ["run gone", "ValueError", "a .tmp", "accepted"]


def test_a_trial_finds_changed_files_and_leftovers(fi):
    h = fi.harness
    session = h.Session()
    try:
        trial = h.Trial(session, "synthetic")
        kept = trial.work / "model.npz"
        kept.write_bytes(b"old")
        trial.protect(kept)
        link = trial.work / "link.npz"
        link.symlink_to("model.npz")
        trial.protect(link)
        assert trial.verdict() == (h.CLEAN, "")
        kept.write_bytes(b"new")
        link.unlink()
        link.write_bytes(b"a regular file now")
        (trial.home / ".settings.json.0badf00d.tmp").write_text("{")
        outcome, detail = trial.verdict()
        assert outcome == h.LOST
        assert "./model.npz was changed" in detail and "./link.npz was changed" in detail
        assert "temp files remain: $HOME/.settings.json.0badf00d.tmp" in detail
    finally:
        session.close()


def test_summary_line_and_exit_code(fi):
    h = fi.harness
    counts = {h.CLEAN: 5, h.TRACEBACK: 2, h.LOST: 1, h.LEFT: 3, h.WRONG: 4, h.HUNG: 1, h.SKIPPED: 2}
    assert fi.summary_line(counts) == "tried 16, clean 5, tracebacks 2, data lost 1, left behind 3"
    assert fi.exit_code([h.CLEAN, h.SKIPPED, h.WRONG], strict=False) == 0
    assert fi.exit_code([h.CLEAN, h.SKIPPED, h.WRONG], strict=True) == 1
    assert fi.exit_code([h.CLEAN, h.SKIPPED], strict=True) == 0


def test_the_catalogue_covers_issue_18(fi):
    names = [one.name for one in fi.CASES]
    assert len(names) == len(set(names)) >= 150
    covered = {one.issue for one in fi.CASES}
    assert {"18.1", "18.2", "18.3", "18.4", "18.5", "18.6", "18.7", "18.8", "18.smaller"} <= covered
    quick = {one.name for one in fi.select(quick=True)}
    assert "record-dataset-null" in quick and "kill9-during-checkpoint" not in quick
    assert [one.name for one in fi.select(["record-dataset-null", "memory-*"])] == \
        ["record-dataset-null"] + [n for n in names if n.startswith("memory-")]


def test_cases_that_are_handled_today_are_clean_end_to_end(fi):
    rows = fi.run_cases(fi.select(["model-random-bytes", "layers-conv0x5", "predict-text-as-image"]))
    assert [(one.name, outcome) for one, outcome, _, _ in rows] == [
        ("layers-conv0x5", "clean"), ("model-random-bytes", "clean"), ("predict-text-as-image", "clean")], rows
    assert all(detail.startswith("error: ") for _, _, detail, _ in rows), rows
