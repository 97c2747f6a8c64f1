"""The metric history as a CSV file: one row per epoch, one column per recorded metric.

The columns come from the history itself (every per-epoch list it holds, in its own order), so a
metric the trainer adds (test_loss and test_accuracy when the test set is tracked, anything
later) is exported without a second list to keep in step. When the run's TrainConfig is given,
its settings come first as comment lines, one per declared setting (core.settings.config):

    # DigitLab metric history
    # hidden_sizes = 128
    # learning_rate = 0.2
    ...
    epoch,step,train_loss,train_accuracy,val_loss,val_accuracy,learning_rate,elapsed,test_loss,test_accuracy
    0,421,0.31,0.91,...

Spreadsheets show the comment lines as text rows; ``pandas.read_csv(path, comment="#")`` and
``numpy.genfromtxt(path, delimiter=",", names=True)`` skip them. The file is written atomically.
"""
import csv
import io
import math

from core.storage.atomic import atomic_write

TITLE = "DigitLab metric history"


def history_columns(history):
    """The names of history's per-epoch columns, in the history's order: every value that is a
    list (or tuple) as long as history['epoch'] (as long as the longest list if there is no
    'epoch')."""
    lists = {key: values for key, values in history.items() if isinstance(values, (list, tuple))}
    n_rows = len(lists["epoch"]) if "epoch" in lists else max((len(v) for v in lists.values()), default=0)
    return [key for key, values in lists.items() if len(values) == n_rows]


def settings_lines(config):
    """'name = value' for every declared setting of config (a TrainConfig), in declaration order."""
    from core.settings.fields import settings_of
    return [f"{info.name} = {info.to_text(getattr(config, info.name))}" for info in settings_of(type(config))]


def write_history_csv(path, history, config=None):
    """Write ``history`` (dict of equal-length per-epoch lists) to path as CSV, atomically.

    config: the run's TrainConfig, written first as '# name = value' lines (None: no settings).
    Returns the number of rows written. OSError if the file cannot be written (nothing is left
    behind: the old file, if any, stays as it was).
    """
    columns = history_columns(history)
    n_rows = len(history[columns[0]]) if columns else 0
    text = io.StringIO()
    if config is not None:
        text.write(f"# {TITLE}\n")
        for line in settings_lines(config):
            text.write(f"# {line}\n")
    writer = csv.writer(text, lineterminator="\n")
    writer.writerow(columns)
    for row in range(n_rows):
        writer.writerow([cell(history[key][row]) for key in columns])
    with atomic_write(path) as handle:
        handle.write(text.getvalue().encode("utf-8"))
    return n_rows


def cell(value):
    """A CSV cell: whole numbers without '.0', floats at full precision (repr), '' for missing
    values (None; the JSON-safe history writes NaN as None), text as it is."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    value = float(value)
    if math.isfinite(value) and value.is_integer():
        return int(value)
    return repr(value)
