"""The start snapshot a run sends is made of copies (it crosses threads, and now processes)."""
from core.settings.config import TrainConfig
from core.training.trainers import make_trainer
from gui_helpers import digits


def test_the_start_snapshot_holds_copies_not_the_trainers_arrays():
    trainer = make_trainer(TrainConfig(hidden_sizes=(8,), epochs=1), digits())
    start = trainer.start_snapshot()
    start.val_labels[:] = -1
    assert (trainer.val_labels >= 0).all()
