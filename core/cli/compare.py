"""`python main.py compare RUN_A RUN_B`: settings diff, final metrics, validation disagreements and
calibration (ECE, 10 bins) of two recorded runs."""
import sys

from core.cli.common import add_data_arguments, load_data, print_json
from core.errors import ConfigError
from core.records.compare import compare_records
from core.records.reader import open_run

ROWS = (("epochs", "epoch", "{:.0f}"), ("train loss", "train_loss", "{:.4f}"),
        ("train accuracy", "train_accuracy", "{:.4f}"), ("val loss", "val_loss", "{:.4f}"),
        ("val accuracy", "val_accuracy", "{:.4f}"), ("best val accuracy", "best_val_accuracy", "{:.4f}"),
        ("best epoch", "best_epoch", "{:.0f}"), ("training seconds", "elapsed", "{:.1f}"))


def register(subparsers):
    p = subparsers.add_parser("compare", help="compare two recorded runs",
                              description="Compare two recorded runs (ids, starts of ids, or names): the settings "
                                          "that differ, final metrics, on how many validation images their final "
                                          "networks disagree, and the expected calibration error of each. Both are "
                                          "evaluated on run A's validation split.")
    p.add_argument("run_a", metavar="RUN_A")
    p.add_argument("run_b", metavar="RUN_B")
    add_data_arguments(p)
    p.add_argument("--json", action="store_true", help="print the comparison as one JSON object")
    p.set_defaults(run=run)


def _cell(value, fmt):
    return fmt.format(value) if isinstance(value, (int, float)) else "-"


def format_comparison(a, b, result):
    lines = [f"A: {a.run_id}  {a.name}", f"B: {b.run_id}  {b.name}", "", "Settings that differ:"]
    if result.settings_diff:
        width = max(len(k) for k in result.settings_diff)
        lines += [f"  {key.ljust(width)}  A: {va!r}   B: {vb!r}" for key, (va, vb) in result.settings_diff.items()]
    else:
        lines.append("  none")
    lines += ["", f"  {'':18}  {'A':>10}  {'B':>10}"]
    ma, mb = result.metrics["a"], result.metrics["b"]
    lines += [f"  {label:18}  {_cell(ma.get(key), fmt):>10}  {_cell(mb.get(key), fmt):>10}" for label, key, fmt in ROWS]
    lines += [f"  {'ECE (10 bins)':18}  {_cell(result.ece['a'], '{:.4f}'):>10}  {_cell(result.ece['b'], '{:.4f}'):>10}",
              "", f"They disagree on {result.disagreements:,} of {result.n_validation:,} validation images "
              f"(only A right: {result.only_a_right:,}, only B right: {result.only_b_right:,}); weights of epoch "
              f"{result.checkpoints['a']} (A) and {result.checkpoints['b']} (B)."]
    return "\n".join(lines)


def run(args):
    a, b = open_run(args.run_a), open_run(args.run_b)
    dataset_name = a.settings["dataset"].get("name")
    if dataset_name != b.settings["dataset"].get("name"):
        raise ConfigError(f"run A was trained on {dataset_name} and run B on {b.settings['dataset'].get('name')}; "
                          f"compare runs on the same data")
    if args.dataset == "mnist" and not args.data and dataset_name not in ("mnist", "", None):
        args.dataset = dataset_name   # the runs' own data unless the user named some
    dataset = load_data(args)
    if dataset.name != dataset_name:
        raise ConfigError(f"the runs were trained on {dataset_name}, not {dataset.name}; pass --dataset/--data")
    result = compare_records(a, b, dataset)
    if result.split_note:
        print(f"note: {result.split_note}", file=sys.stderr)
    if args.json:
        print_json(dict(result.to_json(), run_a=a.run_id, run_b=b.run_id))
    else:
        print(format_comparison(a, b, result))
    return 0
