"""Numbers as the words and figures the window shows (durations, ...), the same in every view."""
import math


def format_duration(seconds):
    """'1:05:09', '4:07' or '—' for unknown."""
    if seconds is None or not math.isfinite(seconds):
        return "—"
    seconds = int(round(seconds))
    hours, rest = divmod(seconds, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"


def break_anywhere(text):
    """``text`` with a zero-width space after every path separator, so a word-wrapped label can
    break a long path (a label only breaks at spaces)."""
    return str(text).replace("/", "/\u200b").replace("\\", "\\\u200b")
