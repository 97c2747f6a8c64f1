"""Readable reference versions of the fast layers: plain loops over positions, written to be
read by a student, and used by the tests to check the fast layers (forward and backward).

They take and return the same layout as the fast layers: images (C, H, W, n), batch innermost,
but they work one image at a time (``for i in range(n)``) so every line is one idea. Slow:
only for small tests.
"""
import numpy as np


def pad_image(image, pad):
    """(C, H, W) -> (C, H + 2 pad, W + 2 pad) with zeros around."""
    channels, height, width = image.shape
    padded = np.zeros((channels, height + 2 * pad, width + 2 * pad), image.dtype)
    padded[:, pad:pad + height, pad:pad + width] = image
    return padded


def conv2d_forward(x, W, b, padding="same"):
    """x (C_in, H, W, n), W (C_out, C_in, k, k), b (C_out,) -> y (C_out, H_out, W_out, n).

    y[o, r, c] = b[o] + sum over input channels ch and kernel offsets (i, j) of
                 W[o, ch, i, j] * x_padded[ch, r + i, c + j]
    """
    c_out, c_in, k, _ = W.shape
    pad = (k - 1) // 2 if padding == "same" else 0
    n = x.shape[-1]
    images = []
    for example in range(n):
        image = pad_image(x[..., example], pad)
        h_out, w_out = image.shape[1] - k + 1, image.shape[2] - k + 1
        out = np.zeros((c_out, h_out, w_out))
        for o in range(c_out):
            for r in range(h_out):
                for c in range(w_out):
                    patch = image[:, r:r + k, c:c + k]          # (C_in, k, k) under the kernel
                    out[o, r, c] = np.sum(patch * W[o]) + b[o]
        images.append(out)
    return np.stack(images, axis=-1)


def conv2d_backward(x, W, grad_out, padding="same"):
    """Gradients (dx, dW, db) of a conv layer, given dy = grad_out (C_out, H_out, W_out, n).

    Every output value y[o, r, c] = b[o] + sum(W[o] * patch) passes its gradient g back to
    the bias (db[o] += g), to each weight (dW[o] += g * patch) and to each input pixel under
    the kernel (dpatch += g * W[o]).
    """
    c_out, c_in, k, _ = W.shape
    pad = (k - 1) // 2 if padding == "same" else 0
    n = x.shape[-1]
    dx = np.zeros(x.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(c_out)
    for example in range(n):
        image = pad_image(x[..., example], pad)
        dimage = np.zeros(image.shape)
        for o in range(c_out):
            for r in range(grad_out.shape[1]):
                for c in range(grad_out.shape[2]):
                    g = grad_out[o, r, c, example]
                    db[o] += g
                    dW[o] += g * image[:, r:r + k, c:c + k]
                    dimage[:, r:r + k, c:c + k] += g * W[o]
        height, width = x.shape[1], x.shape[2]
        dx[..., example] = dimage[:, pad:pad + height, pad:pad + width]
    return dx, dW, db


def maxpool_forward(x, size=2):
    """x (C, H, W, n) -> (C, H // size, W // size, n): the largest value of every window."""
    channels, height, width, n = x.shape
    y = np.zeros((channels, height // size, width // size, n))
    for example in range(n):
        for ch in range(channels):
            for r in range(height // size):
                for c in range(width // size):
                    window = x[ch, r * size:(r + 1) * size, c * size:(c + 1) * size, example]
                    y[ch, r, c, example] = window.max()
    return y


def maxpool_backward(x, grad_out, size=2):
    """dx (C, H, W, n): each window's gradient goes to its largest input (the first one, in
    row-major order, when several are equal: np.argmax picks the first)."""
    channels, height, width, n = x.shape
    dx = np.zeros(x.shape)
    for example in range(n):
        for ch in range(channels):
            for r in range(height // size):
                for c in range(width // size):
                    window = x[ch, r * size:(r + 1) * size, c * size:(c + 1) * size, example]
                    i, j = np.unravel_index(np.argmax(window), window.shape)
                    dx[ch, r * size + i, c * size + j, example] = grad_out[ch, r, c, example]
    return dx


def dense_forward(x, W, b):
    """x (n, n_in), W (n_in, n_out), b (n_out,) -> (n, n_out), one output unit at a time."""
    y = np.zeros((len(x), W.shape[1]))
    for example in range(len(x)):
        for unit in range(W.shape[1]):
            y[example, unit] = np.dot(x[example], W[:, unit]) + b[unit]
    return y


def dense_backward(x, W, grad_out):
    """(dx, dW, db) of a dense layer for grad_out (n, n_out)."""
    dx = np.zeros(x.shape)
    dW = np.zeros(W.shape)
    db = np.zeros(W.shape[1])
    for example in range(len(x)):
        for unit in range(W.shape[1]):
            g = grad_out[example, unit]
            db[unit] += g
            dW[:, unit] += g * x[example]
            dx[example] += g * W[:, unit]
    return dx, dW, db


def dropout_forward(x, keep_mask, rate):
    """Inverted dropout with a given 0/1 keep mask: kept values are scaled by 1 / (1 - rate)."""
    return x * keep_mask / (1.0 - rate)


def flatten_forward(x):
    """(C, H, W, n) -> (n, C*H*W): image by image, channel by channel, row by row."""
    return np.stack([x[..., example].reshape(-1) for example in range(x.shape[-1])])
