"""Evaluate a network on a set of uint8 images: accuracy, loss, confusion matrix, report."""
import numpy as np

from core.evaluation import metrics
from core.data.normalise import to_float
from core.data.labels import task_labels
from core.drawing.reading import NOT_SURE_BELOW, verdict_masks
from core.drawing.test_time import read_proba, turns_of
from core.nn.regularisation import l2_penalty


def evaluate_inputs(network, inputs, labels, n_classes, l2=0.0, n_train=None, with_probabilities=False):
    """(loss, accuracy, confusion, predictions) of network on float inputs (n_ex, n_inputs) and
    task labels (n_ex,), and the probabilities (n_ex, n_classes) too when with_probabilities.
    The loss includes the training L2 term l2 / (2 n_train) * sum(W**2), so it compares with
    the training loss; on no examples, loss and accuracy are NaN."""
    result = _evaluate(network, inputs, labels, n_classes, l2, n_train)
    return result if with_probabilities else result[:4]


def _evaluate(network, inputs, labels, n_classes, l2=0.0, n_train=None, read=None):
    """evaluate_inputs' four values and the probabilities (n_ex, n_classes). read: inputs ->
    probabilities (default network.predict_proba; core.drawing.test_time.read_proba for a model
    read with test-time turns)."""
    if len(inputs) == 0:
        return (float("nan"), float("nan"), np.zeros((n_classes, n_classes), np.int64), np.empty(0, np.int64),
                np.empty((0, n_classes)))
    probabilities = (read or network.predict_proba)(inputs)
    outputs = probabilities[:, 1:] if network.is_binary else probabilities
    loss = network.loss.fn(outputs, network.targets(labels)) + l2_penalty(network.weights, l2, n_train or len(inputs))
    predictions = np.argmax(probabilities, axis=1)
    return (loss, metrics.accuracy(labels, predictions),
            metrics.confusion_matrix(labels, predictions, n_classes), predictions, probabilities)


def evaluate_network(network, images, labels, class_names, normalisation="zero_one", positive_class=-1,
                     threshold=NOT_SURE_BELOW, metadata=None):
    """Metrics of ``network`` on images (n_ex, H, W) uint8 with digit labels (n_ex,).

    Returns a dict: accuracy, loss (mean data cost), confusion ((n_classes, n_classes) int64),
    report (metrics.classification_report), predictions ((n_ex,) int64), n, and flagged: how many
    images the canvas would not read as a class (core.drawing.reading): {"not a digit": the
    model's not-a-digit class on top, "not sure": the top class below ``threshold``, "threshold"}.
    metadata: the model file's; a model with test-time turns is read as it asks
    (core.drawing.test_time), and "test_time_turns" says so (0 = read once).
    """
    labels = task_labels(labels, positive_class)
    inputs = to_float(images, normalisation, network.dtype)
    turns = turns_of(metadata) if metadata else 0.0
    read = (lambda x: read_proba(network, metadata, x, images.shape[1:])) if turns else None   # noqa: E731
    loss, accuracy, confusion, predictions, probabilities = _evaluate(network, inputs, labels, network.n_classes,
                                                                      read=read)
    not_a_digit, unsure = verdict_masks(probabilities, class_names, threshold)   # as the canvas reads one
    return {
        "n": int(len(labels)),
        "accuracy": accuracy if len(labels) else 0.0,
        "loss": loss,
        "confusion": confusion,
        "report": metrics.classification_report(confusion, list(class_names)),
        "predictions": predictions,
        "flagged": {"not a digit": int(not_a_digit.sum()), "not sure": int(unsure.sum()), "threshold": threshold},
        "test_time_turns": turns,
        # what the same network scores reading each image once (equal to accuracy without turns)
        "accuracy_read_once": (metrics.accuracy(labels, network.predict(inputs)) if turns and len(labels)
                               else (accuracy if len(labels) else 0.0)),
    }
