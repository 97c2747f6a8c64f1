"""core.training.prefetch: augmented batches prepared ahead in one background thread give exactly
the batches of inline augmentation, keep their labels, stay bounded, end with the run and pass
the producer's errors to the training loop."""
import threading
from dataclasses import replace

import numpy as np
import pytest

from core.data.augment import AugmentSettings, Augmenter
from core.errors import DatasetError
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH
from core.training import minibatch
from core.training.batches import TrainingBatches
from core.settings.config import TrainConfig
from core.training.minibatch import Trainer
from core.training.prefetch import THREAD_NAME, BatchPrefetcher, PrefetchError
from threaded_run import ThreadedRun

CANVAS_LIKE = AugmentSettings(shift=2.0, rotation=12.0, scale=0.12, shear=12.0, elastic_alpha=12.0, thickness=0.3,
                             aspect=0.2, styles=0.3)   # the canvas preset's kinds, writing styles included
AUGMENTED = TrainConfig(hidden_sizes=(32,), batch_size=64, epochs=2, val_split=300, snapshot_every=5,
                        seed=4, **CANVAS_LIKE.to_mapping())


def prefetch_threads():
    return [t for t in threading.enumerate() if t.name == THREAD_NAME]


def feed(data, prefetch, seed=9, batch_size=64):
    images, labels = data
    targets = np.eye(10, dtype=np.float32)[labels]
    augmenter = Augmenter(CANVAS_LIKE, np.random.default_rng(seed))
    return TrainingBatches(images.reshape(len(images), -1), labels, targets, "zero_one", np.float32, batch_size,
                           augment=augmenter, image_shape=(28, 28), prefetch=prefetch)


@pytest.fixture(scope="module")
def data(mnist):
    return mnist.train_images[:1000], mnist.train_labels[:1000].astype(np.int64)


def test_prefetched_batches_are_the_inline_batches_bit_for_bit(data):
    inline, ahead = feed(data, prefetch=False), feed(data, prefetch=True)
    rng = np.random.default_rng(0)
    try:
        for epoch in range(2):
            order = rng.permutation(len(data[1]))
            batches = 16   # 15 full batches and the short last one (40 rows)
            ahead.plan_epoch(order, batches)
            for b in range(batches):
                indices = order[b * 64:(b + 1) * 64]
                expected = [a.copy() for a in inline.gather(indices)]
                got = ahead.gather(indices)
                for e, g in zip(expected, got):
                    np.testing.assert_array_equal(g, e)
    finally:
        ahead.close()
    assert not ahead._prefetcher.running


def test_prefetched_images_keep_their_rows_and_labels(data):
    """Each augmented image comes back with its own label: the labels are those of the rows asked
    for, and the shipped model reads the augmented images as those labels (rows that slipped out
    of step would score about 10%)."""
    images, labels = data
    network, _ = load_model(DEFAULT_MODEL_PATH)
    ahead = feed(data, prefetch=True)
    order = np.random.default_rng(1).permutation(len(labels))[:256]
    with ahead._prefetcher:
        ahead.plan_epoch(order, 4)
        for b in range(4):
            indices = order[b * 64:(b + 1) * 64]
            inputs, targets, got_labels = ahead.gather(indices)
            np.testing.assert_array_equal(got_labels, labels[indices])
            np.testing.assert_array_equal(targets.argmax(axis=1), labels[indices])
            assert not np.array_equal(inputs * 255, images[indices].reshape(64, -1))   # they were augmented
            assert np.mean(network.predict(inputs) == got_labels) > 0.85


def test_a_training_run_with_prefetching_equals_the_inline_run(mnist_small):
    ends = {}
    for prefetch in (False, True):
        trainer = Trainer.from_dataset(AUGMENTED, mnist_small)
        trainer.prefetch_augmentation = prefetch
        ends[prefetch] = list(trainer.run())[-1]
    for inline_param, ahead_param in zip(ends[False].network.params, ends[True].network.params):
        np.testing.assert_array_equal(ahead_param, inline_param)
    assert ends[True].history["train_loss"] == ends[False].history["train_loss"]
    assert not prefetch_threads()


def test_the_producer_stays_a_bounded_number_of_batches_ahead():
    calls = []
    with BatchPrefetcher(lambda indices: calls.append(indices[0]) or indices * 2, depth=3) as prefetcher:
        prefetcher.plan(np.array([b]) for b in range(50))
        assert prefetcher.wait_until_idle(5)           # the loop takes nothing: the queue fills, then it waits
        assert len(calls) == 3 and prefetcher.prepared == 3
        assert prefetcher.take(np.array([0]))[0] == 0
        assert prefetcher.take(np.array([1]))[0] == 2
        assert prefetcher.wait_until_idle(5)
        assert calls == [0, 1, 2, 3, 4] and prefetcher.prepared == 3
    assert not prefetcher.running


def test_a_batch_asked_for_out_of_plan_order_is_an_error():
    with BatchPrefetcher(lambda indices: indices) as prefetcher:
        prefetcher.plan([np.array([1, 2]), np.array([3, 4])])
        with pytest.raises(RuntimeError, match="other rows"):
            prefetcher.take(np.array([3, 4]))
        prefetcher.take(np.array([3, 4]))
        with pytest.raises(RuntimeError, match="never planned"):
            prefetcher.take(np.array([5, 6]))


def test_close_wakes_a_waiting_consumer_and_ends_the_producer():
    release, took_first = threading.Event(), threading.Event()
    prefetcher = BatchPrefetcher(lambda indices: indices if indices[0] == 0 else release.wait(5) and indices)
    prefetcher.plan([np.array([0]), np.array([1])])
    outcome = []

    def consumer():
        prefetcher.take(np.array([0]))
        took_first.set()
        try:
            prefetcher.take(np.array([1]))      # waits: batch 1 is stuck in prepare
        except RuntimeError as error:
            outcome.append(str(error))

    thread = threading.Thread(target=consumer)
    thread.start()
    assert took_first.wait(5)
    closer = threading.Thread(target=prefetcher.close)   # close() then waits for the stuck batch
    closer.start()
    thread.join(5)
    assert outcome == ["this prefetcher is closed"]     # the consumer woke up without the batch
    release.set()
    closer.join(5)
    assert not prefetcher.running


def test_an_error_in_the_producer_is_raised_in_the_loop_naming_the_batch():
    def prepare(indices):
        if indices[0] == 2:
            raise ValueError("bad pixels")
        return indices

    with BatchPrefetcher(prepare) as prefetcher:
        prefetcher.plan(np.array([b]) for b in range(10))
        assert prefetcher.take(np.array([0]))[0] == 0      # the batches before the failure arrive
        assert prefetcher.take(np.array([1]))[0] == 1
        with pytest.raises(PrefetchError, match=r"batch 3 .*ValueError: bad pixels") as raised:
            prefetcher.take(np.array([2]))
        assert isinstance(raised.value.__cause__, ValueError)
        prefetcher._thread.join(5)
        assert not prefetcher.running                      # the producer ended after the failure


def test_errors_meant_for_the_user_pass_through_unchanged():
    def prepare(indices):
        raise DatasetError("the images are not 28x28")

    with BatchPrefetcher(prepare) as prefetcher:
        prefetcher.plan([np.array([0])])
        with pytest.raises(DatasetError, match="not 28x28"):
            prefetcher.take(np.array([0]))


class FailingAugmenter(Augmenter):
    """Fails on its third batch, as a bug in the augmentation would."""

    def __call__(self, images, labels=None):
        self.calls = getattr(self, "calls", 0) + 1
        if self.calls == 3:
            raise FloatingPointError("overflow in the elastic field")
        return super().__call__(images, labels)


def test_a_failing_augmentation_stops_training_with_a_clear_error(mnist_small, monkeypatch):
    monkeypatch.setattr(minibatch, "make_augmenter", lambda settings, rng, **options: FailingAugmenter(settings, rng, **options))
    trainer = Trainer.from_dataset(AUGMENTED, mnist_small)
    snapshots = []
    with pytest.raises(PrefetchError, match="batch 3 in the background failed: FloatingPointError: overflow"):
        for snapshot in trainer.run():
            snapshots.append(snapshot)
    assert trainer.step == 2               # the two good batches were trained on
    assert not prefetch_threads()


def test_stop_ends_the_producer_thread(mnist_small):
    run = ThreadedRun(Trainer.from_dataset(replace(AUGMENTED, epochs=500), mnist_small))
    run.wait_for(lambda: any(s.kind == "batch" for s in run.snapshots))
    assert prefetch_threads()
    run.trainer.stop()
    run.thread.join(5)
    assert run.snapshots[-1].kind == "end" and run.snapshots[-1].reason == "stopped"
    assert not prefetch_threads()


def test_pause_leaves_the_producer_idle_and_a_stop_then_ends_it(mnist_small):
    run = ThreadedRun(Trainer.from_dataset(replace(AUGMENTED, epochs=500), mnist_small))
    run.wait_for(lambda: any(s.kind == "batch" for s in run.snapshots))
    run.trainer.pause()
    assert run.trainer.control.wait_until_held(5)
    assert len(prefetch_threads()) == 1
    run.trainer.stop()
    run.thread.join(5)
    assert run.snapshots[-1].reason == "stopped" and not prefetch_threads()


def test_dropping_the_run_generator_ends_the_producer_thread(mnist_small):
    snapshots = Trainer.from_dataset(replace(AUGMENTED, epochs=500), mnist_small).run()
    assert next(snapshots).kind == "batch"
    assert prefetch_threads()
    snapshots.close()            # what garbage collection does to a generator nobody iterates any more
    assert not prefetch_threads()


def test_a_divergence_pause_and_resume_keeps_the_prefetched_batches_in_step(mnist_small):
    """A diverged batch is skipped after it was taken; the prepared batches must stay in step with
    the loop through the pause, the new rate and the rest of the run, as inline."""
    config = replace(AUGMENTED, learning_rate=50.0, optimizer="sgd", schedule="constant", on_divergence="pause")
    runs = {}
    for prefetch in (False, True):
        trainer = Trainer.from_dataset(config, mnist_small)
        trainer.prefetch_augmentation = prefetch
        snapshots = []
        for snapshot in trainer.run():
            snapshots.append(snapshot)
            if snapshot.kind == "diverged":
                trainer.set_learning_rate(0.05)
                trainer.resume()
        runs[prefetch] = snapshots
    kinds = [s.kind for s in runs[True]]
    assert "diverged" in kinds and kinds[-1] == "end" and runs[True][-1].reason == "finished"
    assert kinds == [s.kind for s in runs[False]]
    for inline_param, ahead_param in zip(runs[False][-1].network.params, runs[True][-1].network.params):
        np.testing.assert_array_equal(ahead_param, inline_param)
