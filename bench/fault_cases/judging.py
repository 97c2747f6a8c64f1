"""The rules that turn what a command did into an outcome: clean, traceback, data lost, left
behind, wrong or hung. Plain functions of text and files (no processes), so
tests/test_fault_injection.py checks them on synthetic input."""
import contextlib
import hashlib
import json
import os
import re
import stat
from dataclasses import dataclass
from pathlib import Path

# ----- outcomes -----------------------------------------------------------------------------
CLEAN = "clean"
TRACEBACK = "traceback"
LOST = "data lost"
LEFT = "left behind"
WRONG = "wrong"          # no traceback, but the wrong answer: accepted what it must refuse, silent, ...
HUNG = "hung"            # did not finish within its timeout
SKIPPED = "skipped"      # not tried (the fault cannot be injected here, or the entry point moved)
ERROR = "harness error"  # the case itself failed: a bug in this script, not in DigitLab
# A case with several problems is reported under the most serious one (all are in its detail).
SEVERITY = (LOST, TRACEBACK, HUNG, LEFT, WRONG)
OUTCOMES = (CLEAN, *SEVERITY, SKIPPED, ERROR)

TRACEBACK_MARK = "Traceback (most recent call last)"
# Files a writer leaves when it dies mid-write: atomic_write's hidden '.NAME.XXXXXXXX.tmp',
# any '*.tmp' / '*.tmp.*', tempfile's 'tmpXXXXXXXX' and '*.part' downloads.
TEMP_NAME = re.compile(r"(\.tmp$)|(\.tmp\.)|(^\..+\.tmp)|(^tmp[a-z0-9_]{8}$)|(\.part$)")
# stderr that is not DigitLab speaking: tqdm's progress bars (removed from a line, which may go
# on with a message), Qt's offscreen plugin and the per-epoch progress lines (whole lines).
PROGRESS_BAR = re.compile(r"\s*\d+%\|[^|]*\|\s*[\d.]+[kMG]?/[\d.?]+[kMG]?\s*\[[^\]]*\]")
# The line that ends a traceback: the exception's (dotted) class name, then ': message' or nothing.
EXCEPTION_LINE = re.compile(r"^[A-Za-z_][\w.]*(: .*)?$")
NOISE = re.compile(r"^(QStandardPaths:|This plugin does not support|qt\.qpa|Fontconfig|QObject::|epoch \d+: train )")


@dataclass
class Result:
    """One finished command."""
    label: str
    returncode: int | None
    stdout: str
    stderr: str
    seconds: float = 0.0
    timed_out: bool = False

    @property
    def message(self):
        return last_message(self.stderr)

    def json_lines(self):
        """Every stdout line that is a JSON value, parsed."""
        values = []
        for line in self.stdout.splitlines():
            with contextlib.suppress(ValueError):
                values.append(json.loads(line))
        return values


# ----- judging ------------------------------------------------------------------------------
def has_traceback(*texts):
    return any(TRACEBACK_MARK in (text or "") for text in texts)


def traceback_summary(text):
    """The exception line of the last traceback in text, e.g. 'ValueError: bad shape', and where
    Python swallowed it ('Exception ignored in: ...'): the program then went on as if nothing happened."""
    start = text.rfind(TRACEBACK_MARK)
    before = [PROGRESS_BAR.sub("", line).strip() for line in re.split(r"[\r\n]+", text[:max(start, 0)])]
    before = [line for line in before if line][-1:]
    ignored = before[0] if before and before[0].startswith("Exception ignored in") else ""
    lines = [PROGRESS_BAR.sub("", line) for line in re.split(r"[\r\n]+", text[start:])[1:]]
    exception = next((line.strip() for line in lines if EXCEPTION_LINE.match(line)), "") or "traceback"
    return (f"{exception} ({ignored}, and went on)" if ignored else exception)[:240]


def last_message(stderr):
    """The last thing the program said on stderr, progress bars and Qt chatter left out."""
    for line in reversed(re.split(r"[\r\n]+", stderr or "")):
        line = PROGRESS_BAR.sub("", line).strip()
        if line and not NOISE.search(line):
            return line
    return ""


def judge(result, expect):
    """Problems [(outcome, text)] of one command. expect: 'fail' (must be refused: non-zero exit
    and a message), 'ok' (must succeed), 'any' (either, but never a traceback or a silent
    failure) or 'ran' (only: it ended, without a traceback; the caller judges the rest)."""
    where = f"`{result.label}`"
    if expect not in ("fail", "ok", "any", "ran"):
        raise ValueError(f"expect must be fail, ok, any or ran, not {expect!r}")
    if result.timed_out:
        return [(HUNG, f"{where} did not finish within {result.seconds:.0f} s")]
    if has_traceback(result.stdout, result.stderr):
        return [(TRACEBACK, f"{where}: {traceback_summary(result.stderr + result.stdout)}")]
    code = result.returncode
    if expect == "ran":   # the caller judges the exit code itself
        return []
    if code is not None and code < 0:
        return [(WRONG, f"{where} died of signal {-code}")]
    if code == 0 and expect == "fail":
        return [(WRONG, f"{where} was accepted (exit 0){_said(result)}")]
    if code != 0 and expect == "ok":
        return [(WRONG, f"{where} failed (exit {code}): {result.message or 'nothing on stderr'}")]
    if code != 0 and not result.message:
        return [(WRONG, f"{where} failed (exit {code}) with nothing on stderr")]
    return []


def _said(result):
    out = [line for line in result.stdout.splitlines() if line.strip()]
    return f"; said: {out[-1][:90]}" if out else ""


def find_leftovers(*roots):
    """Temp files (TEMP_NAME) anywhere under the roots, symlinks not followed, sorted."""
    found = []
    for root in roots:
        for folder, dirs, files in os.walk(root):
            found.extend(Path(folder, name) for name in dirs + files if TEMP_NAME.search(name))
    return sorted(found)


def classify(problems, clean_detail=""):
    """(outcome, detail) of a case from its problems: the most serious outcome, every text."""
    if not problems:
        return CLEAN, clean_detail
    worst = min(problems, key=lambda problem: SEVERITY.index(problem[0]))[0]
    texts = [text for outcome, text in sorted(problems, key=lambda p: SEVERITY.index(p[0]))]
    return worst, "; ".join(dict.fromkeys(texts))


def fingerprint(path):
    """What a path is now: its kind and content (a folder: every file under it), None if gone."""
    path = Path(path)
    try:
        info = path.lstat()
    except FileNotFoundError:
        return None
    if stat.S_ISLNK(info.st_mode):
        return ("link", os.readlink(path))
    if stat.S_ISDIR(info.st_mode):
        return ("dir", tuple((str(p.relative_to(path)), fingerprint(p)) for p in sorted(path.rglob("*"))))
    if stat.S_ISREG(info.st_mode):
        return ("file", hashlib.sha256(path.read_bytes()).hexdigest())
    return ("special", stat.S_IFMT(info.st_mode), info.st_rdev)


def summary_line(counts):
    tried = sum(counts.get(outcome, 0) for outcome in (CLEAN, *SEVERITY))
    return (f"tried {tried}, clean {counts.get(CLEAN, 0)}, tracebacks {counts.get(TRACEBACK, 0)}, "
            f"data lost {counts.get(LOST, 0)}, left behind {counts.get(LEFT, 0)}")
