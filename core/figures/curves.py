"""The curves (loss and accuracy per epoch, train and validation) as one PIL image, as the
Training tab shows them, optionally only up to an epoch with the axes of the whole run (so a
film's frames show the curves growing on fixed axes).
"""
import math

from PIL import Image

from core.analysis.pictures import BACKGROUND
from core.figures.plot import TRAIN_COLOUR, VAL_COLOUR, Series, line_panel


def _values(history, key):
    return [v if isinstance(v, (int, float)) and math.isfinite(v) else None for v in history.get(key) or []]


def loss_range(history):
    """(0, top) covering every finite loss of the history (a margin of 5% above)."""
    values = [v for key in ("train_loss", "val_loss") for v in _values(history, key) if v is not None]
    return (0.0, 1.05 * max(values)) if values else (0.0, 1.0)


def accuracy_range(history):
    """(low, 1): low the lowest finite accuracy of the history rounded down to 0.05 (0 if none),
    so accuracies between 0.9 and 1 are not squeezed into the top tenth."""
    values = [v for key in ("train_accuracy", "val_accuracy") for v in _values(history, key) if v is not None]
    return (min(math.floor(min(values) * 20) / 20, 0.95) if values else 0.0, 1.0)


def curves_image(history, upto=None, epochs=None, loss_limits=None, size=(900, 320)):
    """history: {metric: [value per epoch]} with 'epoch' and any of train_loss, val_loss,
    train_accuracy, val_accuracy (a run record's RunRecord.history()). upto: draw epochs <= upto
    only; epochs: the x axis' last epoch (default: the last in history); loss_limits: (low, high)
    of the loss axis (default: loss_range(history)). Returns a PIL image of ``size``."""
    all_epochs = [int(e) for e in history.get("epoch") or []]
    last = epochs or (max(all_epochs) if all_epochs else 1)
    keep = [k for k, e in enumerate(all_epochs) if upto is None or e <= upto]
    xs = [all_epochs[k] for k in keep]

    def series(key, label, colour):
        values = _values(history, key)
        return Series(label, xs, [values[k] if k < len(values) else None for k in keep], colour)

    half = (size[0] // 2, size[1])
    loss = line_panel([series("train_loss", "train", TRAIN_COLOUR), series("val_loss", "validation", VAL_COLOUR)],
                      (1, last), loss_limits or loss_range(history), "Loss (lower is better)", half)
    accuracy = line_panel([series("train_accuracy", "train", TRAIN_COLOUR),
                           series("val_accuracy", "validation", VAL_COLOUR)],
                          (1, last), accuracy_range(history), "Accuracy (share right)", half)
    out = Image.new("RGB", size, BACKGROUND)
    out.paste(loss, (0, 0))
    out.paste(accuracy, (half[0], 0))
    return out
