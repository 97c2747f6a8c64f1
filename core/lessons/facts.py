"""The measured numbers a lesson's checks and texts use (core.lessons.vocabulary.FACTS), from what
a run left: its history, its network and its validation set. The data's own facts (majority_share,
n_validation) are those of the set-up a lesson asks about (RunFacts.planned_labels, the validation
set the form's settings give), which may differ from the last run's (a ten-digit run before a
one-digit lesson).

    facts = run_facts(RunFacts(history=..., network=..., config=..., val_images=..., val_labels=...))
    Expression.parse("precision(1)").evaluate(facts)

The functions (precision, shifted_accuracy, ...) evaluate the network when first called and
keep the answer: call run_facts off the GUI thread when the network is large.
"""
import math
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Optional

import numpy as np

from core.analysis.invariance import accuracy_of, fixed_subset, transformed
from core.data.normalise import to_float
from core.evaluation.metrics import confusion_matrix
from core.lessons.vocabulary import BEST_IS_LOWEST


@dataclass
class RunFacts:
    """What the window knows about the run it shows (every part may be missing)."""
    history: dict = field(default_factory=dict)        # key -> [one value per epoch]
    network: object = None                             # the network the run ended with
    config: object = None                              # its TrainConfig
    val_images: Optional[np.ndarray] = None            # (n, H, W) uint8 validation images
    val_labels: Optional[np.ndarray] = None            # (n,) task labels (0/1 for one digit against the rest)
    # the task labels of the validation set the lesson's set-up (the form) would use: the data
    # facts (majority_share, n_validation) are of this set-up, not of whatever ran last; None: val_labels
    planned_labels: Optional[np.ndarray] = None
    n_train: Optional[int] = None
    diverged: bool = False
    suggested_rate: Optional[float] = None
    test_accuracy: Optional[float] = None
    gradient: dict = field(default_factory=dict)       # backprop_seconds, numerical_seconds, speedup
    drawn: Optional[np.ndarray] = None                 # (n_classes,) probabilities of the drawing
    kept_digits: Optional[int] = None
    remembered: dict = field(default_factory=dict)     # names a lesson's 'remember:' kept


def _rows(history):
    keys = [key for key, values in history.items() if isinstance(values, (list, tuple)) and len(values)]
    final = {key: history[key][-1] for key in keys}
    first = {key: history[key][0] for key in keys}
    best = {}
    for key in keys:
        values = [v for v in history[key] if isinstance(v, (int, float)) and not math.isnan(v)]
        if values:
            best[key] = min(values) if key in BEST_IS_LOWEST else max(values)
    return final, first, best


def run_facts(run):
    """A dict of every fact the run can give (missing ones are absent: checks that need them say so)."""
    final, first, best = _rows(run.history or {})
    facts = {"final": final or None, "first": first or None, "best": best or None,
             "epochs_run": len((run.history or {}).get("val_accuracy", [])) or None,
             "diverged": bool(run.diverged), "suggested_rate": run.suggested_rate,
             "test_accuracy": run.test_accuracy, "n_train": run.n_train, "kept_digits": run.kept_digits}
    if run.config is not None:
        facts["config"] = {name: getattr(run.config, name) for name in vars(run.config)}
    if run.gradient:
        facts.update(backprop_seconds=run.gradient.get("backprop_seconds"),
                     numerical_seconds=run.gradient.get("numerical_seconds"),
                     gradient_speedup=run.gradient.get("speedup"))
    if run.drawn is not None and len(run.drawn):
        # the best of the ten digits (a model with the not-a-digit class has an eleventh output:
        # its probability is drawn_not_a_digit)
        digits = np.asarray(run.drawn)[:10]
        facts.update(drawn_digit=int(np.argmax(digits)), drawn_confidence=float(np.max(digits)),
                     drawn_not_a_digit=float(run.drawn[10]) if len(run.drawn) > 10 else 0.0)
    set_up_labels = run.planned_labels if run.planned_labels is not None else run.val_labels
    if set_up_labels is not None and len(set_up_labels):
        counts = np.bincount(np.asarray(set_up_labels))
        facts.update(majority_share=float(counts.max() / counts.sum()), n_validation=int(len(set_up_labels)))
    if run.network is not None:
        facts["n_parameters"] = int(sum(p.size for p in run.network.params))
        first_layer = run.network.weights[0]
        facts["weights_rms"] = float(np.sqrt(np.mean(np.square(first_layer))))
        if run.val_images is not None and run.val_labels is not None and len(run.val_labels):
            facts.update(_network_functions(run))
    facts.update(run.remembered)
    return facts


def _network_functions(run):
    network, images, labels = run.network, run.val_images, np.asarray(run.val_labels)
    normalisation = getattr(run.config, "normalisation", "zero_one")
    n_classes = network.n_classes

    @lru_cache(maxsize=1)
    def confusion():
        inputs = to_float(images, normalisation, network.dtype)
        return confusion_matrix(labels, network.predict(inputs), n_classes)

    def cell(true, answer):
        return int(confusion()[int(true), int(answer)])

    def precision(c):
        column = confusion()[:, int(c)].sum()
        return float(confusion()[int(c), int(c)] / column) if column else 0.0

    def recall(c):
        row = confusion()[int(c)].sum()
        return float(confusion()[int(c), int(c)] / row) if row else 0.0

    subset = fixed_subset(labels)

    @lru_cache(maxsize=16)
    def shifted(pixels):
        return accuracy_of(network, transformed(images[subset], dx=int(round(pixels))), labels[subset], normalisation)

    @lru_cache(maxsize=16)
    def rotated(degrees):
        return accuracy_of(network, transformed(images[subset], angle=float(degrees)), labels[subset], normalisation)

    return {"confusion": cell, "precision": precision, "recall": recall,
            "shifted_accuracy": shifted, "rotated_accuracy": rotated}
