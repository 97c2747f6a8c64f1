"""My digits while training: a live curve evaluated on the network copy of every epoch, the
handwriting dialog, mixing into a run and fine-tuning from the current weights."""
import numpy as np
import pytest

from core.data.transforms import subsample
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH
from core.evaluation.evaluate import evaluate_network
from gui.my_digits.controller import FINE_TUNE_EPOCHS, evaluate_kept
from tests.gui_helpers import collect, make_window

pytestmark = pytest.mark.usefixtures("themed_app")


@pytest.fixture(scope="module")
def small_mnist(mnist):
    return subsample(mnist, 2000, 200)


def keep_some(window, mnist, n=12):
    """Keep n real MNIST test images as kept digits (the store takes any prepared 28x28 image)."""
    store = window.my_digits.store
    strokes = [np.array([[10.0, 10.0], [50.0, 60.0]])]
    for image, label in zip(mnist.test_images[:n], mnist.test_labels[:n]):
        store.keep(int(label), strokes, image)
    window.tabs.my_digits.reload()
    window.tabs.my_digits.changed.emit()
    return store.load()


def run(qtbot, window, start):
    with qtbot.waitSignal(window.run_finished, timeout=30000):
        start()


def test_my_digits_curve_gets_one_point_per_epoch_equal_to_the_network_copy(qtbot, small_mnist, mnist):
    window = make_window(qtbot, small_mnist, hidden_sizes=(16,), epochs=3, batch_size=64)
    images, labels = keep_some(window, mnist)
    snapshots = collect(window)
    run(qtbot, window, window.start_training)
    epochs = [s for s in snapshots if s.kind == "epoch"]
    controller = window.my_digits
    assert len(epochs) == 3 and len(controller.values) == 3
    assert controller.steps == [s.step for s in epochs]
    for snapshot, value in zip(epochs, controller.values):
        result = evaluate_network(snapshot.network, images, labels, [str(d) for d in range(10)])
        assert value == result["accuracy"]
    np.testing.assert_allclose(controller.curve.yData, 100.0 * np.array(controller.values))
    assert controller.in_legend
    result = controller.show_evaluation()    # the Draw tab now shows the trained network
    assert controller.dialog.isVisible() and result["n"] == 12
    assert result["accuracy"] == controller.values[-1]
    assert int(result["confusion"].sum()) == 12
    assert controller.dialog.confusion.summary.text().startswith("12 kept digits")
    first_line = controller.dialog.per_digit.text().splitlines()[0]
    digit = int(first_line.split(":")[0])
    assert first_line.startswith(f"{digit}: {int(result['confusion'][digit, digit])} of {int((labels == digit).sum())}")


def test_curve_on_smaller_images_resizes_the_kept_digits(qtbot, small_mnist, mnist):
    window = make_window(qtbot, small_mnist, hidden_sizes=(8,), epochs=1, image_size=(14, 14))
    images, labels = keep_some(window, mnist, n=6)
    snapshots = collect(window)
    run(qtbot, window, window.start_training)
    (epoch,) = [s for s in snapshots if s.kind == "epoch"]
    expected = evaluate_kept(epoch.network, images, labels, (14, 14), [str(d) for d in range(10)], "zero_one")
    assert window.my_digits.values == [expected["accuracy"]]


def test_the_weight_mixes_the_kept_digits_into_a_run(qtbot, small_mnist, mnist):
    window = make_window(qtbot, small_mnist, hidden_sizes=(8,), epochs=1, my_digits_weight=0.2)
    images, labels = keep_some(window, mnist, n=5)
    extras = window.my_digits.trainer_extras(window.form.config())
    np.testing.assert_array_equal(extras["my_digits"][0], images)
    assert window.my_digits.trainer_extras(window.form.config().__class__(my_digits_weight=0.0)) == {}
    snapshots = collect(window)
    run(qtbot, window, window.start_training)
    start = snapshots[0]
    n_train = 2000 - len(start.val_labels)
    copies = round(0.2 * n_train / (0.8 * 5))
    assert start.batches_per_epoch == -(-(n_train + 5 * copies) // start.config.batch_size)


def test_fine_tune_starts_from_the_current_weights(qtbot, small_mnist, mnist):
    window = make_window(qtbot, small_mnist)
    keep_some(window, mnist, n=8)
    default, metadata = load_model(DEFAULT_MODEL_PATH)
    snapshots = collect(window)
    with qtbot.waitSignal(window.run_finished, timeout=30000):
        config = window.my_digits.fine_tune()
    assert config.epochs == FINE_TUNE_EPOCHS
    assert config.learning_rate == pytest.approx(0.1 * metadata["config"]["learning_rate"])
    start = snapshots[0]
    assert start.network_description == default.describe()
    before = evaluate_network(default, start.val_images, start.val_labels, start.class_names)["accuracy"]
    epochs = [s for s in snapshots if s.kind == "epoch"]
    assert len(epochs) == FINE_TUNE_EPOCHS
    # a fresh network after one epoch on 1,800 images is far below; the default model is ~98%
    assert before > 0.95 and epochs[0].val_accuracy > 0.95
    assert abs(epochs[0].val_accuracy - before) < 0.03
    assert len(window.my_digits.values) == FINE_TUNE_EPOCHS
