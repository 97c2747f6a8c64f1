"""Layer stacks: gradient checks for every layer type and combination, the negative controls,
and the network API (trace, filters, copy, predict) on conv stacks.

Keeping the check away from non-differentiable points: inputs are uniform in [0.1, 0.9] (no
exact zeros), biases are moved to |b| in [0.05, 0.15] (core.nn.gradcheck.move_biases_off_zero),
so no pre-activation is within epsilon = 1e-5 of the ReLU kink at 0 except by a 1e-5 chance,
and continuous random inputs make tied maxima in a pooling window a probability-zero event.
"""
import itertools

import numpy as np
import pytest

from core.nn.gradcheck import gradient_check, move_biases_off_zero
from core.nn.network import Network

STACKS = [
    "conv3x3,dense4",                                   # conv 'same' straight into the output
    "conv3x3v,pool2,dense4",                            # 'valid' conv, pooling
    "conv2x3,pool2,conv3x3,pool2,dense5,dense4",        # two conv blocks, a hidden dense layer
    "conv2x3,conv3x3v,dense4",                          # conv after conv (no pooling between)
    "pool2,conv2x3,dense4",                             # pooling the input first
    "conv2x3,pool3,dense4",                             # 3x3 pooling windows (8 -> 2, one row dropped)
    "conv3x3,dropout0.3,pool2,flatten,dense6,dropout0.5,dense4",   # dropout on images and rows
    "dense6,dropout0.2,dense4",                         # a dense stack with dropout
]


def batch(n=3, input_shape=(8, 8), n_classes=4, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.uniform(0.1, 0.9, (n, int(np.prod(input_shape))))
    return x, rng.integers(0, n_classes, n)


@pytest.mark.parametrize("layers,activation", itertools.product(STACKS, ["relu", "tanh", "sigmoid"]))
def test_every_stack_passes_the_gradient_check(layers, activation):
    x, labels = batch()
    net = Network.from_layers(layers, (8, 8), activation, dtype=np.float64, seed=2)
    move_biases_off_zero(net)
    result = gradient_check(net, x, net.targets(labels), l2=0.3, n_total=10, max_entries=40)
    assert result.passed, (layers, activation, result)
    assert result.max_relative_error < 1e-6


@pytest.mark.parametrize("loss,output", [("mse", "softmax"), ("cross_entropy", "sigmoid"), ("mse", "sigmoid")])
def test_conv_stack_gradients_with_every_loss(loss, output):
    x, labels = batch(input_shape=(6, 6, 2))            # two input channels
    net = Network.from_layers("conv3x3,pool2,dense4", (6, 6, 2), "leaky_relu", loss, output,
                              dtype=np.float64, seed=1)
    move_biases_off_zero(net)
    assert gradient_check(net, x, net.targets(labels)).passed


def test_negative_controls_fail_the_check():
    """A wrong conv gradient must fail: a flipped kernel (the classic convolution-versus-
    correlation slip) and a col2im that forgets one kernel offset (via a wrong dx)."""
    x, labels = batch()
    net = Network.from_layers("conv2x3,pool2,conv3x3,dense4", (8, 8), "tanh", dtype=np.float64, seed=4)
    move_biases_off_zero(net)
    y = net.targets(labels)
    assert gradient_check(net, x, y).passed

    def flipped_kernel(network, xs, ys):
        _, grads = network.loss_and_gradients(xs, ys)
        grads = [g.copy() for g in grads]
        grads[0] = grads[0][:, :, ::-1, ::-1]           # dW1 of the kernel rotated by 180 degrees
        return grads

    bad = gradient_check(net, x, y, gradient_fn=flipped_kernel)
    assert not bad.passed and bad.params[0].relative_error > 1e-2
    assert bad.params[2].relative_error < 1e-6          # only W1 is blamed

    conv2 = [layer for layer in net.layers if layer.kind == "conv"][1]
    real_backward = conv2.backward

    def forgets_an_offset(grad_out, need_input_grad=True):
        dx = real_backward(grad_out, need_input_grad)
        dx[:, 1:, :, :] *= 0.5                           # as if the (1, .) offsets were half-added
        return dx

    conv2.backward = forgets_an_offset
    try:
        broken = gradient_check(net, x, y)
    finally:
        conv2.backward = real_backward
    assert not broken.passed
    assert broken.params[0].relative_error > 1e-3        # the layer below conv2 gets the wrong signal


def test_dropout_with_a_new_mask_per_evaluation_would_fail():
    """Why the check freezes dropout masks: with a fresh mask per cost evaluation the numerical
    gradient is noise."""
    x, labels = batch()
    net = Network.from_layers("dense6,dropout0.5,dense4", (8, 8), "tanh", dtype=np.float64, seed=0)
    y = net.targets(labels)
    _, grads = net.loss_and_gradients(x, y)
    grads = [g.copy() for g in grads]
    from core.nn.gradcheck import numerical_gradient, relative_error
    numeric = numerical_gradient(lambda: net.cost(x, y, training=True), net.params[0], np.arange(20), 1e-5)
    assert relative_error(grads[0].reshape(-1)[:20], numeric) > 1e-2
    assert gradient_check(net, x, y).passed


def test_mlp_is_the_same_network_as_a_dense_stack():
    x, labels = batch(n=5, input_shape=(10,))
    mlp = Network((10, 7, 4), "tanh", dtype=np.float64, seed=3)
    stack = Network.from_layers("dense7,dense4", (10,), "tanh", dtype=np.float64, seed=3)
    for a, b in zip(mlp.params, stack.params):
        np.testing.assert_array_equal(a, b)
    assert mlp.layer_sizes == stack.layer_sizes == (10, 7, 4)
    assert mlp.describe() == "10-7-4 tanh, softmax + cross_entropy"
    y = mlp.targets(labels)
    assert mlp.loss_and_gradients(x, y)[0] == stack.loss_and_gradients(x, y)[0]


def test_conv_network_api_trace_filters_copy_predict():
    net = Network.from_layers("conv4x5,pool2,conv8x3v,pool2,dense16,dense10", (28, 28), seed=0)
    assert net.layer_sizes is None and net.n_inputs == 784 and net.n_outputs == 10
    assert net.param_names == ["W1", "b1", "W2", "b2", "W3", "b3", "W4", "b4"]
    assert [p.shape for p in net.weights[:2]] == [(4, 1, 5, 5), (8, 4, 3, 3)]
    x = np.random.default_rng(0).random((3, 784), dtype=np.float32)
    steps = net.trace(x)
    names = [name for name, _ in steps]
    assert names == ["conv1", "pool1", "relu1", "conv2", "pool2", "relu2", "flatten", "dense1", "relu3", "output"]
    shapes = dict((name, a.shape) for name, a in steps)
    assert shapes["conv1"] == (3, 28, 28, 4) and shapes["pool1"] == (3, 14, 14, 4)
    assert shapes["conv2"] == (3, 12, 12, 8) and shapes["relu2"] == (3, 6, 6, 8)
    assert shapes["flatten"] == (3, 288) and shapes["output"] == (3, 10)
    assert (steps[2][1] >= 0).all() and steps[1][1].min() < 0          # pooled, then ReLU
    np.testing.assert_allclose(steps[-1][1], net.predict_proba(x), rtol=1e-6)
    # the feature map of channel 0 is the reference convolution of the image with filter 0
    from core.nn.layers import reference
    image = x.reshape(3, 28, 28).transpose(1, 2, 0)[None]
    W, b = net.params[0], net.params[1]
    np.testing.assert_allclose(steps[0][1], reference.conv2d_forward(image, W, b).transpose(3, 1, 2, 0), atol=1e-5)
    filters = net.conv_filters()
    assert [(name, f.shape) for name, f in filters] == [("conv1", (4, 1, 5, 5)), ("conv2", (8, 4, 3, 3))]
    twin = net.copy()
    np.testing.assert_array_equal(twin.predict_proba(x), net.predict_proba(x))
    twin.params[0][...] = 0
    assert not np.array_equal(twin.predict_proba(x), net.predict_proba(x))
    assert net.first_layer_images((28, 28)).shape == (4, 5, 5)


def test_evaluation_in_chunks_equals_one_pass():
    net = Network.from_layers("conv4x3,pool2,dense10", (12, 12), seed=0)
    x = np.random.default_rng(1).random((150, 144), dtype=np.float32)
    np.testing.assert_allclose(net.predict_proba(x, chunk=64), net.predict_proba(x, chunk=150), rtol=1e-5)


def test_wrong_weight_shapes_are_refused():
    net = Network.from_layers("conv4x3,pool2,dense10", (12, 12), seed=0)
    with pytest.raises(ValueError, match="do not match"):
        Network.from_layers("conv5x3,pool2,dense10", (12, 12), weights=net.params)
