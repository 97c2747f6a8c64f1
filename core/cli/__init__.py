"""The command line: `python main.py SUB-COMMAND ...`. Each sub-command lives in its own module
with ``register(subparsers)``, which adds its parser and sets ``run`` (args -> exit code).

Errors the user can fix (DigitLabError) and running out of memory (MemoryError) become one
line on stderr and exit code 2; a traceback is only for bugs.
"""
import argparse
import importlib
import sys

from core.errors import DigitLabError

COMMAND_MODULES = [
    "core.cli.train",
    "core.cli.evaluate",
    "core.cli.download",
    "core.cli.gradcheck",
    "core.cli.cost",
    "core.cli.gradspeed",
    "core.cli.predict",
    "core.cli.runs",
    "core.cli.compare",
    "core.cli.step",
    "core.cli.explain",
    "core.cli.neuron",
    "core.cli.lessons",
    "core.cli.film",
    "core.cli.report",
]


class OneLineErrorParser(argparse.ArgumentParser):
    """argparse that reports bad arguments as a single line (plus a pointer to --help)."""

    def error(self, message):
        self.exit(2, f"{self.prog}: error: {message} (see {self.prog} --help)\n")


def build_parser():
    parser = OneLineErrorParser(prog="python main.py", description="DigitLab: train and test a NumPy neural "
                                "network on handwritten digits. Without a sub-command, the app opens.")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=OneLineErrorParser)
    subparsers.required = True
    for module_name in COMMAND_MODULES:
        importlib.import_module(module_name).register(subparsers)
    return parser


def main(argv=None):
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        return int(args.run(args) or 0)
    except DigitLabError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    except MemoryError as error:   # an estimate refuses most set-ups first (core.nn.memory); this is the rest
        detail = f" ({error})" if str(error) else ""
        print(f"error: out of memory{detail}; use a smaller network, batch or image size", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
