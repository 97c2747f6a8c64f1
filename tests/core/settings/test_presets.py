"""Every preset builds, trains a few steps on real MNIST and reports what it promises."""
from dataclasses import replace

import numpy as np
import pytest

from core.data.transforms import subsample
from core.errors import ConfigError
from core.evaluation.evaluate import evaluate_network
from core.training.fullbatch import FullBatchTrainer
from core.nn.gradcheck import gradient_check, move_biases_off_zero
from core.data.normalise import to_float
from core.nn.numerical_training import NumericalGradientNetwork
from core.settings.presets import PRESETS, get_preset
from core.training.training_run import run_to_end
from core.training.training_run import build_network
from core.training.trainers import EvaluatingTrainer, image_size, make_trainer, prepare_dataset

TUTORIAL_PRESETS = [name for name in PRESETS if name != "default"]


@pytest.fixture(scope="module")
def small_mnist(mnist):
    return subsample(mnist, 1500, 400, seed=1)


def quick(config, steps=6):
    """The preset shortened to a few steps on a small set (its geometry untouched)."""
    return replace(config, iterations=steps, epochs=1, val_split=200, snapshot_every=2)


def test_the_tutorial_presets_are_all_there_with_descriptions():
    assert len(TUTORIAL_PRESETS) >= 6
    assert "default" in PRESETS
    for preset in PRESETS.values():
        preset.config.validate()
        assert preset.title and len(preset.description) > 80, preset.name


def test_get_preset_returns_an_editable_copy():
    config = get_preset("ng-ex4-400-25-10-cg").config
    config.l2 = 5.0
    config.image_size = (10, 10)
    again = get_preset("ng-ex4-400-25-10-cg").config
    assert again.l2 == 1.0 and again.image_size == (20, 20)
    with pytest.raises(ConfigError, match="unknown preset"):
        get_preset("no-such-preset")


@pytest.mark.parametrize("name", TUTORIAL_PRESETS)
def test_each_preset_trains_a_few_steps_on_real_mnist(name, small_mnist):
    config = quick(get_preset(name).config, steps=2 if name == "numerical-gradients-tiny" else 6)
    dataset = prepare_dataset(config, small_mnist)
    trainer = make_trainer(config, dataset, test_images=dataset.test_images, test_labels=dataset.test_labels)
    snapshots = list(trainer.run())
    end = snapshots[-1]
    assert end.kind == "end" and end.reason == "finished", end.message
    assert end.step == config.iterations
    assert np.isfinite(end.history["train_loss"]).all()
    assert len(end.history["test_accuracy"]) == len(end.history["epoch"]) >= 1
    # the geometry the preset promises
    expected_inputs = int(np.prod(image_size(config) or (28, 28)))
    outputs = 1 if config.is_binary else 10 + (config.non_digits > 0)     # the canvas's "not a digit" class
    if config.layers:
        assert end.network.layers_text == config.layers and end.network.n_inputs == expected_inputs
        assert end.network.layer_sizes is None and end.network.n_outputs == outputs
    else:
        assert end.network.layer_sizes == (expected_inputs, *config.hidden_sizes, outputs)
    assert trainer.image_shape == (image_size(config) or (28, 28))


def test_presets_route_to_the_trainer_they_need(small_mnist):
    ex4 = quick(get_preset("ng-ex4-400-25-10-cg").config)
    assert isinstance(make_trainer(ex4, small_mnist), FullBatchTrainer)
    tiny = quick(get_preset("numerical-gradients-tiny").config)
    assert isinstance(make_trainer(tiny, small_mnist).network, NumericalGradientNetwork)
    sampled = quick(get_preset("two-layer-50-sampled").config)
    trainer = make_trainer(sampled, small_mnist, test_images=small_mnist.test_images,
                           test_labels=small_mnist.test_labels)
    assert isinstance(trainer, EvaluatingTrainer) and trainer.config.sampling == "replacement"


def test_epoch_equivalents_record_test_accuracy(small_mnist):
    # 1,300 training images, batch 100 -> 13 batches per epoch-equivalent; 40 batches -> 4 epochs
    config = replace(get_preset("two-layer-50-sampled").config, iterations=40, val_split=200)
    trainer = make_trainer(config, small_mnist, test_images=small_mnist.test_images,
                           test_labels=small_mnist.test_labels)
    epochs = [s for s in trainer.run() if s.kind == "epoch"]
    assert len(epochs) == 4
    history = epochs[-1].history
    assert len(history["test_accuracy"]) == len(history["train_accuracy"]) == 4
    final = evaluate_network(trainer.network, small_mnist.test_images, small_mnist.test_labels,
                             trainer.class_names)
    assert history["test_accuracy"][-1] == pytest.approx(final["accuracy"])


def test_minus_one_one_preset_feeds_zero_centred_inputs(small_mnist):
    config = get_preset("relu-128-64-minus-one-one").config
    x = to_float(small_mnist.train_images[:50], config.normalisation)
    assert x.min() == pytest.approx(-1.0) and x.max() == pytest.approx(1.0)
    assert config.batch_size == 64 and 16 <= config.batch_size <= 128


def hand_count(network, images, digits, positive, normalisation="zero_one"):
    """TP, FP, FN, TN by explicit loop over examples."""
    p = network.predict_proba(to_float(images, normalisation, network.dtype))
    tp = fp = fn = tn = 0
    for probability, digit in zip(p[:, 1], digits):
        said_positive, is_positive = probability >= 0.5, int(digit) == positive
        if said_positive and is_positive:
            tp += 1
        elif said_positive:
            fp += 1
        elif is_positive:
            fn += 1
        else:
            tn += 1
    return tp, fp, fn, tn


@pytest.mark.parametrize("name,positive", [("logistic-one-digit", 0), ("logistic-one-digit", 3),
                                           ("one-digit-64-sigmoid", 7)])
def test_binary_presets_report_a_correct_2x2(name, positive, small_mnist):
    config = replace(get_preset(name).config, positive_class=positive, epochs=2, val_split=300)
    trainer = make_trainer(config, small_mnist, test_images=small_mnist.test_images,
                           test_labels=small_mnist.test_labels)
    snapshots = list(trainer.run())
    end = snapshots[-1]
    assert trainer.class_names == [f"not {positive}", str(positive)]
    val_confusion = [s for s in snapshots if s.kind == "epoch"][-1].val_confusion
    assert val_confusion.shape == (2, 2) and val_confusion.sum() == 300
    assert val_confusion[1].sum() == np.count_nonzero(trainer.val_labels == 1)

    test = evaluate_network(end.network, small_mnist.test_images, small_mnist.test_labels, trainer.class_names,
                            config.normalisation, config.positive_class)
    tp, fp, fn, tn = hand_count(end.network, small_mnist.test_images, small_mnist.test_labels, positive)
    assert test["confusion"].tolist() == [[tn, fp], [fn, tp]]
    assert tp + fn == np.count_nonzero(small_mnist.test_labels == positive)
    row = test["report"]["classes"][1]
    precision, recall = tp / (tp + fp), tp / (tp + fn)
    assert row["precision"] == pytest.approx(precision)
    assert row["recall"] == pytest.approx(recall)
    assert row["f1"] == pytest.approx(2 * precision * recall / (precision + recall))
    negative = test["report"]["classes"][0]
    assert negative["precision"] == pytest.approx(tn / (tn + fn))
    assert negative["recall"] == pytest.approx(tn / (tn + fp))
    assert end.history["test_accuracy"][-1] == pytest.approx((tp + tn) / len(small_mnist.test_labels))
    assert test["accuracy"] > 0.9   # two epochs on 1,200 images already beat "always not D" clearly


def test_logistic_regression_separates_zero_from_the_rest(mnist):
    data = subsample(mnist, 12000, 2000, seed=2)
    config = get_preset("logistic-one-digit").config
    trainer = make_trainer(config, data)
    end = run_to_end(trainer)
    test = evaluate_network(end.network, data.test_images, data.test_labels, trainer.class_names,
                            config.normalisation, config.positive_class)
    assert test["accuracy"] > 0.98          # the tutorial's ~99%; all-negative would score ~0.90
    assert test["report"]["classes"][1]["recall"] > 0.85


@pytest.mark.parametrize("name", TUTORIAL_PRESETS)
def test_gradients_of_every_preset_network_check_out(name, small_mnist):
    config = get_preset(name).config
    dataset = prepare_dataset(config, subsample(small_mnist, 8, 1))
    n_classes = 10 + (config.non_digits > 0)                            # the canvas's "not a digit" class
    network = build_network(config, dataset.n_inputs, n_classes, image_shape=dataset.image_shape).copy(dtype=np.float64)
    move_biases_off_zero(network)   # MNIST's zero background would sit on the ReLU kink (see its docstring)
    labels = (dataset.train_labels == config.positive_class) if config.is_binary else dataset.train_labels
    x = to_float(dataset.train_images, config.normalisation, np.float64)
    result = gradient_check(network, x, network.targets(labels.astype(np.int64)), l2=config.l2, n_total=100,
                            max_entries=25)
    assert result.passed, (name, result.max_relative_error)
