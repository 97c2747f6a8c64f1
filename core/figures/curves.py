"""The curves (loss and accuracy per epoch, train and validation, and test where the run recorded
it) as one PIL image, as the Training tab shows them: its colours and markers, accuracy in %;
optionally only up to an epoch with the axes of the whole run (so a film's frames show the curves
growing on fixed axes).
"""
import math

from PIL import Image

from core.analysis.pictures import BACKGROUND
from core.figures.plot import TEST_COLOUR, TRAIN_COLOUR, VAL_COLOUR, Series, line_panel

ACCURACY_KEYS = ("train_accuracy", "val_accuracy", "test_accuracy")


def _values(history, key):
    return [v if isinstance(v, (int, float)) and math.isfinite(v) else None for v in history.get(key) or []]


def loss_range(history):
    """(0, top) covering every finite loss of the history (a margin of 5% above)."""
    values = [v for key in ("train_loss", "val_loss", "test_loss") for v in _values(history, key) if v is not None]
    return (0.0, 1.05 * max(values)) if values else (0.0, 1.0)


def accuracy_range(history):
    """(low, 100) in %: low the lowest finite accuracy of the history rounded down to 5% (0 if
    none), so accuracies between 90% and 100% are not squeezed into the top tenth."""
    values = [v for key in ACCURACY_KEYS for v in _values(history, key) if v is not None]
    return (min(math.floor(min(values) * 20) * 5.0, 95.0) if values else 0.0, 100.0)


def curve_series(history, keep=None):
    """(loss series, accuracy series) as drawn: train and validation, and test when the history has
    a test value, each in the app's colour and marker; accuracy in %. keep: indices of the epochs
    drawn (default: all)."""
    all_epochs = [int(e) for e in history.get("epoch") or []]
    keep = range(len(all_epochs)) if keep is None else keep
    xs = [all_epochs[k] for k in keep]

    def series(key, label, colour, marker, scale=1.0):
        values = _values(history, key)
        ys = [values[k] if k < len(values) else None for k in keep]
        return Series(label, xs, [None if v is None else scale * v for v in ys], colour, marker)
    roles = [("train", "train", TRAIN_COLOUR, "o"), ("val", "validation", VAL_COLOUR, "s")]
    if any(v is not None for key in ("test_loss", "test_accuracy") for v in _values(history, key)):
        roles.append(("test", "test", TEST_COLOUR, "t"))   # as the Training tab: only a run that records it
    return ([series(f"{key}_loss", label, colour, marker) for key, label, colour, marker in roles],
            [series(f"{key}_accuracy", label, colour, marker, 100.0) for key, label, colour, marker in roles])


def curves_image(history, upto=None, epochs=None, loss_limits=None, size=(900, 320)):
    """history: {metric: [value per epoch]} with 'epoch' and any of train_loss, val_loss,
    train_accuracy, val_accuracy (a run record's RunRecord.history()). upto: draw epochs <= upto
    only; epochs: the x axis' last epoch (default: the last in history); loss_limits: (low, high)
    of the loss axis (default: loss_range(history)). Returns a PIL image of ``size``."""
    all_epochs = [int(e) for e in history.get("epoch") or []]
    last = epochs or (max(all_epochs) if all_epochs else 1)
    keep = [k for k, e in enumerate(all_epochs) if upto is None or e <= upto]
    losses, accuracies = curve_series(history, keep)
    half = (size[0] // 2, size[1])
    loss = line_panel(losses, (1, last), loss_limits or loss_range(history), "Loss (lower is better)", half)
    accuracy = line_panel(accuracies, (1, last), accuracy_range(history), "Accuracy (%)", half)
    out = Image.new("RGB", size, BACKGROUND)
    out.paste(loss, (0, 0))
    out.paste(accuracy, (half[0], 0))
    return out
