"""The plain-words walk through one step-through record (core.analysis.step_through): one short
guide per stage that names this batch's own numbers, and the last stage, the same batch's loss
again after the update ("2.31 before the update, 2.28 after (-0.03)"). Plain NumPy, no Qt: it
runs in the worker thread with gui.inspect.step_tables and is tested alone.

Why a separate walk from the stage pages' intros: those give the formulas; a learner meeting
backpropagation for the first time needs first what each stage is for, said with numbers they
can find in the tables.
"""
import math

import numpy as np

from gui.inspect.step_tables import Stage, Table, build_stages, example_columns


def label_probabilities(probabilities, targets):
    """(n,) the probability each example gives its own label: p . y for one-hot targets (n, k);
    for one sigmoid output (n, 1) p where the target is 1, else 1 - p."""
    p, y = np.asarray(probabilities, np.float64), np.asarray(targets, np.float64)
    if p.shape[1] == 1:
        return np.where(y[:, 0] > 0.5, p[:, 0], 1 - p[:, 0])
    return (p * y).sum(axis=1)


def _decimals(change):
    """Enough decimals for a change of this size to show (2 at least, 6 at most)."""
    if change == 0 or not math.isfinite(change):
        return 2
    return int(min(6, max(2, 1 - math.floor(math.log10(abs(change))))))


def loss_sentence(after):
    """'loss on this batch: 2.31 before the update, 2.28 after (-0.03)'."""
    before, now, change = after["loss_before"], after["loss_after"], after["change"]
    d = _decimals(change)
    return f"loss on this batch: {before:.{d}f} before the update, {now:.{d}f} after ({change:+.{d}f})"


def verdict(record):
    """The last stage's message: did the update lower the loss on the batch it learned from?"""
    after, rate = record["after_update"], record["update"]["learning_rate"]
    sentence = loss_sentence(after)
    sentence = sentence[0].upper() + sentence[1:] + ". "
    if after["change"] < 0:
        return sentence + ("The same images and labels, only the weights changed: the step downhill lowered "
                           "the loss, which is what learning is.")
    if after["change"] == 0:
        return sentence + "The step was too small to change the loss at all."
    return sentence + (f"The loss went UP: the learning rate {rate:g} is too large. The gradient only says "
                       "which way is downhill right where the weights are; a step this long goes past the "
                       "valley to somewhere higher. Try a smaller learning rate.")


def _largest(parameters, key):
    """(name, index, value) of the largest |value| over the update's parameters' arrays."""
    best = ("", (), 0.0)
    for p in parameters:
        values = np.asarray(p[key], np.float64) if key != "change" else \
            np.asarray(p["after"], np.float64) - np.asarray(p["before"], np.float64)
        if values.size and abs(values).max() >= abs(best[2]):
            index = np.unravel_index(int(np.abs(values).argmax()), values.shape)
            best = (p["name"], index, float(values[index]))
    return best


def _at(name, index):
    return f"{name}[{', '.join(str(int(i)) for i in index)}]"


def guides(record, class_names=None):
    """[str] one plain-words guide per stage: forward, loss, backward, check, update, after."""
    labels = record["batch"]["labels"]
    names = [str(c) for c in class_names] if class_names is not None else None
    label = (lambda y: names[y] if names and y < len(names) else str(y))
    n, loss = len(labels), record["loss"]
    own = label_probabilities(loss["probabilities"], loss["targets"])
    shown = ", ".join(label(y) for y in labels[:8]) + (", …" if n > 8 else "")
    first = f"image #1 (a {label(labels[0])}) gives its own label probability {own[0]:.2f}"
    forward = (f"The {n} image{'s' if n != 1 else ''} of this batch (labels {shown}) go through the layers one "
               f"after another; each layer turns the numbers it gets into new ones, and the last gives a "
               f"probability per class. Before any learning on this batch, {first}.")
    if loss.get("name", "cross_entropy") == "cross_entropy":
        how = (f"the average over the batch of -log(probability of the right label): {first}, which costs "
               f"-log {own[0]:.2f} = {-math.log(max(own[0], 1e-12)):.2f}. A network sure and right everywhere "
               f"would have C = 0")
    else:
        how = "the smaller it is, the closer the probabilities are to the targets (0 would be perfect)"
    loss_text = f"The loss says in one number how wrong the network is on this batch: C = {loss['value']:.3f}, {how}."
    name, index, value = _largest(record["update"]["parameters"], "gradient")
    backward = (f"Backpropagation goes from the loss back down through the layers and gives every weight its "
                f"gradient: how much C changes when that weight moves a little. The largest here is "
                f"dC/d{_at(name, index)} = {value:.3g}: moving it up by 0.01 would change C by about "
                f"{0.01 * value:+.2g}.")
    entries = record["gradient_check"]["entries"]
    worst = max((e["difference"] / max(abs(e["backprop"]), abs(e["numerical"]), 1e-300) for e in entries), default=0.0)
    check = (f"Can backpropagation be trusted? {len(entries)} of the gradients are measured a second way: "
             f"nudge one weight a tiny bit up and down and compute C both times. The largest relative "
             f"difference between the two ways is {worst:.1e} ({'they agree' if worst < 1e-5 else 'look closer'}).")
    rate = record["update"]["learning_rate"]
    name, index, value = _largest(record["update"]["parameters"], "change")
    how = f"the learning rate {rate:g} times it" if record["update"]["optimizer"] == "sgd" else \
        f"by the {record['update']['optimizer']} rule with learning rate {rate:g}"
    update = (f"Now every weight takes a step against its gradient, {how}. The largest step moves "
              f"{_at(name, index)} by {value:+.3g}. Did it help? The next stage asks.")
    return [forward, loss_text, backward, check, update, verdict(record)]


def after_update_stage(record, columns):
    """Stage 6: the batch's loss and each example's probability of its label, before and after.
    columns: the examples' column labels ('#1 (3)', ...)."""
    after, loss = record["after_update"], record["loss"]
    before_own = label_probabilities(loss["probabilities"], loss["targets"])
    after_own = label_probabilities(after["probabilities"], loss["targets"])
    values = np.vstack([[after["loss_before"], after["loss_after"], after["change"]],
                        np.column_stack([before_own, after_own, after_own - before_own])])
    stage = Stage("after", "6 After the update",
                  "The same batch through the network again, now with the updated weights (dropout keeps "
                  f"this step's masks): {loss_sentence(after)}.")
    stage.tables.append(Table("the batch's loss and each image's p(label)", "C after = the same cost, same batch, "
                              "new weights", values, ["C (the batch's loss)"] + [f"p(label) {c}" for c in columns],
                              ["before the update", "after the update", "after - before"]))
    return stage


def walk(record, class_names=None):
    """[Stage] the six stages of one record in walking order, each with its guide."""
    stages = build_stages(record, class_names) + [after_update_stage(record, example_columns(record, class_names))]
    for stage, guide in zip(stages, guides(record, class_names)):
        stage.guide = guide
    return stages
