"""What the neuron card window shows, computed in a worker thread (no Qt here).

core.analysis.neuron.NeuronLab does the work (activations cached per weights version); this
adds what the window needs per *digit* rather than per task class (a "3 or not" network has
two classes, but the user still wants to see the ten digits), and the per-digit accuracy with
the unit as it is and silenced.
"""
import threading
from dataclasses import dataclass

import numpy as np

from core.analysis.neuron import LayerSummary, NeuronCard, NeuronLab


@dataclass
class CardData:
    """card: the NeuronCard; digits: (n_val,) digit label of every validation image;
    mean_per_digit (n_digits,); accuracy_*: overall float, per_digit_* (n_digits,) (NaN when a
    digit has no image); changed: how many predictions silencing changes; version: the lab's
    weights version; source: the model's name for the title ("epoch 3", "model.npz"); class_names:
    the name of each label (the digits, or a drawings project's classes)."""
    card: NeuronCard
    digits: np.ndarray
    mean_per_digit: np.ndarray
    accuracy_before: float
    accuracy_after: float
    per_digit_before: np.ndarray
    per_digit_after: np.ndarray
    changed: int
    version: str
    source: str
    class_names: tuple = tuple(str(d) for d in range(10))

    def name(self, label):
        """The name of label ``label`` (its number when the names stop short)."""
        return self.class_names[label] if label < len(self.class_names) else str(label)

    @property
    def label_word(self):
        """'digit' for the ten digits, else 'class'."""
        return "digit" if list(self.class_names) == [str(d) for d in range(10)] else "class"


def per_digit_mean(values, digits, n_digits):
    """(n,) values, (n,) digit labels -> (n_digits,) mean per digit (NaN for an absent digit)."""
    counts = np.bincount(digits, minlength=n_digits)[:n_digits]
    sums = np.bincount(digits, weights=values, minlength=n_digits)[:n_digits]
    with np.errstate(invalid="ignore", divide="ignore"):
        return sums / counts


@dataclass
class SummaryData:
    """summary: the LayerSummary; version: the lab's weights version; source: the model's name."""
    summary: LayerSummary
    version: str
    source: str


class CardComputer:
    """Owns one NeuronLab, shared by the card window and the unit list (gui.inspect.unit_list),
    whose workers run in different threads: a lock lets one use it at a time, and whatever one
    computes (a layer's activations) the other finds cached.

    A new validation set (another run or model) makes a new lab; new weights only a new
    version (NeuronLab.set_network copies the network, so the caller's copy is never run)."""

    def __init__(self):
        self.lab = None
        self._key = None
        self._lock = threading.Lock()

    def _lab_for(self, context):
        key = (context.data_key, len(context.images), context.normalisation)
        if self.lab is None or self._key != key:
            self.lab = NeuronLab(context.network, context.images, context.task_labels, context.normalisation)
            self._key = key
        else:
            self.lab.set_network(context.network)
        return self.lab

    def summary(self, context, layer):
        """The SummaryData of hidden layer ``layer`` (from 1) for an InspectContext."""
        with self._lock:
            lab = self._lab_for(context)
            return SummaryData(lab.layer_summary(layer), lab.version, context.source)

    def compute(self, context, layer, unit):
        """The CardData of unit ``unit`` (from 0) of hidden layer ``layer`` (from 1) for an
        InspectContext (gui.inspect.context)."""
        with self._lock:
            return self._compute(context, layer, unit)

    def _compute(self, context, layer, unit):
        digit_labels, source = context.digits, context.source
        lab = self._lab_for(context)
        card = lab.card(layer, unit)
        digits = np.asarray(digit_labels).astype(np.int64)
        n_digits = int(max(len(context.class_names), digits.max() + 1))
        before = lab.predictions()
        after = before.copy()
        after[card.ablation.changed] = card.ablation.predicted_after
        right_before = (before == lab.labels).astype(np.float64)
        right_after = (after == lab.labels).astype(np.float64)
        return CardData(card=card, digits=digits,
                        mean_per_digit=per_digit_mean(card.activations, digits, n_digits),
                        accuracy_before=float(right_before.mean()), accuracy_after=float(right_after.mean()),
                        per_digit_before=per_digit_mean(right_before, digits, n_digits),
                        per_digit_after=per_digit_mean(right_after, digits, n_digits),
                        changed=len(card.ablation.changed), version=lab.version, source=source,
                        class_names=tuple(context.class_names))
