from dataclasses import replace

import numpy as np
import pytest
from threaded_run import ThreadedRun

from core.settings.config import TrainConfig
from core.errors import ConfigError
from core.evaluation.evaluate import evaluate_network
from core.training.minibatch import Trainer
from core.training.training_run import run_to_end

FAST = TrainConfig(hidden_sizes=(32,), epochs=3, batch_size=32, snapshot_every=5, learning_rate=0.1, val_split=0.2)


def collect(trainer):
    return list(trainer.run())


def test_trains_digits_and_reports_every_kind_of_snapshot(digits):
    trainer = Trainer.from_dataset(FAST, digits)
    snapshots = collect(trainer)
    kinds = [s.kind for s in snapshots]
    assert kinds[-1] == "end" and snapshots[-1].reason == "finished"
    epochs = [s for s in snapshots if s.kind == "epoch"]
    batches = [s for s in snapshots if s.kind == "batch"]
    assert len(epochs) == 3
    assert len(batches) == trainer.total_steps // 5
    assert [b.step for b in batches] == list(range(5, trainer.total_steps + 1, 5))
    last = epochs[-1]
    assert last.val_accuracy > 0.9
    assert last.val_confusion.shape == (10, 10) and last.val_confusion.sum() == len(trainer.val_labels)
    assert last.first_layer_weights.shape == (32, 8, 8)
    assert len(last.val_predictions) == len(trainer.val_labels)
    assert last.history["val_accuracy"] == [e.val_accuracy for e in epochs]
    assert all(len(b.layer_stats) == 2 and b.layer_stats[0].weight_rms > 0 for b in batches)
    assert all(b.samples_per_second > 0 and 0 <= b.mean_accuracy <= 1 for b in batches)
    test = evaluate_network(snapshots[-1].network, digits.test_images, digits.test_labels, digits.class_names)
    assert test["accuracy"] > 0.9


def test_snapshots_hold_copies_not_live_arrays(digits):
    trainer = Trainer.from_dataset(FAST, digits)
    epochs = [s for s in trainer.run() if s.kind == "epoch"]
    first, last = epochs[0], epochs[-1]
    assert not np.array_equal(first.first_layer_weights, last.first_layer_weights)
    live = trainer.network.weights[0]
    assert not np.shares_memory(last.first_layer_weights, live)
    assert not any(np.shares_memory(p, q) for p, q in zip(last.network.params, trainer.network.params))
    np.testing.assert_array_equal(last.first_layer_weights, live.T.reshape(-1, 8, 8))


def test_same_seed_gives_identical_runs(digits):
    a = run_to_end(Trainer.from_dataset(FAST, digits))
    b = run_to_end(Trainer.from_dataset(FAST, digits))
    c = run_to_end(Trainer.from_dataset(replace(FAST, seed=1), digits))
    assert a.history["train_loss"] == b.history["train_loss"]
    assert all(np.array_equal(p, q) for p, q in zip(a.network.params, b.network.params))
    assert a.history["train_loss"] != c.history["train_loss"]


def test_pause_resume_and_stop_from_another_thread(mnist):
    config = replace(FAST, epochs=50, batch_size=64)
    trainer = Trainer.from_dataset(config, mnist)
    run = ThreadedRun(trainer)
    run.wait_for(lambda: trainer.step >= 10)
    trainer.pause()
    assert trainer.control.wait_until_held(timeout=10)   # the batch under way finished; the loop is held
    frozen = trainer.step
    assert trainer.is_paused and trainer.control.waiting and trainer.step == frozen
    trainer.resume()
    run.wait_for(lambda: trainer.step > frozen + 5)
    trainer.stop()
    run.thread.join(5)
    assert not run.thread.is_alive()
    assert run.snapshots[-1].kind == "end" and run.snapshots[-1].reason == "stopped"
    assert run.snapshots[-1].step < trainer.total_steps


def test_stop_while_paused_ends_the_run(digits):
    trainer = Trainer.from_dataset(replace(FAST, epochs=100), digits)
    trainer.pause()
    run = ThreadedRun(trainer)
    assert trainer.control.wait_until_held(timeout=10)   # held before its first batch
    assert trainer.step == 0
    trainer.stop()
    run.thread.join(5)
    assert not run.thread.is_alive() and run.snapshots[-1].reason == "stopped"


def test_learning_rate_change_takes_effect_between_batches(digits):
    config = replace(FAST, schedule="constant", epochs=20)
    trainer = Trainer.from_dataset(config, digits)
    rates = []
    for snapshot in trainer.run():
        if snapshot.kind == "batch":
            rates.append(snapshot.learning_rate)
            if len(rates) == 3:
                trainer.set_learning_rate(0.01)
            if len(rates) == 6:
                trainer.stop()
    assert rates[:3] == [0.1] * 3 and rates[3:6] == [0.01] * 3
    with pytest.raises(ConfigError):
        trainer.set_learning_rate(-1)


@pytest.mark.parametrize("activation", ["relu", "sigmoid"])
def test_divergence_stops_with_a_reason_and_good_weights(digits, activation):
    config = replace(FAST, learning_rate=1000.0, optimizer="sgd", schedule="constant", activation=activation)
    trainer = Trainer.from_dataset(config, digits)
    end = run_to_end(trainer)
    assert end.reason == "diverged"
    assert "Lower the learning rate" in end.message and "100" in end.message
    assert all(np.isfinite(p).all() for p in end.network.params)


def test_divergence_can_pause_and_resume_with_a_lower_rate(digits):
    config = replace(FAST, learning_rate=1000.0, optimizer="sgd", schedule="constant", on_divergence="pause",
                     epochs=6)
    trainer = Trainer.from_dataset(config, digits)
    seen = []
    for snapshot in trainer.run():
        seen.append(snapshot)
        if snapshot.kind == "diverged":
            assert trainer.is_paused
            assert snapshot.suggested_learning_rate == pytest.approx(100.0)
            trainer.set_learning_rate(0.05)
            trainer.resume()
    assert seen[-1].reason == "finished"
    assert sum(s.kind == "diverged" for s in seen) == 1
    assert seen[-1].history["val_accuracy"][-1] > 0.8


def test_one_digit_against_the_rest(digits):
    config = replace(FAST, hidden_sizes=(), activation="sigmoid", output="sigmoid", loss="binary_cross_entropy",
                     positive_class=3, learning_rate=1.0, optimizer="sgd")
    trainer = Trainer.from_dataset(config, digits)
    assert trainer.class_names == ["not 3", "3"]
    epoch = [s for s in trainer.run() if s.kind == "epoch"][-1]
    assert epoch.val_confusion.shape == (2, 2)
    assert epoch.val_confusion[1].sum() == np.sum(trainer.val_labels == 1) > 0
    assert epoch.val_accuracy > 0.95
    assert epoch.first_layer_weights.shape == (1, 8, 8)


def test_sampling_with_replacement_for_a_number_of_iterations(digits):
    config = replace(FAST, sampling="replacement", iterations=100, epochs=1)
    trainer = Trainer.from_dataset(config, digits)
    end = run_to_end(trainer)
    assert end.step == 100
    assert len(end.history["epoch"]) == int(np.ceil(100 / trainer.batches_per_epoch))


def test_validation_split_as_a_count(digits):
    trainer = Trainer.from_dataset(replace(FAST, val_split=300), digits)
    assert len(trainer.val_labels) == 300
    assert len(trainer.train_labels) == len(digits.train_labels) - 300


def test_mnist_one_epoch_learns(mnist):
    config = TrainConfig(hidden_sizes=(64,), epochs=1)
    trainer = Trainer.from_dataset(config, mnist)
    end = run_to_end(trainer)
    assert end.history["val_accuracy"][-1] > 0.93
    assert trainer.train_images.dtype == np.uint8      # images stay uint8 in memory


def test_bad_configs_are_refused_with_the_setting_named(digits):
    for bad, word in [(dict(learning_rate=0), "learning rate"), (dict(batch_size=0), "batch size"),
                      (dict(activation="swish"), "activation"), (dict(val_split=-1), "validation"),
                      (dict(loss="binary_cross_entropy"), "sigmoid")]:
        with pytest.raises(ConfigError, match=word):
            Trainer.from_dataset(replace(FAST, **bad), digits)


def test_paused_divergence_forgets_the_exploded_batches(digits):
    config = replace(FAST, learning_rate=1000.0, optimizer="sgd", schedule="constant", on_divergence="pause",
                     epochs=2, snapshot_every=3)
    trainer = Trainer.from_dataset(config, digits)
    epochs = []
    for snapshot in trainer.run():
        if snapshot.kind == "diverged":
            trainer.set_learning_rate(0.05)
            trainer.resume()
        elif snapshot.kind == "epoch":
            epochs.append(snapshot)
    assert epochs[0].train_loss < 2.5     # ln(10) ~ 2.3 at the start; exploded batches were ~20


def test_float64_inputs_to_a_float32_network_are_converted():
    from core.nn.network import Network
    net = Network((4, 3, 2))
    x = np.random.default_rng(0).random((5, 4))          # float64
    loss, grads = net.loss_and_gradients(x, net.targets([0, 1, 0, 1, 1]))
    assert np.isfinite(loss) and grads[0].dtype == np.float32


def train_fast_and_reference(config, dataset):
    """The same run twice: the fast data path, and the plain reference one (Trainer.reference_path)."""
    runs = []
    for reference in (False, True):
        trainer = Trainer.from_dataset(config, dataset)
        trainer.reference_path = reference
        runs.append(list(trainer.run()))
    return runs


@pytest.mark.parametrize("variant", [
    dict(),                                                     # the default relu/softmax network
    dict(hidden_sizes=(), activation="sigmoid", output="sigmoid", loss="binary_cross_entropy",
         positive_class=3, normalisation="minus_one_one", optimizer="sgd", learning_rate=0.02),
])
def test_fast_data_path_trains_exactly_like_the_reference_on_real_mnist(mnist, variant):
    # 2,900 training images: not a multiple of the batch size, so every epoch ends on a partial batch
    subset = replace(mnist, train_images=mnist.train_images[:3400], train_labels=mnist.train_labels[:3400])
    config = replace(TrainConfig(hidden_sizes=(64,), batch_size=128, epochs=2, val_split=500, snapshot_every=7),
                     **variant)
    fast, reference = train_fast_and_reference(config, subset)
    assert [s.kind for s in fast] == [s.kind for s in reference]
    fast_end, reference_end = fast[-1], reference[-1]
    assert fast_end.reason == "finished" and fast_end.step == 2 * 23
    # The fast path also folds dense weight gradients into the optimiser's GEMM
    # (core/nn/product_gradient.py), which rounds differently: after 46 float32 steps the weights
    # differ by about 2e-7 (weights of size ~0.5), so the tolerance is float32 rounding, not 0.
    for key in ("train_loss", "train_accuracy", "val_loss", "val_accuracy"):
        np.testing.assert_allclose(fast_end.history[key], reference_end.history[key], rtol=1e-5)
    for p, q in zip(fast_end.network.params, reference_end.network.params):
        np.testing.assert_allclose(p, q, rtol=1e-5, atol=1e-6)
    fast_batches = [s for s in fast if s.kind == "batch"]
    reference_batches = [s for s in reference if s.kind == "batch"]
    assert len(fast_batches) == 2 * 23 // 7
    for f, r in zip(fast_batches, reference_batches):
        assert (f.batch_loss, f.batch_accuracy, f.mean_accuracy) == pytest.approx(
            (r.batch_loss, r.batch_accuracy, r.mean_accuracy), rel=1e-6)
        for fs, rs in zip(f.layer_stats, r.layer_stats, strict=True):
            assert (fs.weight_rms, fs.grad_rms, fs.update_ratio) == pytest.approx(
                (rs.weight_rms, rs.grad_rms, rs.update_ratio), rel=1e-4)
    assert fast_end.history["val_accuracy"][-1] > 0.8
AUGMENTED = dict(augment_shift=1.0, augment_rotation=10.0, augment_elastic_alpha=20.0, augment_thickness=0.5)


def test_augmentation_is_off_by_default_and_in_every_classic_preset():
    """Only the canvas preset (the Draw tab's default model) trains augmented, on purpose."""
    from core.settings.presets import PRESETS
    assert not TrainConfig().augmentation.enabled
    for name, preset in PRESETS.items():
        assert preset.config.augmentation.enabled == (name == "canvas"), name


def test_augmented_training_sees_different_batches_but_is_reproducible(mnist):
    config = TrainConfig(hidden_sizes=(32,), epochs=1, iterations=40, batch_size=64, snapshot_every=10,
                         val_split=500, learning_rate=0.1)
    images, labels = mnist.train_images[:3000], mnist.train_labels[:3000]
    plain = run_to_end(Trainer(config, images, labels, mnist.test_images[:500], mnist.test_labels[:500]))
    augmented_config = replace(config, **AUGMENTED)
    a = run_to_end(Trainer(augmented_config, images, labels, mnist.test_images[:500], mnist.test_labels[:500]))
    b = run_to_end(Trainer(augmented_config, images, labels, mnist.test_images[:500], mnist.test_labels[:500]))
    assert a.history["train_loss"] == b.history["train_loss"]
    assert a.history["train_loss"] != plain.history["train_loss"]
    # augmented batches are harder to fit than the plain ones, and the network still learns the digits
    assert a.history["train_loss"][0] > plain.history["train_loss"][0]
    assert a.history["val_accuracy"][-1] > 0.75


def test_augmentation_settings_are_checked_and_saved_in_model_files(tmp_path):
    from core.files.model_io import load_model, model_metadata, save_model
    from core.training.training_run import build_network
    with pytest.raises(ConfigError, match="rotation"):
        TrainConfig(augment_rotation=500).validate()
    with pytest.raises(ConfigError, match="shear must be a number"):
        TrainConfig(augment_shear="lots").validate()
    with pytest.raises(ConfigError, match="mini-batch optimizer"):
        TrainConfig(optimizer="lbfgs", augment_shift=1.0).validate()
    config = TrainConfig(hidden_sizes=(8,), augment_rotation=12.0, augment_elastic_alpha=34.0)
    network = build_network(config, 784, 10)
    save_model(tmp_path / "m.npz", network, model_metadata(network, (28, 28), list("0123456789"), config=config.to_dict()))
    _, metadata = load_model(tmp_path / "m.npz")
    again = TrainConfig.from_dict(metadata["config"])
    assert again.augmentation == config.augmentation and again.augmentation.rotation == 12.0


@pytest.mark.parametrize("optimizer,learning_rate,folds", [("momentum", 0.1, True), ("sgd", 0.5, True),
                                                            ("adam", 0.003, False)])
def test_the_fast_path_folds_dense_weight_gradients_into_the_optimiser(mnist, optimizer, learning_rate, folds):
    """Between snapshot batches the Trainer hands SGD and momentum the weight gradients as factors
    (core/nn/product_gradient.py), so the gradient arrays are never written; the reference path
    and Adam multiply them out."""
    subset = replace(mnist, train_images=mnist.train_images[:1100], train_labels=mnist.train_labels[:1100])
    config = TrainConfig(hidden_sizes=(32,), batch_size=100, epochs=3, val_split=100, snapshot_every=1000,
                         optimizer=optimizer, learning_rate=learning_rate)
    for reference in (False, True):
        trainer = Trainer.from_dataset(config, subset)
        trainer.reference_path = reference
        end = run_to_end(trainer)
        assert end.reason == "finished" and end.history["val_accuracy"][-1] > 0.5
        never_written = all(not np.any(g) for g in trainer.network.grads[0::2])
        assert never_written == (folds and not reference)
