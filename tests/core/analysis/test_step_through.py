"""One update step by step: the update is W - lr * grad exactly, backprop matches central
differences to 1e-6 in float64, and the stages are the training code's numbers."""
import numpy as np
import pytest

from core.analysis.step_through import StepThrough
from core.errors import ConfigError
from core.settings.presets import get_preset
from core.training.trainers import prepare_dataset


@pytest.fixture(scope="module")
def tiny(mnist):
    config = get_preset("numerical-gradients-tiny").config
    return config, prepare_dataset(config, mnist)


def make(tiny, batch_size, **changes):
    config, data = tiny
    config = config.__class__(**{**config.__dict__, "batch_size": batch_size, **changes})
    return StepThrough(config, data.train_images, data.train_labels)


def test_update_is_w_minus_learning_rate_times_gradient(tiny):
    stepper = make(tiny, 8)
    record = stepper.step()
    update = record["update"]
    assert update["optimizer"] == "sgd" and update["rule"].startswith("W <- W - learning_rate")
    for p, live in zip(update["parameters"], stepper.network.params):
        before, grad, after = (np.array(p[k]) for k in ("before", "gradient", "after"))
        assert np.array_equal(after, before - update["learning_rate"] * grad)
        assert np.array_equal(after, live)
        assert np.abs(grad).max() > 0
    # the backward stages report the same gradients the update used
    by_name = {b["name"]: b for b in record["backward"]}
    assert np.array_equal(by_name["dense1"]["dW"], update["parameters"][0]["gradient"])
    assert np.array_equal(by_name["output"]["db"], update["parameters"][3]["gradient"])


def test_finite_differences_match_backprop(tiny):
    stepper = make(tiny, 5)
    checks = [(k, i) for k, q in enumerate(stepper.network.params) for i in range(0, q.size, max(1, q.size // 25))]
    record = stepper.step(checks=checks)
    entries = record["gradient_check"]["entries"]
    assert len(entries) == len(checks)
    assert max(e["difference"] for e in entries) <= 1e-6
    assert sum(abs(e["backprop"]) > 1e-4 for e in entries) > 20      # not a check of zeros


def test_stages_are_the_networks_numbers(tiny):
    stepper = make(tiny, 4)
    reference = stepper.network.copy()
    record = stepper.step()
    x, labels = np.array(record["batch"]["inputs"]), np.array(record["batch"]["labels"])
    y = reference.targets(labels)
    loss, grads = reference.loss_and_gradients(x, y)
    assert record["loss"]["value"] == pytest.approx(loss, rel=1e-12)
    for p, g in zip(record["update"]["parameters"], grads):
        assert np.allclose(p["gradient"], g, rtol=1e-12, atol=1e-15)
    z1 = x @ reference.params[0] + reference.params[1]
    forward = {f["name"]: np.array(f["output"]) for f in record["forward"]}
    assert np.allclose(forward["dense1"], z1)
    assert np.allclose(forward["sigmoid1"], 1 / (1 + np.exp(-z1)))
    assert np.allclose(np.array(record["loss"]["probabilities"]), reference.forward(x))
    output_delta = np.array(record["backward"][0]["delta"])
    assert np.allclose(output_delta, (reference.forward(x) - y) / len(x))


def test_batches_follow_each_other_and_batch_size_one_works(tiny):
    stepper = make(tiny, 1)
    first, second = stepper.step(), stepper.step()
    assert len(first["batch"]["indices"]) == 1 and first["batch"]["indices"] != second["batch"]["indices"]
    assert second["step"] == 2
    assert np.array_equal(second["update"]["parameters"][0]["before"], first["update"]["parameters"][0]["after"])


def test_momentum_first_step_is_plain_gradient_descent(tiny):
    stepper = make(tiny, 6, optimizer="momentum", momentum=0.9)
    update = stepper.step()["update"]
    for p in update["parameters"]:
        assert np.array_equal(np.array(p["after"]), np.array(p["before"]) - update["learning_rate"] * np.array(p["gradient"]))


def test_large_networks_are_refused(mnist):
    config = get_preset("default").config
    with pytest.raises(ConfigError, match="step-through is for small networks"):
        StepThrough(config, mnist.train_images[:100], mnist.train_labels[:100])


def test_a_small_conv_stack_steps_through_too(tiny):
    # tanh, not ReLU: with zero initial biases every blank-background position sits exactly on
    # ReLU's kink at 0, where central differences give 1/2 and backprop (rightly) 0.
    stepper = make(tiny, 3, layers="conv2x3,pool2,dense10", activation="tanh")
    checks = [(k, i) for k, q in enumerate(stepper.network.params) for i in range(0, q.size, max(1, q.size // 12))]
    record = stepper.step(checks=checks)
    assert [f["kind"] for f in record["forward"]] == ["conv", "pool", "activation", "flatten", "dense"]
    assert record["forward"][0]["formula"].startswith("z1 = W1 * a0 + b1")
    assert np.array(record["forward"][0]["output"]).shape == (3, 2, 8, 8)      # batch first (n, C, H, W)
    assert max(e["difference"] for e in record["gradient_check"]["entries"]) <= 1e-6
    conv = next(b for b in record["backward"] if b["kind"] == "conv")
    assert np.array(conv["dW"]).shape == (2, 1, 3, 3)
    update = record["update"]
    for p in update["parameters"]:
        assert np.array_equal(np.array(p["after"]), np.array(p["before"]) - update["learning_rate"] * np.array(p["gradient"]))


def _batch_cost_by_hand(record, l2, n_total):
    """The cost of the record's batch for the 64-16-10 sigmoid network with the weights after the
    update, written out here: z1 = x W1 + b1, a1 = sigmoid(z1), z2 = a1 W2 + b2, softmax, mean
    -log(p(label) + 1e-12) (the losses' guard against log 0), + l2 / (2 n_total) * (|W1|^2 + |W2|^2)."""
    w1, b1, w2, b2 = (np.array(p["after"]) for p in record["update"]["parameters"])
    x, labels = np.array(record["batch"]["inputs"]), np.array(record["batch"]["labels"])
    a1 = 1 / (1 + np.exp(-(x @ w1 + b1)))
    z2 = a1 @ w2 + b2
    z2 -= z2.max(axis=1, keepdims=True)
    p = np.exp(z2) / np.exp(z2).sum(axis=1, keepdims=True)
    penalty = l2 / (2 * n_total) * ((w1 ** 2).sum() + (w2 ** 2).sum())
    return -np.log(p[np.arange(len(labels)), labels] + 1e-12).mean() + penalty, p


@pytest.mark.parametrize("l2", [0.0, 5.0])
def test_the_loss_after_the_update_is_the_updated_networks_cost_on_the_same_batch(tiny, l2):
    stepper = make(tiny, 8, l2=l2)
    stepper.step()                                    # not the first step: the weights have moved once
    record = stepper.step()
    after = record["after_update"]
    expected, probabilities = _batch_cost_by_hand(record, l2, len(stepper.images))
    assert after["loss_after"] == pytest.approx(expected, rel=1e-12)
    assert np.allclose(after["probabilities"], probabilities, rtol=1e-12, atol=1e-15)
    assert after["loss_before"] == record["loss"]["value"]
    assert after["change"] == pytest.approx(after["loss_after"] - after["loss_before"], abs=1e-15)
    assert after["loss_after"] < after["loss_before"]                 # rate 0.5: a step downhill


def test_a_huge_learning_rate_makes_the_loss_on_the_batch_go_up(tiny):
    after = make(tiny, 8, learning_rate=50.0).step()["after_update"]
    assert after["loss_after"] > after["loss_before"] and after["change"] > 0


def test_with_dropout_before_and_after_use_the_same_masks(tiny):
    """Dropout's masks are kept for the after-update pass: with a zero rate of learning nothing
    moves, so the cost after equals the cost before to the last bits."""
    stepper = make(tiny, 6, layers="dense16,dropout0.5,dense10", learning_rate=1e-300)
    after = stepper.step()["after_update"]
    assert after["loss_after"] == pytest.approx(after["loss_before"], rel=1e-12)
