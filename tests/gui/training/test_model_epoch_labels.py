"""Which model a finished, stopped or diverged run leaves, named right (walkthrough 2, item 2):
a stop at an epoch boundary reports the index of the epoch not yet started, and its network is
the one of the epochs done."""
import numpy as np

from core.training.snapshots import BatchSnapshot, EndSnapshot, EpochSnapshot
from gui.training.run_state import RunState

NET = object()


def batch(step, epoch):
    return BatchSnapshot(step=step, epoch=epoch, batch=step - 10 * epoch, batches_per_epoch=10, total_steps=30,
                         batch_loss=1.0, batch_accuracy=0.5, mean_loss=1.0, mean_accuracy=0.5, learning_rate=0.1,
                         samples_per_second=1.0, elapsed=1.0, network=NET)


def epoch_end(epoch):
    return EpochSnapshot(epoch=epoch, step=10 * (epoch + 1), train_loss=1.0, train_accuracy=0.5, val_loss=1.0,
                         val_accuracy=0.5, val_confusion=np.eye(2, dtype=np.int64), val_predictions=np.zeros(2),
                         first_layer_weights=np.zeros((1, 2, 2)), learning_rate=0.1, samples_per_second=1.0,
                         elapsed=1.0, network=NET)


def end(reason, step, epoch):
    return EndSnapshot(reason=reason, message="", step=step, epoch=epoch, elapsed=1.0, samples_per_second=1.0,
                       network=NET)


def run(*snapshots):
    state = RunState()
    for snapshot in snapshots:
        state.add(snapshot)
    return state


def test_during_the_run_the_label_names_the_epoch_in_progress():
    state = run(batch(5, 0), epoch_end(0), batch(13, 1))
    assert state.network_epoch == 2 and state.network_label() == "model being trained (epoch 2)"


def test_a_stop_at_the_end_of_epoch_1_names_epoch_1():
    state = run(batch(5, 0), epoch_end(0), end("stopped", 10, 1))   # the child reports the next epoch's index
    assert state.network_epoch == 1
    assert state.network_label() == "last run's model (stopped, epoch 1)"


def test_a_stop_partway_through_epoch_2_says_so():
    state = run(epoch_end(0), batch(13, 1), end("stopped", 14, 1))
    assert state.network_epoch == 2
    assert state.network_label() == "last run's model (stopped during epoch 2)"


def test_a_stop_before_any_step_is_an_untrained_model():
    state = run(end("stopped", 0, 0))
    assert state.network_epoch == 0 and "untrained" in state.network_label()


def test_a_finished_run_names_its_last_epoch():
    state = run(epoch_end(0), epoch_end(1), epoch_end(2), end("finished", 30, 2))
    assert state.network_label() == "last run's model (finished, epoch 3)"
