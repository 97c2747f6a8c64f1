"""Classification metrics: accuracy, confusion matrix, per-class precision/recall/F1."""
import numpy as np


def accuracy(true_labels, predicted_labels):
    """Fraction of equal entries of two (n_ex,) label arrays (0.0 for empty input)."""
    true_labels = np.asarray(true_labels)
    if true_labels.size == 0:
        return 0.0
    return float(np.mean(true_labels == np.asarray(predicted_labels)))


def confusion_matrix(true_labels, predicted_labels, n_classes):
    """(n_classes, n_classes) int64 counts: rows are true classes, columns predictions."""
    true_labels = np.asarray(true_labels, np.int64)
    predicted_labels = np.asarray(predicted_labels, np.int64)
    flat = np.bincount(true_labels * n_classes + predicted_labels, minlength=n_classes * n_classes)
    return flat.reshape(n_classes, n_classes)


def row_normalised(confusion):
    """Each row divided by its total (rows with no examples stay 0): recall per cell."""
    totals = confusion.sum(axis=1, keepdims=True)
    return np.divide(confusion, totals, out=np.zeros(confusion.shape), where=totals > 0)


def classification_report(confusion, class_names=None):
    """Per-class precision, recall, F1 and support from a confusion matrix.

    Returns a dict: 'classes' (list of dicts with name, precision, recall, f1, support),
    'accuracy', 'macro_avg' and 'weighted_avg' (dicts with precision, recall, f1).
    A class never predicted has precision 0 (scikit-learn's zero_division=0 convention).
    """
    confusion = np.asarray(confusion, np.float64)
    n = len(confusion)
    names = class_names or [str(i) for i in range(n)]
    true_positive = np.diag(confusion)
    predicted = confusion.sum(axis=0)
    support = confusion.sum(axis=1)
    precision = np.divide(true_positive, predicted, out=np.zeros(n), where=predicted > 0)
    recall = np.divide(true_positive, support, out=np.zeros(n), where=support > 0)
    denom = precision + recall
    f1 = np.divide(2 * precision * recall, denom, out=np.zeros(n), where=denom > 0)
    total = support.sum()
    weights = support / total if total else np.zeros(n)
    classes = [{"name": names[i], "precision": float(precision[i]), "recall": float(recall[i]),
                "f1": float(f1[i]), "support": int(support[i])} for i in range(n)]
    return {
        "classes": classes,
        "accuracy": float(true_positive.sum() / total) if total else 0.0,
        "macro_avg": {"precision": float(precision.mean()), "recall": float(recall.mean()), "f1": float(f1.mean())},
        "weighted_avg": {"precision": float(weights @ precision), "recall": float(weights @ recall),
                         "f1": float(weights @ f1)},
    }


def format_report(report):
    """The report as an aligned text table (for the command line)."""
    lines = [f"{'class':>12} {'precision':>9} {'recall':>9} {'f1':>9} {'support':>8}"]
    for row in report["classes"]:
        lines.append(f"{row['name']:>12} {row['precision']:9.4f} {row['recall']:9.4f} {row['f1']:9.4f} {row['support']:8d}")
    support = sum(row["support"] for row in report["classes"])
    for key, label in (("macro_avg", "macro avg"), ("weighted_avg", "weighted avg")):
        avg = report[key]
        lines.append(f"{label:>12} {avg['precision']:9.4f} {avg['recall']:9.4f} {avg['f1']:9.4f} {support:8d}")
    lines.append(f"{'accuracy':>12} {report['accuracy']:9.4f}")
    return "\n".join(lines)


def format_confusion(confusion, class_names):
    width = max(6, max(len(str(n)) for n in class_names) + 1, len(str(int(confusion.max()))) + 1)
    header = " " * width + "".join(f"{name:>{width}}" for name in class_names)
    rows = [f"{name:>{width}}" + "".join(f"{int(v):>{width}}" for v in row) for name, row in zip(class_names, confusion)]
    return "\n".join(["rows: true class, columns: predicted", header, *rows])
