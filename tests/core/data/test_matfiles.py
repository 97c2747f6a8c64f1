"""ex4 .mat files: column-major images, labels 1..10, Theta matrices <-> our Network."""
import numpy as np
import pytest
import scipy.io

from core.errors import DatasetError, ModelFileError
from core.data.matfiles import (float_to_uint8, fortran_to_c_order, load_mat_dataset, load_mat_examples, load_thetas,
                           network_to_thetas, save_thetas, thetas_to_network)
from core.nn.network import Network


def letter_f():
    """A 20x20 test pattern with no symmetry: an 'F' (transposing or flipping it changes it)."""
    image = np.zeros((20, 20))
    image[3:17, 5] = 1.0          # vertical stroke on the left
    image[3, 5:15] = 1.0          # top bar
    image[9, 5:11] = 0.5          # shorter middle bar
    image[18, 19] = 0.25          # a marker pixel in the bottom-right corner
    return image


def write_ex4_data(path, images, labels):
    """What MATLAB's X(i, :) = img(:)' does: unroll each image column by column."""
    X = np.stack([image.ravel(order="F") for image in images])
    scipy.io.savemat(str(path), {"X": X, "y": np.asarray(labels, np.float64).reshape(-1, 1)})
    return X


def test_column_major_images_come_back_upright(tmp_path):
    pattern = letter_f()
    rng = np.random.default_rng(0)
    images = [pattern, rng.random((20, 20)), pattern.T]
    write_ex4_data(tmp_path / "data.mat", images, [10, 3, 1])
    X, digits, shape = load_mat_examples(tmp_path / "data.mat")
    assert shape == (20, 20)
    assert np.array_equal(X[0].reshape(20, 20), pattern)
    assert X[0].reshape(20, 20)[18, 19] == 0.25 and X[0].reshape(20, 20)[19, 18] == 0
    assert np.array_equal(X[1].reshape(20, 20), images[1])
    assert np.array_equal(X[2].reshape(20, 20), pattern.T)
    assert digits.tolist() == [0, 3, 1]   # 10 means the digit 0


def test_fortran_order_index_matches_numpy():
    image = np.arange(6.0).reshape(2, 3)
    assert np.array_equal(image.ravel(order="F")[fortran_to_c_order((2, 3))], image.ravel())


def test_mat_dataset_is_uint8_and_keeps_every_example(tmp_path):
    rng = np.random.default_rng(1)
    images = [letter_f()] + [rng.uniform(-0.13, 1.1, (20, 20)) for _ in range(19)]
    labels = [10] + [1 + i % 10 for i in range(19)]
    write_ex4_data(tmp_path / "data.mat", images, labels)
    dataset = load_mat_dataset(tmp_path / "data.mat", test_fraction=0.25, seed=0)
    assert dataset.train_images.dtype == np.uint8 and dataset.image_shape == (20, 20)
    assert len(dataset.train_labels) + len(dataset.test_labels) == 20
    everything = np.concatenate([dataset.train_images, dataset.test_images])
    assert any(np.array_equal(image, float_to_uint8(letter_f())) for image in everything)
    assert sorted(np.concatenate([dataset.train_labels, dataset.test_labels]).tolist()) == \
        sorted(label % 10 for label in labels)
    assert float_to_uint8(np.array([-0.13, 0.5, 1.1])).tolist() == [0, 128, 255]


def ex4_forward(thetas, X_matlab):
    """ex4's predict.m literally, on MATLAB-ordered rows: h = sigmoid([1 a] * Theta')."""
    a = X_matlab
    for theta in thetas:
        a = 1 / (1 + np.exp(-(np.hstack([np.ones((len(a), 1)), a]) @ theta.T)))
    return a


def test_thetas_become_a_network_with_our_pixel_and_label_order(tmp_path):
    rng = np.random.default_rng(2)
    thetas = [rng.normal(0, 0.3, (25, 401)), rng.normal(0, 0.3, (10, 26))]
    images = [letter_f(), rng.random((20, 20))]
    X_matlab = write_ex4_data(tmp_path / "data.mat", images, [10, 5])
    X, _, _ = load_mat_examples(tmp_path / "data.mat")
    network = thetas_to_network(thetas)
    ours = network.forward(X.copy())
    theirs = ex4_forward(thetas, X_matlab)
    assert network.layer_sizes == (400, 25, 10)
    assert np.allclose(ours[:, 0], theirs[:, 9])     # our digit 0 is ex4's unit 10
    assert np.allclose(ours[:, 1:], theirs[:, :9])   # digit d is unit d
    assert np.allclose(np.vstack([ours[:, 1:].T, ours[:, :1].T]).T, theirs)


def test_thetas_round_trip_through_a_mat_file(tmp_path):
    network = Network((400, 25, 10), "sigmoid", "cross_entropy", "sigmoid", init="uniform", seed=3,
                      dtype=np.float64)
    save_thetas(tmp_path / "weights.mat", network)
    thetas = load_thetas(tmp_path / "weights.mat")
    assert [t.shape for t in thetas] == [(25, 401), (10, 26)]
    back = thetas_to_network(thetas)
    for ours, theirs in zip(network.params, back.params):
        assert np.array_equal(ours, theirs)
    assert all(np.array_equal(a, b) for a, b in zip(network_to_thetas(back), thetas))


def test_bad_files_are_reported(tmp_path):
    with pytest.raises(DatasetError, match="not found"):
        load_mat_examples(tmp_path / "missing.mat")
    (tmp_path / "junk.mat").write_bytes(b"this is not a mat file at all" * 10)
    with pytest.raises(DatasetError, match="mat"):
        load_mat_examples(tmp_path / "junk.mat")
    scipy.io.savemat(str(tmp_path / "noy.mat"), {"X": np.zeros((2, 400))})
    with pytest.raises(DatasetError, match="'y'"):
        load_mat_examples(tmp_path / "noy.mat")
    scipy.io.savemat(str(tmp_path / "bady.mat"), {"X": np.zeros((2, 400)), "y": np.array([[11], [1]])})
    with pytest.raises(DatasetError, match="1..10"):
        load_mat_examples(tmp_path / "bady.mat")
    scipy.io.savemat(str(tmp_path / "nothetas.mat"), {"W": np.zeros((2, 2))})
    with pytest.raises(ModelFileError, match="Theta1"):
        load_thetas(tmp_path / "nothetas.mat")


@pytest.mark.parametrize("content", [b"this is not a MATLAB file", b"", b"MATLAB 5.0 MAT-file" + bytes(200)])
def test_garbage_mat_files_give_a_dataset_error_naming_the_file(tmp_path, content):
    from core.data.datasets import load_dataset
    path = tmp_path / "garbage.mat"
    path.write_bytes(content)
    with pytest.raises(DatasetError, match="garbage.mat"):
        load_dataset("mat", str(path))


def test_bad_labels_error_names_the_file(tmp_path):
    path = tmp_path / "labels.mat"
    scipy.io.savemat(path, {"X": np.zeros((3, 400)), "y": np.array([[1], [2], [11]])})
    with pytest.raises(DatasetError, match="labels.mat.*1..10"):
        load_mat_examples(path)


def test_rows_that_are_not_a_square_image_name_the_file(tmp_path):
    path = tmp_path / "wide.mat"
    scipy.io.savemat(path, {"X": np.zeros((3, 401)), "y": np.array([[1], [2], [3]])})
    with pytest.raises(DatasetError, match=r"wide\.mat: X rows have 401 values, not a square image"):
        load_mat_examples(path)
    with pytest.raises(DatasetError, match=r"wide\.mat: X rows have 401 values, which is not a 20x20 image"):
        load_mat_examples(path, image_shape=(20, 20))
