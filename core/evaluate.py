"""Evaluate a network on a set of uint8 images: accuracy, loss, confusion matrix, report."""
import numpy as np

from core import metrics
from core.normalise import to_float
from core.training_run import binary_labels


def task_labels(labels, positive_class=-1):
    """Digit labels -> the labels the network predicts (0/1 for one-digit-against-the-rest)."""
    labels = np.asarray(labels).astype(np.int64)
    return binary_labels(labels, positive_class) if positive_class >= 0 else labels


def evaluate_network(network, images, labels, class_names, normalisation="zero_one", positive_class=-1):
    """Metrics of ``network`` on images (n_ex, H, W) uint8 with digit labels (n_ex,).

    Returns a dict: accuracy, loss (mean data cost), confusion ((n_classes, n_classes) int64),
    report (metrics.classification_report), predictions ((n_ex,) int64), n.
    """
    labels = task_labels(labels, positive_class)
    inputs = to_float(images, normalisation, network.dtype)
    probabilities = network.predict_proba(inputs)
    outputs = probabilities[:, 1:] if network.is_binary else probabilities
    predictions = np.argmax(probabilities, axis=1)
    confusion = metrics.confusion_matrix(labels, predictions, network.n_classes)
    return {
        "n": int(len(labels)),
        "accuracy": metrics.accuracy(labels, predictions),
        "loss": network.loss.fn(outputs, network.targets(labels)) if len(labels) else float("nan"),
        "confusion": confusion,
        "report": metrics.classification_report(confusion, list(class_names)),
        "predictions": predictions,
    }
