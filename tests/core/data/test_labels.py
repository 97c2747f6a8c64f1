"""One mapping from digit labels to task labels, used by training, evaluation and the
gradient-speed batch alike."""
import numpy as np

from core.data.labels import task_labels
from core.settings.config import TrainConfig
from core.evaluation.evaluate import evaluate_network
from core.training.trainers import make_trainer


def test_all_classes_keep_their_labels_one_digit_becomes_zero_one():
    labels = np.array([0, 3, 7, 3, 9], np.uint8)
    kept = task_labels(labels)
    assert kept.dtype == np.int64 and kept.tolist() == [0, 3, 7, 3, 9]
    assert task_labels(labels, 3).tolist() == [0, 1, 0, 1, 0]
    assert task_labels(labels, 5).tolist() == [0, 0, 0, 0, 0]


def test_trainer_and_evaluation_map_the_same_way(digits):
    config = TrainConfig(hidden_sizes=(), activation="sigmoid", loss="binary_cross_entropy", output="sigmoid",
                         optimizer="sgd", learning_rate=1.0, schedule="constant", epochs=1, positive_class=4,
                         val_split=300)
    trainer = make_trainer(config, digits)
    assert set(np.unique(trainer.train_labels)) == {0, 1}
    assert trainer.train_labels.sum() == np.count_nonzero(trainer.train_labels == 1)
    result = evaluate_network(trainer.network, digits.test_images, digits.test_labels, trainer.class_names,
                              positive_class=4)
    confusion = result["confusion"]
    assert confusion.shape == (2, 2)
    assert confusion[1].sum() == np.count_nonzero(digits.test_labels == 4)   # row 1: the true 4s
