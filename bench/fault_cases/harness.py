"""The harness of the fault-injection catalogue: the registry of cases, and the trial each case
runs in (a throw-away home, the CLI under a timeout and a memory limit, files to protect).

A case is a function ``case(trial) -> (outcome, detail)`` registered with ``@case(name, ...)``.
It gets a Trial: a fresh DIGITLAB_HOME (``trial.home``) and working folder (``trial.work``), a
``trial.cli(...)`` that runs ``python main.py ...`` and judges the result against what was
expected (judging.py), ``trial.protect(path)`` for files that must survive, and
``trial.verdict()``, which looks for leftover temp files and returns the classification.

Over 300 lines: the Trial's helpers (commands, background processes, protected files, run
records) are what every case module shares, and read best in one place.
"""
import contextlib
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from fault_cases.judging import (CLEAN, ERROR, HUNG, LEFT, LOST, OUTCOMES, SEVERITY, SKIPPED, TRACEBACK, WRONG,
                                 Result, classify, find_leftovers, fingerprint, has_traceback, judge,
                                 summary_line, traceback_summary)

# The case modules take the outcomes and judging rules from here, with the harness.
__all__ = ["CLEAN", "ERROR", "HUNG", "LEFT", "LOST", "OUTCOMES", "SEVERITY", "SKIPPED", "TRACEBACK", "WRONG",
           "Result", "classify", "find_leftovers", "has_traceback", "judge", "summary_line", "traceback_summary",
           "REPO", "MAIN", "SHARED_MNIST", "TIMEOUT", "MEMORY_LIMIT", "Skip", "Case", "CASES", "case", "add_case",
           "child_env", "run_command", "Session", "Trial", "run_case"]

REPO = Path(__file__).resolve().parents[2]
MAIN = REPO / "main.py"
SHARED_MNIST = REPO.parent / "shared" / "data" / "mnist"
TIMEOUT = 120                       # seconds for any one command; longer counts as hung
MEMORY_LIMIT = 4 * 1024 ** 3        # RLIMIT_AS of every CLI process: a MemoryError, never a swapped machine


class Skip(Exception):
    """Raised by a case that cannot be tried here (the reason is its detail)."""


# ----- the registry -------------------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    name: str
    func: object
    quick: bool
    issue: str      # '18.1' ... '18.8', '18.smaller', or '' for the already-handled kinds
    about: str


CASES = []


def case(name, *, quick=True, issue="", about=""):
    """Register func(trial) -> (outcome, detail) as a case of the catalogue."""
    def register(func):
        add_case(name, func, quick=quick, issue=issue, about=about or (func.__doc__ or "").strip().split("\n")[0])
        return func
    return register


def add_case(name, func, *, quick=True, issue="", about=""):
    if any(existing.name == name for existing in CASES):
        raise ValueError(f"two cases named {name}")
    CASES.append(Case(name, func, quick, issue, about))


# ----- running commands ---------------------------------------------------------------------
def _limit_memory():
    with contextlib.suppress(ValueError, OSError):
        resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def child_env(home, extra=None):
    """The environment of a DigitLab process: its own home, nothing of the caller's DigitLab."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("DIGITLAB_")}
    runtime = Path(home).parent / "xdg-runtime"
    runtime.mkdir(mode=0o700, exist_ok=True)
    env.update(DIGITLAB_HOME=str(home), XDG_RUNTIME_DIR=str(runtime), PYTHONDONTWRITEBYTECODE="1")
    env.update(extra or {})
    return env


def run_command(argv, *, cwd, env, label, timeout=TIMEOUT, limit_memory=True):
    """Run argv to the end (or the timeout: then its whole process group is killed)."""
    start = time.monotonic()
    proc = subprocess.Popen(argv, cwd=cwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, encoding="utf-8", errors="replace",
                            start_new_session=True, preexec_fn=_limit_memory if limit_memory else None)
    timed_out = False
    try:
        out, err = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        timed_out = True
        with contextlib.suppress(ProcessLookupError):
            os.killpg(proc.pid, signal.SIGKILL)
        out, err = proc.communicate()
    return Result(label, proc.returncode, out, err, time.monotonic() - start, timed_out)


def short_label(args):
    text = " ".join(repr(a) if a == "" or " " in str(a) else str(a) for a in args)
    return "main.py " + (text if len(text) <= 70 else text[:67] + "...")


class Session:
    """What every case of one invocation shares: a scratch folder and fixtures built once
    (run records, a trained model, PNG bombs), always through the CLI."""

    def __init__(self, keep=False):
        self.dir = Path(tempfile.mkdtemp(prefix="digitlab-faults-"))
        self.keep = keep
        self._cache = {}

    def close(self):
        if not self.keep:
            shutil.rmtree(self.dir, ignore_errors=True)

    def cached(self, key, build):
        if key not in self._cache:
            try:
                self._cache[key] = build()
            except Skip as skip:
                self._cache[key] = skip
        value = self._cache[key]
        if isinstance(value, Skip):
            raise Skip(str(value))
        return value

    def _fixture_cli(self, home, *args, timeout=TIMEOUT):
        home.mkdir(parents=True, exist_ok=True)
        result = run_command([sys.executable, str(MAIN), *args], cwd=home.parent, env=child_env(home),
                             label=short_label(args), timeout=timeout)
        if result.returncode != 0:
            raise Skip(f"fixture `{result.label}` failed: "
                       f"{traceback_summary(result.stderr) if has_traceback(result.stderr) else result.message}")
        return result

    def runs_home(self):
        """A home with three finished runs, 'alpha' (2 epochs), 'beta' and 'gamma' (1 epoch each),
        on the built-in digits: (home folder, {name: run id})."""
        def build():
            home = self.dir / "fixture-runs" / "home"
            for name, epochs in (("alpha", 2), ("beta", 1), ("gamma", 1)):
                self._fixture_cli(home, "train", "--dataset", "digits", "--hidden", "16", "--epochs", str(epochs),
                                  "--run-name", name)
            listing = self._fixture_cli(home, "runs", "--json")
            try:
                ids = {row["name"]: row["id"] for row in json.loads(listing.stdout.strip().splitlines()[-1])}
            except (ValueError, KeyError, TypeError, IndexError) as error:
                raise Skip(f"fixture: `runs --json` is not a list of runs with names and ids ({error})")
            if not {"alpha", "beta", "gamma"} <= set(ids):
                raise Skip(f"fixture: `runs --json` does not list the three runs by name ({sorted(ids)})")
            return home, ids
        return self.cached("runs-home", build)

    def digits_model(self):
        """A model trained on the built-in digits with its training state (train --out)."""
        def build():
            home = self.dir / "fixture-model" / "home"
            out = self.dir / "fixture-model" / "digits-model.npz"
            self._fixture_cli(home, "train", "--dataset", "digits", "--hidden", "16", "--epochs", "1",
                              "--no-record", "--out", str(out))
            return out
        return self.cached("digits-model", build)


class Trial:
    """One case's world: a fresh home and working folder, and what the case found."""

    def __init__(self, session, name):
        self.session = session
        self.root = session.dir / name
        self.home = self.root / "home"
        self.work = self.root / "work"
        self.home.mkdir(parents=True)
        self.work.mkdir()
        self.env_extra = {}
        self.problems = []
        self.notes = []
        self.last = None
        self._protected = {}
        self._background = []

    # -- recording what was found
    def problem(self, outcome, text):
        self.problems.append((outcome, text))

    def note(self, text):
        self.notes.append(text)

    # -- commands
    def env(self):
        return child_env(self.home, self.env_extra)

    def cli(self, *args, expect="fail", timeout=TIMEOUT, label=None):
        """Run `python main.py ARGS` in the working folder; judge it against expect."""
        args = [str(a) for a in args]
        result = run_command([sys.executable, str(MAIN), *args], cwd=self.work, env=self.env(),
                             label=label or short_label(args), timeout=timeout)
        self.judge(result, expect)
        return result

    def python(self, code, *args, expect="ok", timeout=TIMEOUT, label=None, limit_memory=True, env=None):
        """Run `python -c CODE ARGS` (the drivers that reach what has no CLI: the window, imports)."""
        result = run_command([sys.executable, "-c", code, *map(str, args)], cwd=self.work,
                             env={**self.env(), **(env or {})}, label=label or "python -c ...",
                             timeout=timeout, limit_memory=limit_memory)
        if result.returncode == 77:
            raise Skip(result.message or "the driver found no entry point")
        self.judge(result, expect)
        return result

    def judge(self, result, expect):
        self.last = result
        self.problems.extend(judge(result, expect))
        return result

    def spawn(self, *args, name="background"):
        """Start `python main.py ARGS` in the background (output to files); verdict() ends it."""
        args = [str(a) for a in args]
        out = open(self.root / f"{name}.out", "w")
        err = open(self.root / f"{name}.err", "w")
        proc = subprocess.Popen([sys.executable, str(MAIN), *args], cwd=self.work, env=self.env(),
                                stdin=subprocess.DEVNULL, stdout=out, stderr=err, start_new_session=True,
                                preexec_fn=_limit_memory)
        proc.fault_files = (out, err, self.root / f"{name}.out", self.root / f"{name}.err")
        self._background.append(proc)
        return proc

    @staticmethod
    def output_of(proc):
        """(stdout, stderr) a background process wrote so far."""
        out, err, out_path, err_path = proc.fault_files
        out.flush()
        err.flush()
        return (out_path.read_text(encoding="utf-8", errors="replace"),
                err_path.read_text(encoding="utf-8", errors="replace"))

    @staticmethod
    def wait_for(condition, proc=None, timeout=TIMEOUT, interval=0.001):
        """Poll condition() until it is truthy (returned) or proc ends / the time is up (None)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            value = condition()
            if value:
                return value
            if proc is not None and proc.poll() is not None:
                return condition() or None
            time.sleep(interval)
        return None

    @staticmethod
    def wait(proc, timeout=TIMEOUT):
        """The exit code of a background process, or None if it runs on past the timeout."""
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    @staticmethod
    def end(proc, sig=signal.SIGKILL, timeout=30):
        """Send sig to a process this harness started; its exit code, or None if it did not end."""
        if proc.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.kill(proc.pid, sig)
        try:
            return proc.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            return None

    def stop_background(self):
        for proc in self._background:
            if proc.poll() is None:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
            for handle in proc.fault_files[:2]:
                handle.close()
        self._background = []

    # -- files
    def protect(self, path):
        """path must be exactly as now when the case ends (else: data lost)."""
        self._protected[Path(path)] = fingerprint(path)

    def release(self, path):
        self._protected.pop(Path(path), None)

    def check_protected(self):
        for path, before in list(self._protected.items()):
            if fingerprint(path) != before:
                self.problem(LOST, f"{self.rel(path)} was {'removed' if not path.exists() else 'changed'}")
                self.release(path)

    def rel(self, path):
        path = Path(path)
        for base, name in ((self.home, "$HOME"), (self.work, "."), (self.root, "<case>")):
            with contextlib.suppress(ValueError):
                return f"{name}/{path.relative_to(base)}"
        return str(path)

    def use_runs_home(self):
        """Copy the session's three-run home into this trial: {name: run id}."""
        home, ids = self.session.runs_home()
        shutil.copytree(home, self.home, symlinks=True, dirs_exist_ok=True)
        return dict(ids)

    def run_dir(self, run_id):
        """The folder of a run record, wherever under the home the app keeps them."""
        for path in self.home.rglob(run_id):
            if path.is_dir():
                return path
        return None

    def run_dirs(self):
        return sorted({p.parent for p in self.home.rglob("settings.json")} |
                      {p.parent for p in self.home.rglob("history.jsonl")})

    def runs_json(self, expect_ok=True):
        """`runs --json` parsed ({id: row}), or None (a problem is recorded) if it cannot be."""
        result = self.cli("runs", "--json", expect="ok" if expect_ok else "any")
        if result.returncode != 0:
            return None
        try:
            rows = json.loads(result.stdout.strip().splitlines()[-1]) if result.stdout.strip() else []
            return {row["id"]: row for row in rows}
        except (ValueError, KeyError, TypeError) as error:
            self.problem(WRONG, f"`runs --json` printed no list of runs ({error})")
            return None

    @staticmethod
    def history_epochs(run_dir):
        """The epoch numbers of a record's history.jsonl, in file order."""
        epochs = []
        path = Path(run_dir) / "history.jsonl"
        if path.is_file():
            for line in path.read_text(encoding="utf-8", errors="replace").splitlines():
                with contextlib.suppress(ValueError, TypeError, AttributeError):
                    epochs.append(json.loads(line)["epoch"])
        return epochs

    def copy_fixture(self, source, name):
        target = self.work / name
        shutil.copyfile(source, target)
        return target

    # -- the end
    def verdict(self, clean_detail=None):
        """Stop what still runs, check protected files and leftovers, classify."""
        self.stop_background()
        self.check_protected()
        left = [p for p in find_leftovers(self.home, self.work)]
        if left:
            names = ", ".join(self.rel(p) for p in left[:3]) + (f" (+{len(left) - 3} more)" if len(left) > 3 else "")
            self.problem(LEFT, f"temp files remain: {names}")
        detail = clean_detail if clean_detail is not None else "; ".join(dict.fromkeys(self.notes))
        if not detail and self.last is not None:
            said = [line for line in self.last.stdout.splitlines() if line.strip()]
            if self.last.returncode == 0 and said:
                detail = f"ok: {said[-1]}"
            else:
                detail = self.last.message or f"`{self.last.label}` exit {self.last.returncode}"
        return classify(self.problems, detail)


def run_case(session, one):
    """(outcome, detail, seconds) of one case, in its own trial folder."""
    start = time.monotonic()
    trial = Trial(session, one.name)
    try:
        outcome, detail = one.func(trial)
    except Skip as skip:
        outcome, detail = SKIPPED, str(skip)
    except Exception as error:   # a bug in the case, reported as such, never as DigitLab's
        outcome, detail = ERROR, f"{type(error).__name__}: {error}"
    finally:
        trial.stop_background()
        for path, short in ((trial.work, "."), (trial.home, "$HOME"), (trial.root, "<case>")):
            detail = detail.replace(f"{path}/", f"{short}/").replace(str(path), short)
        if not session.keep:
            shutil.rmtree(trial.root, ignore_errors=True)
    return outcome, detail, time.monotonic() - start
