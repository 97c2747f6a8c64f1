"""Fault injection (issue 18): run a catalogue of bad inputs and faults against DigitLab's command
line and count how each one ends.

    python bench/fault_injection.py [--quick] [--strict] [--only NAME] [--list] [--verbose] [--keep]

Each case runs `python main.py ...` (and, where there is no command, a small `python -c` driver)
in a fresh temporary DIGITLAB_HOME and working folder, every process under a timeout (120 s) and
a 4 GB address-space limit. Its outcome is one of:

    clean        the right exit code (non-zero with a message on stderr for a refusal, zero where
                 success is right) and no Python traceback on stdout or stderr
    traceback    "Traceback (most recent call last)" reached the user
    data lost    a healthy file or run that existed before is gone or changed afterwards (e.g. a
                 healthy run no longer listed by `runs --json`, an --out target changed by a
                 failed run, a damaged record modified)
    left behind  temp files (*.tmp, .NAME.XXXX.tmp, ...) remain in the home or working folder
                 after the case, including after the clean-up chances it gives (`runs`, a resume)
    wrong        no traceback, but the wrong behaviour: accepted what must be refused, failed
                 what must work, said nothing, replaced a symlink, ...
    hung         a command did not finish within its timeout

A case with several problems counts under the most serious (in the order above); its detail
lists them all. The catalogue covers the eight defects of issue 18 and its 'Smaller' list (the
`issue` column: 18.1 ... 18.8, 18.s), plus the kinds of fault that were already handled: corrupt
model files, damaged IDX folders, nonsense layer stacks, extreme settings, damaged run records.
ENOSPC is skipped (a full disk needs a mount; the unit tests inject it).

The last line is the summary, e.g. `tried 150, clean 140, tracebacks 4, data lost 1, left
behind 2` (wrong and hung are on the line before it). Exit code 0, or with --strict 1 when any
case tried is not clean. --quick runs the fast cases only (no run longer than a few seconds, no
kill tests). --only takes case names or shell patterns, comma-separated (e.g. 'record-*').

The cases live in bench/fault_cases/, one module per concern; they reach DigitLab only through
main.py and files on disk, so the catalogue stays valid while core/ and gui/ are reorganised.
"""
import argparse
import fnmatch
import signal
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

# importing a case module registers its cases; this order is the catalogue's: issue 18's items first
from fault_cases import records, processes, app, inputs, my_digits, models, outputs, data  # noqa: E402,F401,I001
from fault_cases import harness  # noqa: E402
from fault_cases.harness import (CASES, CLEAN, ERROR, HUNG, LOST, SKIPPED, WRONG, Session, classify,  # noqa: E402
                                 find_leftovers, has_traceback, judge, run_case, summary_line)
from fault_cases.outputs import dev_null_is_intact  # noqa: E402

__all__ = ["harness", "records", "processes", "app", "inputs", "my_digits", "models", "outputs", "data", "CASES", "classify", "find_leftovers", "has_traceback", "judge", "summary_line", "select",
           "run_cases", "exit_code", "main"]

COLUMNS = (36, 11, 6)


def select(names=None, quick=False):
    """The cases to run, in catalogue order: those matching any of names (exact or pattern)."""
    chosen = [one for one in CASES if not quick or one.quick]
    if names:
        patterns = [name.strip() for name in names if name.strip()]
        chosen = [one for one in chosen if any(fnmatch.fnmatchcase(one.name, p) for p in patterns)]
    return chosen


def run_cases(cases, keep=False, report=None):
    """[(case, outcome, detail, seconds)]; report(row) is called as each case ends."""
    session = Session(keep=keep)
    if keep:
        print(f"temporary folders kept in {session.dir}", file=sys.stderr)
    rows = []
    try:
        for one in cases:
            outcome, detail, seconds = run_case(session, one)
            if not dev_null_is_intact():
                outcome, detail = LOST, "/dev/null is no longer a character device! " + detail
            rows.append((one, outcome, detail, seconds))
            if report:
                report(rows[-1])
    finally:
        session.close()
    return rows


def exit_code(outcomes, strict):
    return 1 if strict and any(outcome not in (CLEAN, SKIPPED) for outcome in outcomes) else 0


def format_row(row, verbose=False):
    one, outcome, detail, seconds = row
    detail = " ".join(detail.split())
    if not verbose and len(detail) > 150:
        detail = detail[:147] + "..."
    issue = one.issue.replace("smaller", "s") or "-"
    return (f"{one.name:<{COLUMNS[0]}} {outcome:<{COLUMNS[1]}} {issue:<{COLUMNS[2]}} {seconds:5.1f}s  {detail}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="only the fast cases")
    parser.add_argument("--strict", action="store_true", help="exit 1 if any case tried is not clean")
    parser.add_argument("--only", metavar="NAME", action="append", default=[],
                        help="case names or shell patterns, comma-separated (may repeat)")
    parser.add_argument("--list", action="store_true", help="list the cases and exit")
    parser.add_argument("--verbose", action="store_true", help="print each detail whole")
    parser.add_argument("--keep", action="store_true", help="keep the temporary folders (their path is printed)")
    args = parser.parse_args(argv)
    names = [name for group in args.only for name in group.split(",")]
    cases = select(names, args.quick)
    if args.list:
        for one in cases:
            print(f"{one.name:<{COLUMNS[0]}} {'quick' if one.quick else 'slow':<6} {one.issue or '-':<11} {one.about}")
        return 0
    if not cases:
        print(f"no case matches {', '.join(names)}", file=sys.stderr)
        return 2
    if not dev_null_is_intact():
        print("/dev/null is not a character device on this machine: not running", file=sys.stderr)
        return 2
    # SIGTERM ends this script like Ctrl-C: the running case's background processes are ended too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    print(f"{'case':<{COLUMNS[0]}} {'outcome':<{COLUMNS[1]}} {'issue':<{COLUMNS[2]}} {'time':>6}  detail")
    start = time.monotonic()
    rows = run_cases(cases, keep=args.keep, report=lambda row: print(format_row(row, args.verbose), flush=True))
    counts = Counter(outcome for _, outcome, _, _ in rows)
    failing = [row for row in rows if row[1] not in (CLEAN, SKIPPED)]
    if failing:
        print(f"\nnot clean ({len(failing)}):")
        for row in failing:
            print("  " + format_row(row, verbose=True))
    print(f"\n{len(rows)} cases in {time.monotonic() - start:.0f} s; also: wrong {counts[WRONG]}, hung {counts[HUNG]}, "
          f"harness errors {counts[ERROR]}; skipped {counts[SKIPPED]} (not counted as tried)")
    print(summary_line(counts))
    return exit_code(counts.elements(), args.strict)


if __name__ == "__main__":
    sys.exit(main())
