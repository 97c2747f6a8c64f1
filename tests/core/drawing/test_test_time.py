"""core.drawing.test_time: a model with test-time turns is read as it asks, by every reader."""
import numpy as np
from scipy import ndimage

from core.drawing.model_input import predict
from core.drawing.test_time import read_proba, turns_of, views
from core.evaluation.evaluate import evaluate_network
from core.nn.network import Network
from core.nn.layer_spec import parse_layers


def small_model(turns):
    network = Network.from_layers(parse_layers("conv4x3,pool2,dense10"), (28, 28), "relu", "cross_entropy",
                                  "softmax", "he", seed=1)
    metadata = {"input_shape": [28, 28], "normalisation": "zero_one", "class_names": [str(d) for d in range(10)],
                "config": {"test_time_turns": turns}}
    return network, metadata


def test_views_are_the_image_and_two_turns():
    image = np.zeros((1, 28, 28), np.float32)
    image[0, 4:24, 13:15] = 1.0                                  # an upright stroke
    v = views(image, 10.0)
    assert v.shape == (3, 1, 28, 28)
    np.testing.assert_array_equal(v[0], image)
    np.testing.assert_allclose(v[2], ndimage.rotate(image, 10.0, axes=(1, 2), reshape=False, order=1), atol=1e-6)
    assert not np.allclose(v[1], v[2])                            # one each way


def test_read_proba_averages_three_views_only_when_the_model_asks(mnist):
    x = mnist.test_images[:20].reshape(20, -1).astype(np.float32) / 255
    plain, meta_plain = small_model(0.0)
    assert turns_of(meta_plain) == 0 and turns_of({}) == 0
    np.testing.assert_array_equal(read_proba(plain, meta_plain, x), plain.predict_proba(x))
    turned, meta = small_model(8.0)
    expected = np.mean([turned.predict_proba(v.reshape(20, -1)) for v in views(x.reshape(20, 28, 28), 8.0)], axis=0)
    got = read_proba(turned, meta, x)
    np.testing.assert_allclose(got, expected, rtol=1e-6)
    assert not np.allclose(got, turned.predict_proba(x))
    # the canvas's predict and evaluate read the same way
    probabilities, top = predict(turned, meta, x[0].reshape(28, 28))
    np.testing.assert_allclose(probabilities, expected[0], rtol=1e-5)
    result = evaluate_network(turned, mnist.test_images[:20], mnist.test_labels[:20], meta["class_names"], metadata=meta)
    assert result["test_time_turns"] == 8.0
    assert result["accuracy"] == np.mean(expected.argmax(axis=1) == mnist.test_labels[:20])
    assert result["accuracy_read_once"] == np.mean(turned.predict(x) == mnist.test_labels[:20])
