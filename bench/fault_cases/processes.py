"""Real processes and real signals: resuming or deleting a run that another process is still
writing (issue 18 item 2), two resumes at once, and kill -9 / SIGTERM / Ctrl-C at chosen moments
of a run (item 7). Moments are found by polling the files, never by fixed sleeps."""
import signal

from fault_cases.harness import (HUNG, LOST, TRACEBACK, WRONG, Skip, case, find_leftovers, has_traceback,
                                 traceback_summary)

# A run with an 18 MB checkpoint per epoch (64-1500-1500-10 and its momentum), so a write lasts
# long enough to be caught; each epoch takes a fraction of a second on the built-in digits.
BIG_RUN = ("train", "--dataset", "digits", "--hidden", "1500,1500", "--epochs", "8", "--run-name", "victim")
LIVE_RUN = ("train", "--dataset", "digits", "--hidden", "16", "--epochs", "100000", "--run-name", "live")


def history_rows(trial):
    dirs = trial.run_dirs()
    return len(trial.history_epochs(dirs[0])) if dirs else 0


def epochs_in_order(trial, run_dir):
    epochs = trial.history_epochs(run_dir)
    if epochs != sorted(set(epochs)):
        shown = epochs if len(epochs) <= 12 else epochs[:12] + ["..."]
        trial.problem(WRONG, f"history epochs out of order or repeated: {shown}")


# ----- issue 18 item 2 ------------------------------------------------------------------------
@case("live-run-resume-and-delete", issue="18.2", quick=False)
def live_run(trial):
    """While a run trains in another process: `runs --delete` and `train --resume` of it are
    refused, and the record survives."""
    proc = trial.spawn(*LIVE_RUN, name="live")
    if not trial.wait_for(lambda: history_rows(trial) >= 1, proc, interval=0.01):
        raise Skip("the background run recorded no epoch")
    run_dir = trial.run_dirs()[0]
    run_id = run_dir.name
    trial.cli("runs", "--delete", run_id, expect="fail", label="runs --delete LIVE")
    still_there(trial, run_dir, "after the first delete")
    resumed = trial.cli("train", "--resume", run_id, "--epochs", "2", expect="fail", label="train --resume LIVE")
    trial.note(f"resume of the live run: {resumed.message or f'exit {resumed.returncode}'}")
    trial.cli("runs", "--delete", run_id, expect="fail", label="runs --delete LIVE (after the resume)")
    still_there(trial, run_dir, "after the delete that followed the resume")
    if proc.poll() is not None:
        trial.problem(WRONG, f"the background run ended early (exit {proc.returncode})")
    if trial.end(proc, signal.SIGINT) is None:
        trial.end(proc, signal.SIGKILL)
    epochs_in_order(trial, run_dir)
    still_there(trial, run_dir, "after the background run stopped")
    trial.cli("runs", expect="ok")
    return trial.verdict()


def still_there(trial, run_dir, when):
    if not (run_dir / "settings.json").is_file():
        trial.problem(LOST, f"the live run's record lost its settings.json {when}")


@case("two-resumes-at-once", issue="18.2", quick=False)
def two_resumes(trial):
    """Two `train --resume RUN` started together: one is refused, the history stays in order."""
    ids = trial.use_runs_home()
    args = ("train", "--resume", ids["alpha"], "--epochs", "150")
    first, second = trial.spawn(*args, name="first"), trial.spawn(*args, name="second")
    codes = [trial.wait(proc, timeout=120) for proc in (first, second)]
    if None in codes:
        trial.problem(HUNG, "a resume did not finish within 120 s")
    for proc in (first, second):
        if has_traceback(trial.output_of(proc)[1]):
            trial.problem(TRACEBACK, f"a resume: {traceback_summary(trial.output_of(proc)[1])}")
    if codes == [0, 0]:
        trial.problem(WRONG, "both simultaneous resumes of one run were accepted")
    epochs = trial.history_epochs(trial.run_dir(ids["alpha"]))
    trial.note(f"exit codes {codes}; history epochs {epochs[:3]}...{epochs[-2:]} ({len(epochs)} rows)")
    epochs_in_order(trial, trial.run_dir(ids["alpha"]))
    trial.cli("runs", expect="ok")
    return trial.verdict()


# ----- issue 18 item 7 ------------------------------------------------------------------------
def npz_temp(root):
    return [path for path in find_leftovers(root) if ".npz" in path.name]


def checkpoint_write(trial, epoch):
    """The temp files while epoch's checkpoint is being written (earlier ones are complete, so a
    resume has a start), else None."""
    return [path for path in npz_temp(trial.home) if f"epoch-{epoch:04d}" in path.name] or None


def kill_case(name, sig, moment, quick=False, resume_first=False, epoch=2):
    """Start BIG_RUN (with --out model.npz), send sig at the moment, then: the process ends, no
    temp file outlives `runs` and a resume (or, for --out, a later save to the same file),
    SIGTERM/SIGINT leave the run 'stopped', the --out file is complete or absent."""
    signame = signal.Signals(sig).name
    when = moment if moment == "between epochs" else f"during {moment}"
    when += f" (epoch {epoch})" if moment == "a checkpoint write" else ""

    @case(name, issue="18.7" if sig != signal.SIGINT else "", quick=quick,
          about=f"{signame} {when}{' of a resume' if resume_first else ''}")
    def run(trial):
        args = BIG_RUN + ("--out", "model.npz")
        if resume_first:   # one epoch first, then the resume is the run that is killed
            trial.cli(*BIG_RUN[:-4], "--epochs", "1", "--run-name", "victim", expect="ok", label="train (1 epoch)")
            args = ("train", "--resume", "victim", "--epochs", "8")
        proc = trial.spawn(*args, name="victim")
        if moment == "a checkpoint write":
            caught = trial.wait_for(lambda: checkpoint_write(trial, epoch), proc)
        elif moment == "the --out write":
            caught = trial.wait_for(lambda: npz_temp(trial.work), proc)
        else:   # between epochs: two rows recorded and no write under way
            caught = trial.wait_for(lambda: history_rows(trial) >= 2 and not find_leftovers(trial.home), proc)
        if not caught:
            trial.end(proc)
            raise Skip(f"the moment ({moment}) was not caught before the run ended")
        code = trial.end(proc, sig, timeout=60)
        if code is None:
            trial.problem(HUNG, f"the run did not end within 60 s of {signame}")
            trial.end(proc)
        stderr = trial.output_of(proc)[1]
        if sig != signal.SIGKILL and has_traceback(stderr):
            trial.problem(TRACEBACK, f"after {signame}: {traceback_summary(stderr)}")
        trial.cli("runs", expect="ok")
        rows = trial.runs_json() or {}
        victim = next((row for row in rows.values() if row.get("name") == "victim"), None)
        trial.note(f"{signame} {when}" + (f" ({caught[0].name})" if isinstance(caught, list) else "") +
                   (f"; the run then listed as {victim.get('status')}" if victim else ""))
        if victim is None:
            trial.problem(LOST, "the killed run is no longer listed")
        elif sig != signal.SIGKILL and moment != "the --out write" and victim.get("status") != "stopped":
            trial.problem(WRONG, f"{signame} left the run '{victim.get('status')}', not 'stopped' as Ctrl-C does")
        if victim is not None and moment != "the --out write":
            trial.cli("train", "--resume", victim["id"], "--epochs", "1", expect="ok",
                      label="train --resume KILLED --epochs 1")
        if (trial.work / "model.npz").exists():
            trial.cli("evaluate", "--model", "model.npz", "--dataset", "digits", expect="ok",
                      label="evaluate --model model.npz (the --out file)")
        if moment == "the --out write":   # a later save to the same file is the clean-up chance
            trial.cli("train", "--dataset", "digits", "--epochs", "1", "--hidden", "16", "--no-record",
                      "--out", "model.npz", expect="ok", label="train --out model.npz (a later save)")
        return trial.verdict()
    return run


# A signal that lands while Python runs a finalizer (e.g. ZipFile.__del__ at the end of a write)
# can be swallowed ("Exception ignored in ..."): hence several checkpoints for SIGTERM and SIGINT.
kill_case("kill9-during-checkpoint", signal.SIGKILL, "a checkpoint write")
kill_case("kill9-during-checkpoint-5", signal.SIGKILL, "a checkpoint write", epoch=5)
kill_case("sigterm-during-checkpoint", signal.SIGTERM, "a checkpoint write")
kill_case("sigterm-during-checkpoint-4", signal.SIGTERM, "a checkpoint write", epoch=4)
kill_case("sigterm-during-checkpoint-6", signal.SIGTERM, "a checkpoint write", epoch=6)
kill_case("sigint-during-checkpoint", signal.SIGINT, "a checkpoint write")
kill_case("sigint-during-checkpoint-5", signal.SIGINT, "a checkpoint write", epoch=5)
kill_case("kill9-between-epochs", signal.SIGKILL, "between epochs")
kill_case("sigterm-between-epochs", signal.SIGTERM, "between epochs")
kill_case("kill9-during-out-write", signal.SIGKILL, "the --out write")
kill_case("sigterm-during-out-write", signal.SIGTERM, "the --out write")
kill_case("kill9-during-resume-checkpoint", signal.SIGKILL, "a checkpoint write", resume_first=True)
