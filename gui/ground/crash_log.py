"""The app's log file: unexpected errors with their tracebacks, kept where the user can find them.

One RotatingFileHandler on the root logger writes to core.storage.user_dirs.user_log_dir() /
digitlab.log (1 MB, three old files kept). Error dialogs and Help > About show the path, so a
user can send the traceback that the dialog itself keeps out of their face.
"""
import logging
import logging.handlers

from core.storage.user_dirs import user_log_dir

LOG_NAME = "digitlab.log"
MAX_BYTES = 1_000_000
BACKUPS = 3
log = logging.getLogger("digitlab")
_handler = None


def log_path():
    return user_log_dir() / LOG_NAME


def ensure_log_file():
    """Install (or re-point, if the log folder moved) the rotating file handler; returns the
    log file's path, or None if the folder cannot be written (then errors still go to stderr)."""
    global _handler
    path = log_path()
    if _handler is not None and _handler.baseFilename == str(path.absolute()):
        return path
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(path, maxBytes=MAX_BYTES, backupCount=BACKUPS,
                                                       encoding="utf-8", delay=True)
    except OSError:
        return None
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(threadName)s %(name)s: %(message)s"))
    handler.setLevel(logging.WARNING)
    root = logging.getLogger()
    if _handler is not None:
        root.removeHandler(_handler)
        _handler.close()
    root.addHandler(handler)
    _handler = handler
    return path


def log_exception(context, error):
    """Write ``context`` and the error's traceback to the log file; returns the file's path
    (None if it could not be written). Safe from any thread (logging locks its handlers)."""
    path = ensure_log_file()
    log.error("%s", context, exc_info=(type(error), error, error.__traceback__))
    if _handler is not None:
        _handler.flush()
    return path


def log_text(context, text):
    """Write ``context`` and ``text`` (a traceback another process sent) to the log file; returns
    the file's path (None if it could not be written)."""
    path = ensure_log_file()
    log.error("%s\n%s", context, text)
    if _handler is not None:
        _handler.flush()
    return path


def note_if_unexpected(error, context):
    """For errors the user can act on (DigitLabError: bad input; OSError: files, network) ''; for
    anything else (a bug) log the traceback and return the sentence saying where it went."""
    from core.errors import DigitLabError
    if isinstance(error, (DigitLabError, OSError)):
        return ""
    return "\n\n" + where_logged(log_exception(context, error))


def where_logged(path):
    """The sentence for dialogs that says where the details are."""
    return f"The details were written to {path}." if path else "The details could not be written to a log file."
