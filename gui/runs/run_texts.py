"""The words a run's row shows: its start in local time, its network in short, where it came from."""
import datetime
from pathlib import Path


def local_time(iso):
    """'11-26 13:15' (this year) or '2025-11-26 13:15' in local time for an ISO timestamp."""
    try:
        moment = datetime.datetime.fromisoformat(iso).astimezone()
        same_year = moment.year == datetime.datetime.now().astimezone().year
        return moment.strftime("%m-%d %H:%M" if same_year else "%Y-%m-%d %H:%M")
    except (TypeError, ValueError):
        return iso or ""


def short_network(description):
    """'784-64-10 relu' of '784-64-10 relu, softmax + cross_entropy' (the table's tooltip has all)."""
    return description.split(",")[0]


def parent_text(parent):
    """Where a run came from: 'name, epoch 2' for a fork, the file name for a continued model."""
    if not isinstance(parent, dict):
        return ""
    if "run" in parent:
        return f"epoch {parent.get('epoch', '?')} of {parent.get('name') or parent['run']}"
    if "model" in parent:
        return f"model {Path(str(parent['model'])).name}"
    return ""
