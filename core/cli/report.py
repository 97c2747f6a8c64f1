"""`python main.py report RUN --out report.html`: a recorded run's report, one HTML file with every
picture inside it (core.reports)."""
import os

from core.records.reader import open_run
from core.reports.run_report import ReportError, build_report, dataset_for_report, write_report


def register(subparsers):
    p = subparsers.add_parser("report", help="write a run's report as one HTML file",
                              description="Write a recorded run's report: settings, curves, confusion matrix, "
                                          "precision/recall/F1 per class, the most confident mistakes, calibration "
                                          "and the command that repeats the run, in one self-contained HTML file. "
                                          "The run's last kept checkpoint is measured on its data's test set.")
    p.add_argument("run_ref", metavar="RUN", help="the run: its id, the start of its id, or its name (python main.py runs)")
    p.add_argument("--out", metavar="FILE.html", required=True, help="where to write the report")
    p.add_argument("--epoch", type=int, metavar="E", help="report the checkpoint of epoch E (default: the last kept)")
    p.add_argument("--data", metavar="DIR", help="where the run's data lives (default: $DIGITLAB_DATA, else the "
                                                 "user data folder)")
    p.add_argument("--images", metavar="DIR", help="for a run trained on a folder of images (train --images): where "
                                                   "that folder is now (default: where it was)")
    p.set_defaults(run=run)


def run(args):
    if os.path.isdir(args.out):
        raise ReportError(f"--out {args.out} is a folder; give a file name such as {os.path.join(args.out, 'report.html')}")
    record = open_run(args.run_ref)
    html_text = build_report(record, dataset_for_report(record.settings, args.data, images=args.images), args.epoch)
    write_report(args.out, html_text)
    print(f"wrote the report of run {record.run_id} ({record.name}) to {args.out}")
    return 0
