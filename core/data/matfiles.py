"""MATLAB .mat files of Andrew Ng's ex4: the data (X, y) and the weights (Theta1, Theta2).

ex4's layout and how it maps onto ours:
- ``X`` (m, 400) floats: each row is a 20x20 image unrolled column by column (MATLAB order),
  values roughly in [-0.13, 1.1] (the images were smoothed). We reorder the columns to our
  row-major pixel order, so ``X_ours[i].reshape(20, 20)`` is the upright digit.
- ``y`` (m, 1) labels 1..10, where 10 means the digit 0 (MATLAB indexes from 1). We use the
  digit itself (y % 10).
- ``Theta1`` (25, 401), ``Theta2`` (10, 26), ...: row j holds output unit j's bias (column 0)
  and weights. Our layer computes a @ W + b, so W = Theta[:, 1:].T and b = Theta[:, 0], with the
  first layer's rows reordered like X's columns and the last layer's units reordered so that
  our output i is the digit i (ex4's unit k, 1-based, is the label k; unit 10 is the digit 0).

Two data paths, on purpose:
- ``load_mat_examples`` keeps ex4's raw float X: the ``cost`` command feeds it to the network
  unchanged, which reproduces ex4's published costs (0.287629, and 0.383770 with lambda = 1).
- ``load_mat_dataset`` makes a uint8 Dataset (X clipped to [0, 1], times 255, rounded) so the
  file can be trained on, shown and drawn against like any other dataset. The clipping removes
  the smoothing's small negative ringing; training on it is not bit-for-bit ex4.
"""
import numpy as np
import scipy.io

from core.data.dataset import DIGIT_CLASS_NAMES, Dataset
from core.errors import DatasetError, ModelFileError
from core.nn.network import Network
from core.data.splits import stratified_split

EX4_IMAGE_SHAPE = (20, 20)


def read_mat(path, error=DatasetError):
    """The variables of a .mat file (v4 to v7.2) as a dict; ``error`` for unreadable files."""
    try:
        return scipy.io.loadmat(str(path))
    except FileNotFoundError:
        raise error(f"{path}: file not found") from None
    except NotImplementedError:
        raise error(f"{path}: MATLAB v7.3 (HDF5) files are not supported; in MATLAB/Octave save it "
                    f"with -v7 (save -v7 file.mat X y)") from None
    except (ValueError, TypeError, OSError, IndexError, KeyError, EOFError, scipy.io.matlab.MatReadError) as exc:
        # scipy's readers fail on garbage with whatever error their parser meets first
        raise error(f"{path}: not a readable MATLAB .mat file ({type(exc).__name__}: {exc})") from None


def fortran_to_c_order(image_shape):
    """Index array f such that x_ours = x_matlab[..., f] for images unrolled column by column.

    f[r * W + c] = r + H * c: our row-major pixel (r, c) is MATLAB's entry r + H * c.
    """
    height, width = image_shape
    return np.arange(height * width).reshape((height, width), order="F").ravel()


def _image_shape_for(n_features, image_shape):
    if image_shape is not None:
        if int(np.prod(image_shape)) != n_features:
            raise DatasetError(f"X rows have {n_features} values, which is not a {image_shape[0]}x{image_shape[1]} image")
        return tuple(image_shape)
    side = int(round(np.sqrt(n_features)))
    if side * side != n_features:
        raise DatasetError(f"X rows have {n_features} values, not a square image; give the image shape")
    return side, side


def digits_from_ex4_labels(y):
    """ex4 labels 1..10 (10 = digit 0) -> digits 0..9 as (m,) int64. 0 is accepted as 0 too."""
    y = np.asarray(y).reshape(-1)
    if y.size and (not np.all(np.isfinite(y)) or np.any(y != np.round(y)) or y.min() < 0 or y.max() > 10):
        raise DatasetError("y must hold whole-number labels 1..10 (10 meaning the digit 0)")
    return (y.astype(np.int64) % 10)


def load_mat_examples(path, image_shape=None):
    """(X (m, n_pixels) float64 in our row-major pixel order, digits (m,) int64, image_shape)."""
    data = read_mat(path)
    for key in ("X", "y"):
        if key not in data:
            names = ", ".join(k for k in data if not k.startswith("__")) or "none"
            raise DatasetError(f"{path}: no variable {key!r} (found: {names}); ex4 data files hold X and y")
    X = np.asarray(data["X"], np.float64)
    if X.ndim != 2:
        raise DatasetError(f"{path}: X must be a 2-D matrix (examples x pixels), got shape {X.shape}")
    try:
        digits = digits_from_ex4_labels(data["y"])
    except DatasetError as exc:
        raise DatasetError(f"{path}: {exc}") from None
    if len(digits) != len(X):
        raise DatasetError(f"{path}: X has {len(X)} rows but y has {len(digits)} labels")
    try:
        shape = _image_shape_for(X.shape[1], image_shape)
    except DatasetError as exc:
        raise DatasetError(f"{path}: {exc}") from None   # the same file naming as the label errors
    return X[:, fortran_to_c_order(shape)], digits, shape


def float_to_uint8(X):
    """Floats meant as [0, 1] intensities -> uint8 0..255 (out-of-range values clipped)."""
    return np.rint(np.clip(X, 0.0, 1.0) * 255.0).astype(np.uint8)


def load_mat_dataset(path, test_fraction=0.2, seed=0, image_shape=None):
    """An ex4 data file as a uint8 Dataset with a seeded, class-stratified train/test split.

    ex4 has no test set (the course reports training accuracy), so test_fraction of each digit
    is held out; test_fraction=0 keeps everything for training and leaves the test set empty.
    """
    X, digits, shape = load_mat_examples(path, image_shape)
    images = float_to_uint8(X).reshape(len(X), *shape)
    train_idx, test_idx = stratified_split(digits, test_fraction, seed)
    labels = digits.astype(np.uint8)
    return Dataset(name="ex4", train_images=images[train_idx], train_labels=labels[train_idx],
                   test_images=images[test_idx], test_labels=labels[test_idx],
                   class_names=list(DIGIT_CLASS_NAMES), source=f"MATLAB file {path} (ex4 layout)")


# ----- weights --------------------------------------------------------------------------------
def _output_order(n_outputs):
    """Our output i <- ex4 unit order[i] (0-based): digit 0 is ex4's unit 10. Identity unless 10 units."""
    return (np.arange(10) - 1) % 10 if n_outputs == 10 else np.arange(n_outputs)


def load_thetas(path):
    """[Theta1, Theta2, ...] float64 from a .mat file (variables Theta1..ThetaL)."""
    data = read_mat(path, ModelFileError)
    thetas = []
    while f"Theta{len(thetas) + 1}" in data:
        thetas.append(np.asarray(data[f"Theta{len(thetas) + 1}"], np.float64))
    if not thetas:
        names = ", ".join(k for k in data if not k.startswith("__")) or "none"
        raise ModelFileError(f"{path}: no Theta1 (found: {names}); ex4 weight files hold Theta1 and Theta2")
    return thetas


def thetas_to_network(thetas, image_shape=EX4_IMAGE_SHAPE, activation="sigmoid", loss="cross_entropy",
                      output="sigmoid", dtype=np.float64):
    """A Network equal to ex4's Theta matrices (bias in column 0) on row-major images."""
    sizes = [thetas[0].shape[1] - 1] + [t.shape[0] for t in thetas]
    for previous, theta in zip(thetas[:-1], thetas[1:]):
        if theta.shape[1] != previous.shape[0] + 1:
            raise ModelFileError(f"Theta shapes {[t.shape for t in thetas]} do not chain "
                                 "(each needs one column more than the previous has rows)")
    if image_shape is not None and int(np.prod(image_shape)) != sizes[0]:
        raise ModelFileError(f"Theta1 takes {sizes[0]} inputs, not {image_shape[0]}x{image_shape[1]} images")
    params = []
    for layer, theta in enumerate(thetas):
        W, b = theta[:, 1:].T.copy(), theta[:, 0].copy()
        if layer == 0 and image_shape is not None:
            W = W[fortran_to_c_order(image_shape)]
        if layer == len(thetas) - 1:
            order = _output_order(theta.shape[0])
            W, b = W[:, order], b[order]
        params += [W, b]
    return Network(sizes, activation, loss, output, init="uniform", dtype=dtype, weights=params)


def network_to_thetas(network, image_shape=EX4_IMAGE_SHAPE):
    """The inverse of thetas_to_network: [Theta1, ...] with ex4's pixel and label order."""
    thetas = []
    n_layers = len(network.weights)
    for layer, (W, b) in enumerate(zip(network.weights, network.biases)):
        W, b = np.asarray(W, np.float64), np.asarray(b, np.float64)
        if layer == 0 and image_shape is not None:
            unordered = np.empty_like(W)
            unordered[fortran_to_c_order(image_shape)] = W
            W = unordered
        if layer == n_layers - 1:
            order = _output_order(W.shape[1])
            W_ex4, b_ex4 = np.empty_like(W), np.empty_like(b)
            W_ex4[:, order], b_ex4[order] = W, b
            W, b = W_ex4, b_ex4
        thetas.append(np.hstack([b[:, None], W.T]))
    return thetas


def save_thetas(path, network, image_shape=EX4_IMAGE_SHAPE):
    """Write Theta1..ThetaL in ex4's layout (readable by MATLAB/Octave and load_thetas)."""
    thetas = network_to_thetas(network, image_shape)
    scipy.io.savemat(str(path), {f"Theta{i + 1}": t for i, t in enumerate(thetas)})
