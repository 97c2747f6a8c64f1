"""2-D convolution (cross-correlation, as every framework computes it): k x k kernels, stride 1,
padding 'same' (output as large as the input, k odd) or 'valid' (only where the kernel fits).

Layout: images are (C, H, W, n), batch innermost. Then every row of a feature map is one long
contiguous run of W * n values, so the copies below (im2col, col2im) move long slices instead
of short ones (measured +47% for pooling/col2im against batch-first).

Parameters: W (C_out, C_in, k, k) (the filters, as the app shows them) and b (C_out,).

Forward (im2col): a strided view of the padded input with shape (C_in, k, k, H_out, W_out, n)
shows, for every kernel offset (di, dj), the input shifted by it; one copy turns that view into
the matrix cols (C_in*k*k + 1, H_out*W_out*n), whose last row is ones so that the bias rides
along as one more column of the weight matrix [W | b] (C_out, C_in*k*k + 1). One matrix
product gives the output: y = [W | b] @ cols, already in (C_out, H_out, W_out, n) order.

Backward: d[W | b] = (cols @ dy.T).T (its last column is db = the sum of dy); dcols = W.T @ dy;
then col2im adds dcols back onto the padded input gradient, one kernel offset at a time
(k*k slice additions, each over long contiguous runs, instead of np.add.at).

Buffers (padded input, cols, output, gradients) are kept per batch size and reused. The
readable loop version of both directions is core.nn.layers.reference.conv2d_forward/backward.
"""
import numpy as np
from numpy.lib.stride_tricks import as_strided

from core.nn.layers.base import Layer

PADDINGS = ("same", "valid")
# Products with few rows in cols (a first layer on 1 channel: 26) ran ~1.7x faster in column
# chunks of this size than in one call (OpenBLAS, measured in CPU time); wide ones gained nothing.
SKINNY_ROWS, CHUNK_COLUMNS = 64, 4096


def column_chunks(n_rows, n_columns):
    """Column ranges for the matrix products of a layer whose cols has n_rows rows."""
    step = CHUNK_COLUMNS if n_rows <= SKINNY_ROWS else n_columns
    return [(start, min(n_columns, start + step)) for start in range(0, n_columns, step)]


def conv_output_size(size, kernel, padding):
    """Output rows (or columns) for an input of ``size`` rows; < 1 means the kernel does not fit."""
    return size if padding == "same" else size - kernel + 1


class Conv2D(Layer):
    kind = "conv"
    spatial_output = True

    def __init__(self, filters, kernel, padding="same", name=""):
        super().__init__(name)
        if padding not in PADDINGS:
            raise ValueError(f"padding must be 'same' or 'valid' (got {padding!r})")
        if padding == "same" and kernel % 2 == 0:
            raise ValueError(f"'same' padding needs an odd kernel size (got {kernel})")
        self.filters, self.kernel, self.padding = int(filters), int(kernel), padding
        self.param_suffixes = ["W", "b"]

    @property
    def pad(self):
        return (self.kernel - 1) // 2 if self.padding == "same" else 0

    def output_shape(self, in_shape):
        if len(in_shape) != 3:
            raise ValueError(f"a conv layer takes images (C, H, W), not {in_shape}")
        channels, height, width = in_shape
        return (self.filters, conv_output_size(height, self.kernel, self.padding),
                conv_output_size(width, self.kernel, self.padding))

    def param_shapes(self):
        return [(self.filters, self.in_shape[0], self.kernel, self.kernel), (self.filters,)]

    @property
    def n_taps(self):
        """C_in * k * k: the length of one column of cols (without the ones row)."""
        return self.in_shape[0] * self.kernel * self.kernel

    def _make(self, n):
        c_in, height, width = self.in_shape
        c_out, h_out, w_out = self.out_shape
        p, k = self.pad, self.kernel
        padded = np.zeros((c_in, height + 2 * p, width + 2 * p, n), self.dtype)   # borders stay 0
        cols = np.empty((self.n_taps + 1, h_out * w_out * n), self.dtype)
        cols[-1] = 1.0                                                           # the bias row
        s = padded.strides
        windows = as_strided(padded, shape=(c_in, k, k, h_out, w_out, n),
                             strides=(s[0], s[1], s[2], s[1], s[2], s[3]), writeable=False)
        return {"padded": padded, "cols": cols, "windows": windows,
                "cols6": cols[:-1].reshape(c_in, k, k, h_out, w_out, n),
                "weights": np.empty((c_out, self.n_taps + 1), self.dtype),
                "y": np.empty((c_out, h_out * w_out * n), self.dtype),
                "dweights_t": np.empty((self.n_taps + 1, c_out), self.dtype),
                "dcols": np.empty((self.n_taps, h_out * w_out * n), self.dtype),
                "dpadded": np.empty_like(padded)}

    def forward(self, x, training=False):
        """x: (C_in, H, W, n) images, any strides -> (C_out, H_out, W_out, n)."""
        n = x.shape[-1]
        buf = self.buffers.get(n, self._make)
        W, b = self.params
        p, (_, height, width) = self.pad, self.in_shape
        np.copyto(buf["padded"][:, p:p + height, p:p + width, :], x)
        np.copyto(buf["cols6"], buf["windows"])                      # im2col: the one big copy
        weights = buf["weights"]
        weights[:, :-1] = W.reshape(len(W), -1)
        weights[:, -1] = b
        cols, y = buf["cols"], buf["y"]
        for a, b in column_chunks(len(cols), cols.shape[1]):
            np.matmul(weights, cols[:, a:b], out=y[:, a:b])
        self._buf = buf
        return y.reshape(*self.out_shape, n)

    def backward(self, grad_out, need_input_grad=True):
        """grad_out: (C_out, H_out, W_out, n) -> (C_in, H, W, n), or None."""
        buf = self._buf
        n = grad_out.shape[-1]
        dy = grad_out.reshape(self.filters, -1)
        # cols @ dy.T rather than dy @ cols.T: the same product, measured ~25% faster in
        # OpenBLAS for these long, skinny shapes (the transposed result is tiny to copy back).
        cols, dweights_t = buf["cols"], buf["dweights_t"]
        chunks = column_chunks(len(cols), cols.shape[1])
        np.matmul(cols[:, chunks[0][0]:chunks[0][1]], dy[:, chunks[0][0]:chunks[0][1]].T, out=dweights_t)
        for a, b in chunks[1:]:
            dweights_t += cols[:, a:b] @ dy[:, a:b].T
        gW, gb = self.grads
        gW.reshape(self.filters, -1)[...] = dweights_t[:-1].T
        gb[...] = dweights_t[-1]
        if not need_input_grad:
            return None
        dcols = np.dot(buf["weights"][:, :-1].T, dy, out=buf["dcols"])
        c_in, height, width = self.in_shape
        _, h_out, w_out = self.out_shape
        k, p = self.kernel, self.pad
        dcols6 = dcols.reshape(c_in, k, k, h_out, w_out, n)
        dpadded = buf["dpadded"]
        dpadded.fill(0)
        for di in range(k):            # col2im: one slice addition per kernel offset
            for dj in range(k):
                dpadded[:, di:di + h_out, dj:dj + w_out, :] += dcols6[:, di, dj]
        return dpadded[:, p:p + height, p:p + width, :]

    def floats_per_example(self):
        c_out, h_out, w_out = self.out_shape
        c_in, height, width = self.in_shape
        return (2 * self.n_taps + 1) * h_out * w_out + 2 * c_in * (height + 2 * self.pad) * (width + 2 * self.pad) \
            + c_out * h_out * w_out
