"""A dense layer's weight gradient kept as its two factors, so an optimiser can fold it into its
update: one matrix product instead of a product, a gradient array and three passes over it.

The weight gradient of a dense layer is dW = x.T @ dy (x (n, n_in) the layer's input, dy
(n, n_out) the gradient of its output). Momentum needs v = mu * v - lr * dW, then W += v; plain
SGD needs W = W - lr * dW. Both are ``target = beta * target + alpha * x.T @ dy``, which is
exactly what one BLAS GEMM computes (C = alpha * op(A) @ op(B) + beta * C, scaling C as it
accumulates), so the gradient matrix is never written, read back or scaled on its own.

The numbers differ from the unfolded update only by float rounding (BLAS accumulates the
product into the target instead of rounding the gradient first).

Measured (784-128-10, batch 128, one BLAS thread, section timings inside the training step on
our busy 2-core machine, so noisy): the first layer's weight gradient plus its momentum update
took about 345 us unfolded (GEMM 205 + update 140: the 400 KB gradient, velocity and weight
arrays fall out of the cache between passes) and about 308 us folded; the whole step about 5-9%
less (min of interleaved blocks).

``materialise`` gives the ordinary gradient array (layer statistics, L2, Adam, the gradient
check use it); ``reference_fold`` is the same update written plainly, for the tests.
"""
import numpy as np
from scipy.linalg import blas

_GEMM = {np.dtype(np.float32): blas.sgemm, np.dtype(np.float64): blas.dgemm}


class ProductGradient:
    """dW = x.T @ dy, not multiplied out yet.

    x: (n, n_in) and dy: (n, n_out) arrays that stay untouched until the optimiser's step (the
    layer's input and output-gradient buffers); ``out``: the (n_in, n_out) gradient array that
    ``materialise`` fills. The shapes of a plain gradient, for code that only looks at them.
    """
    __slots__ = ("x", "dy", "out")

    def __init__(self, out):
        self.out = out
        self.x = self.dy = None

    @property
    def shape(self):
        return self.out.shape

    def set(self, x, dy):
        self.x, self.dy = x, dy
        return self

    def materialise(self):
        """The gradient x.T @ dy as an array (n_in, n_out) (``out``, overwritten)."""
        return np.dot(self.x.T, self.dy, out=self.out)

    def fold_into(self, target, alpha, beta):
        """target = beta * target + alpha * x.T @ dy, in place; target (n_in, n_out) C-ordered.

        One GEMM on transposed views, no copies: a C-ordered (n_in, n_out) array is the
        F-ordered (n_out, n_in) array BLAS sees, so it computes target.T = beta * target.T +
        alpha * dy.T @ x (dy.T and x.T are F-ordered views of the C-ordered buffers). Arrays
        BLAS cannot take as they are fall back to the plain formula.
        """
        gemm = _GEMM.get(target.dtype)
        x, dy = self.x, self.dy
        if (gemm is None or x.dtype != target.dtype or dy.dtype != target.dtype or not target.flags.c_contiguous
                or not x.flags.c_contiguous or not dy.flags.c_contiguous):
            return reference_fold(target, self.materialise(), alpha, beta)
        if beta != 1.0:
            # Scaled here, not by BLAS: scipy's bundled OpenBLAS (0.3.30 here) scales C by a beta
            # other than 0 or 1 in a slow separate kernel (an sgemm with beta 0.9 took 12-20%
            # longer than with beta 1, more than this multiply; scratch timing, 784 x 128).
            np.multiply(target, beta, out=target)
        target_t = target.T
        result = gemm(alpha, dy.T, x.T, beta=1.0, c=target_t, trans_b=1, overwrite_c=1)
        if result is not target_t:   # scipy hands back the array it was given unless it had to copy
            np.copyto(target, result.T)
        return target


def reference_fold(target, gradient, alpha, beta):
    """The same update written plainly: target = beta * target + alpha * gradient."""
    target *= beta
    target += alpha * gradient
    return target


def as_array(gradient):
    """A gradient list entry as an array (ProductGradient materialised, arrays as they are)."""
    return gradient.materialise() if isinstance(gradient, ProductGradient) else gradient
