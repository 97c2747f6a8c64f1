"""One step-through record (core.analysis.step_through.StepThrough.step) as the pages and tables the
step-through dialog shows: plain NumPy, no Qt, so it runs in the worker thread and is tested alone.

Layout of the tables (rows x columns), chosen so that a batch of a few examples reads down a
column, the way the formulas are written per example:
  forward / backward values   units x examples          (conv outputs: (channel, y, x) rows)
  loss                        classes x examples
  dC/dW                       inputs x units            (W's own shape; conv: filters x (c, y, x))
  gradient check              one row per checked entry: backprop, numerical, |difference|, relative error
  update                      one row per parameter entry: before, gradient, lr * gradient, after, change
"""
from dataclasses import dataclass, field
from html import escape

import numpy as np


@dataclass
class Table:
    """values: (rows, columns) float64 with their labels; name: the entry in the page's list."""
    name: str
    formula: str
    values: np.ndarray
    row_labels: list
    column_labels: list
    note: str = ""


@dataclass
class Stage:
    """intro: rich text (formulas escaped); tables: [Table]; guide: plain words naming this batch's
    numbers (gui.inspect.step_story)."""
    key: str
    title: str
    intro: str
    tables: list = field(default_factory=list)
    guide: str = ""


def relative_error(backprop, numerical):
    """|b - n| / max(|b|, |n|) (0 when both are 0): about 1e-7 or less means the two agree."""
    b, n = np.asarray(backprop, np.float64), np.asarray(numerical, np.float64)
    scale = np.maximum(np.abs(b), np.abs(n))
    return np.where(scale > 0, np.abs(b - n) / np.where(scale > 0, scale, 1.0), 0.0)


def _unit_labels(shape):
    """Row labels for one example's values of this shape: '0', '1', ... or '(c, y, x)'."""
    if len(shape) <= 1:
        return [str(i) for i in range(int(np.prod(shape)) if shape else 1)]
    return [str(tuple(int(v) for v in i)).replace(" ", "") for i in np.ndindex(*shape)]


def _per_example(values, columns, name, formula, note=""):
    """(n, ...) batch-first values -> Table units x examples."""
    a = np.asarray(values, np.float64)
    return Table(name, formula, a.reshape(len(a), -1).T, _unit_labels(a.shape[1:]), columns, note)


def _lhs(formula):
    """'z1 = a0 @ W1 + b1' -> 'z1' (the name of what a forward stage computes), else ''."""
    left = formula.split("=", 1)[0].strip() if "=" in formula else ""
    return left if left and " " not in left else ""


def _parameter_table(name, array, formula, note=""):
    a = np.asarray(array, np.float64)
    if a.ndim == 1:
        return Table(name, formula, a[:, None], [str(i) for i in range(len(a))], [name.split(" ")[0]], note)
    flat = a.reshape(a.shape[0], -1)
    columns = [str(j) for j in range(flat.shape[1])] if a.ndim == 2 else _unit_labels(a.shape[1:])
    return Table(name, formula, flat, [str(i) for i in range(a.shape[0])], columns, note)


def example_columns(record, class_names=None):
    """The examples' column labels: '#1 (3)', '#2 (7)', ... (position in the batch, label)."""
    names = [str(c) for c in class_names] if class_names is not None else None
    return [f"#{k + 1} ({names[y] if names and y < len(names) else y})" for k, y in enumerate(record["batch"]["labels"])]


def build_stages(record, class_names=None):
    """[Stage] for one record: forward, loss, backward, gradient check, update."""
    labels = record["batch"]["labels"]
    names = [str(c) for c in class_names] if class_names is not None else None
    columns = example_columns(record, class_names)
    n = len(labels)

    forward = Stage("forward", "1 Forward pass",
                    f"Each of the {n} training images goes through the layers in turn. Rows are units "
                    f"(or pixels), columns are the examples of the batch (with their labels).")
    forward.tables.append(_per_example(record["batch"]["inputs"], columns, "a0: the input pixels",
                                       "a0 = the batch's pixels, scaled like the training data"))
    outputs = {}
    for entry in record["forward"]:
        lhs = _lhs(entry["formula"])
        outputs[entry["name"]] = lhs
        forward.tables.append(_per_example(entry["output"], columns, f"{entry['name']}: {entry['formula']}",
                                           entry["formula"]))

    loss = record["loss"]
    n_out = np.shape(loss["probabilities"])[1]
    class_rows = names if names and len(names) == n_out else [str(k) for k in range(n_out)]
    loss_stage = Stage("loss", "2 Loss",
                       f"{escape(loss['output'])}, then the cost of the batch: {escape(loss['formula'])}<br>"
                       f"<b>C = {loss['value']:.6g}</b>")
    for key, title, formula in (("probabilities", "p: the network's probabilities", loss["output"]),
                                ("targets", "y: the targets (one-hot labels)", "y_k = 1 for the label, else 0"),
                                ("logits", "z: the output scores", "z = the last layer's output, before the softmax")):
        values = np.asarray(loss[key], np.float64)
        loss_stage.tables.append(Table(title, formula, values.T, class_rows, columns))
    output_delta = np.asarray(record["backward"][0]["delta"], np.float64)    # what backprop starts from
    loss_stage.tables.append(Table("delta = dC/dz at the output", loss["output_delta_formula"],
                                   output_delta.reshape(n, -1).T, class_rows, columns))

    backward = Stage("backward", "3 Backward pass",
                     "From the top layer down: the gradient of the cost arriving at each layer's output, and "
                     "for layers with weights the gradients of the cost with respect to W and b.")
    for entry in record["backward"]:
        lhs = outputs.get(entry["name"], "")
        arriving = f"dC/d{lhs}" if lhs else f"dC/d(output of {entry['name']})"
        if lhs[:1] == "z":
            arriving += f" = delta{lhs[1:]}"
        backward.tables.append(_per_example(entry["delta"], columns, f"{entry['name']}: {arriving}",
                                            entry["formula"]))
        if "dW" in entry:
            number = lhs[1:] if lhs[:1] == "z" else ""
            backward.tables.append(_parameter_table(f"dC/dW{number}", entry["dW"], entry["formula"]))
            backward.tables.append(_parameter_table(f"dC/db{number}", entry["db"], entry["formula"]))

    check = record["gradient_check"]
    entries = check["entries"]
    b = np.array([e["backprop"] for e in entries], np.float64)
    num = np.array([e["numerical"] for e in entries], np.float64)
    values = np.column_stack([b, num, np.abs(b - num), relative_error(b, num)]) if entries else np.zeros((0, 4))
    rows = [f"{e['parameter']}[{', '.join(str(i) for i in e['index'])}]" for e in entries]
    worst = float(values[:, 3].max()) if entries else 0.0
    check_stage = Stage("check", "4 Gradient check",
                        f"Chosen gradients again, by {escape(check['method'])}: (C(w + h) - C(w - h)) / 2h, two "
                        f"forward passes per weight. Largest relative error: <b>{worst:.1e}</b> "
                        f"({'they agree' if worst < 1e-5 else 'look closer'}). {escape(check['note'][:1].upper() + check['note'][1:])}.")
    check_stage.tables.append(Table("backprop against central differences", "relative error = |b - n| / max(|b|, |n|)",
                                    values, rows, ["backprop", "numerical", "|difference|", "relative error"]))

    update = record["update"]
    rate = float(update["learning_rate"])
    update_stage = Stage("update", "5 Update",
                         f"Every parameter takes a step against its gradient: {escape(update['rule'])} "
                         f"(learning rate {rate:g}, optimiser {update['optimizer']}).")
    for p in update["parameters"]:
        before, grad, after = (np.asarray(p[k], np.float64) for k in ("before", "gradient", "after"))
        index_labels = [f"{p['name']}[{', '.join(str(v) for v in i)}]" for i in np.ndindex(*before.shape)]
        table = np.column_stack([before.ravel(), grad.ravel(), rate * grad.ravel(), after.ravel(),
                                 (after - before).ravel()])
        update_stage.tables.append(Table(p["name"], update["rule"], table, index_labels,
                                         ["before", f"dC/d{p['name']}", "rate * gradient", "after", "after - before"]))
    return [forward, loss_stage, backward, check_stage, update_stage]


def describe_batch(record, class_names=None):
    """One line: the step number, the network and the batch."""
    labels = record["batch"]["labels"]
    names = [str(c) for c in class_names] if class_names is not None else [str(v) for v in range(max(labels) + 1)]
    shown = ", ".join(f"{i} ({names[y] if y < len(names) else y})"
                      for i, y in zip(record["batch"]["indices"][:12], labels[:12]))
    more = f", … ({len(labels)} in all)" if len(labels) > 12 else ""
    return (f"<b>Step {record['step']}</b> · {record['network']}, {record['parameters']:,} parameters · "
            f"batch of {len(labels)} training image{'s' if len(labels) != 1 else ''}: {shown}{more}")
