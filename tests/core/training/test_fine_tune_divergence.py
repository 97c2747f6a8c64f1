"""A run that starts from trained weights (fine-tuning) starts near zero loss: the divergence check
must not call an ordinary rise of that loss an explosion, and must still catch a real one."""
import dataclasses

from core.data.transforms import subsample
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH
from core.settings.config import TrainConfig
from core.training.trainers import make_trainer


def test_fine_tuning_the_default_model_on_mixed_digits_does_not_diverge(mnist):
    """The default model's first batch (MNIST training images it was trained on) costs ~0.01; the
    mixed-in digits it has never seen cost more, which is no explosion."""
    network, metadata = load_model(DEFAULT_MODEL_PATH)
    config = dataclasses.replace(TrainConfig.from_dict(metadata["config"]), epochs=1, learning_rate=0.01,
                                 my_digits_weight=0.1, snapshot_every=2, val_split=0.1)
    mine = mnist.test_images[:8], mnist.test_labels[:8]
    trainer = make_trainer(config, subsample(mnist, 2000, 10), network=network.copy(), my_digits=mine)
    snapshots = list(trainer.run())
    assert snapshots[-1].kind == "end" and snapshots[-1].reason != "diverged", snapshots[-1].message
    assert trainer.history["val_accuracy"][-1] > 0.95


def test_a_huge_rate_from_trained_weights_is_still_caught(mnist):
    network, metadata = load_model(DEFAULT_MODEL_PATH)
    config = dataclasses.replace(TrainConfig.from_dict(metadata["config"]), epochs=1, learning_rate=500.0,
                                 snapshot_every=2, val_split=0.1)
    snapshots = list(make_trainer(config, subsample(mnist, 1000, 10), network=network.copy()).run())
    assert snapshots[-1].kind == "end" and snapshots[-1].reason == "diverged"
    assert "the loss exploded" in snapshots[-1].message
