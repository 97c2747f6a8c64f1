"""Labels as the network sees them: the digits, or 0/1 for "one digit against the rest"."""
import numpy as np


def task_labels(labels, positive_class=-1):
    """(n_ex,) digit labels -> (n_ex,) int64 task labels: unchanged when positive_class is -1,
    else 1 where the label is positive_class and 0 elsewhere."""
    labels = np.asarray(labels).astype(np.int64)
    return (labels == positive_class).astype(np.int64) if positive_class >= 0 else labels
