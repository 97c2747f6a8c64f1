"""`python main.py runs`: list the run records (--json), rename or delete one."""
import datetime

from core.cli.common import print_json
from core.records.reader import delete_run, list_runs, rename_run
from core.records.writer import RunRecordError


def register(subparsers):
    p = subparsers.add_parser("runs", help="list the recorded training runs",
                              description="List the training runs DigitLab recorded (newest last). A record "
                                          "that cannot be read is listed with the reason and left alone.")
    p.add_argument("--json", action="store_true", help="print the list as one JSON array")
    p.add_argument("--rename", nargs=2, metavar=("RUN", "NAME"), help="give RUN a new name")
    p.add_argument("--delete", metavar="RUN", help="delete RUN's record (its checkpoints too)")
    p.set_defaults(run=run)


def _date(text):
    try:
        moment = datetime.datetime.fromisoformat(text)
    except (TypeError, ValueError):
        return text or "?"
    return moment.astimezone().strftime("%Y-%m-%d %H:%M")


def _percent(value):
    return f"{100 * value:.2f}%" if isinstance(value, (int, float)) else "-"


def _duration(seconds):
    if not isinstance(seconds, (int, float)):
        return "-"
    if seconds < 10:
        return f"{seconds:.2f} s"
    return f"{seconds:.0f} s" if seconds < 120 else f"{seconds / 60:.1f} min"


def format_table(summaries):
    """The list as aligned text columns; unreadable records after it with their reasons."""
    header = ("ID", "NAME", "DATE", "DATASET", "NETWORK", "BEST VAL", "EPOCHS", "TIME", "STATUS")
    rows = [(s.id, s.name, _date(s.created), s.dataset or "-", (s.network or "-").split(",")[0],
             _percent(s.best_val_accuracy), str(s.epochs) if not s.problem else "-",
             _duration(s.training_seconds), s.status) for s in summaries]
    widths = [max(len(str(r[i])) for r in rows + [header]) for i in range(len(header))]
    lines = ["  ".join(str(cell).ljust(width) for cell, width in zip(row, widths)).rstrip() for row in [header] + rows]
    problems = [f"  {s.id}: {s.status}: {s.problem}" for s in summaries if s.problem]
    if problems:
        lines += ["", "Records that cannot be read (left as they are):"] + problems
    return "\n".join(lines)


def run(args):
    for flag, value in (("--delete", args.delete), ("--rename", args.rename[0] if args.rename else None)):
        if value is not None and not value.strip():
            raise RunRecordError(f"{flag} needs a run id or name ('' names no run)")
    if args.rename:
        path = rename_run(args.rename[0], args.rename[1])
        print(f"renamed {path.name} to {args.rename[1]!r}")
        return 0
    if args.delete is not None:
        path = delete_run(args.delete)
        print(f"deleted {path}")
        return 0
    summaries = list_runs()
    if args.json:
        print_json([s.to_json() for s in summaries])
    elif not summaries:
        print("No recorded runs yet: python main.py train records every run.")
    else:
        print(format_table(summaries))
    return 0
