"""DigitLab launcher: no arguments opens the app; a sub-command runs the command line."""
import sys


def main(argv=None):
    argv = sys.argv[1:] if argv is None else argv
    if not argv:
        from gui.app import run_app   # imported late: the CLI must work without a display
        return run_app()
    from core.cli import main as cli_main
    return cli_main(argv)


if __name__ == "__main__":
    sys.exit(main())
