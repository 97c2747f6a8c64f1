"""Run the command line in this process, as `python main.py ...` would, and capture what it says."""
import main


def run_cli(capsys, *argv):
    """(exit code, stdout, stderr) of ``main.main(argv)``; argparse's SystemExit is an exit code."""
    try:
        code = main.main(list(argv))
    except SystemExit as exit_:
        code = exit_.code
    out, err = capsys.readouterr()
    return code, out, err
