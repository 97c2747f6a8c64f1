"""feature_stages against the readable reference layers, in the textbook order conv -> ReLU -> pool
(the network itself applies ReLU after pooling; the stages must not show that detail)."""
import numpy as np

from core.analysis.feature_maps import feature_stages
from core.data.normalise import to_float
from core.nn.layers import reference
from core.nn.network import Network


def test_stages_follow_conv_relu_pool_as_in_the_textbook(small_cnn, validation):
    images, _ = validation
    x = to_float(images[:1])
    stages = feature_stages(small_cnn, x)
    assert [(s.name, s.kind) for s in stages] == [("conv1", "maps"), ("pool1", "maps"), ("conv2", "maps"),
                                                  ("pool2", "maps"), ("output", "units")]
    (W1, b1), (W2, b2) = [(layer.params[0], layer.params[1]) for layer in small_cnn.layers if layer.kind == "conv"]
    image = x.reshape(1, 28, 28, 1).transpose(3, 1, 2, 0).astype(np.float64)          # (C, H, W, n)
    relu1 = np.maximum(reference.conv2d_forward(image, W1, b1), 0)
    pool1 = reference.maxpool_forward(relu1)
    relu2 = np.maximum(reference.conv2d_forward(pool1, W2, b2), 0)
    pool2 = reference.maxpool_forward(relu2)
    for stage, want in zip(stages[:4], (relu1, pool1, relu2, pool2)):
        assert stage.values.shape == want[..., 0].shape                                  # (C, H, W)
        np.testing.assert_allclose(stage.values, want[..., 0], rtol=1e-4, atol=1e-5)
    assert stages[0].title == "conv1 + relu: 4 maps of 28x28"
    assert stages[3].title == "pool2 (after relu): 6 maps of 7x7"
    np.testing.assert_allclose(stages[-1].values, small_cnn.predict_proba(x)[0], rtol=1e-5)
    assert stages[0].values.min() == 0 and stages[0].values.max() > 0               # ReLU: some maps fire


def test_a_dense_network_gives_bars_after_the_activation(small_mlp, validation):
    images, _ = validation
    x = to_float(images[3:4])
    stages = feature_stages(small_mlp, x)
    assert [(s.name, s.kind, s.values.shape) for s in stages] == [("dense1", "units", (32,)),
                                                                 ("output", "units", (10,))]
    W1, b1 = small_mlp.weights[0], small_mlp.biases[0]
    np.testing.assert_allclose(stages[0].values, np.maximum(x @ W1 + b1, 0)[0], rtol=1e-4, atol=1e-5)


def test_tanh_conv_maps_keep_their_sign():
    network = Network.from_layers("conv3x3,pool2,dense10", (8, 8), activation="tanh", seed=0)
    x = np.random.default_rng(0).uniform(-1, 1, (1, 64)).astype(np.float32)
    conv = feature_stages(network, x)[0]
    assert conv.values.min() < 0 < conv.values.max() and np.all(np.abs(conv.values) < 1)
