"""Will it fit? The memory a network needs to train, estimated from its layer stack before any
array is allocated, and the memory this process can still get.

A stack such as dense99999999,dense10 on 28x28 images asks for 78 G weights: NumPy would raise
MemoryError (or the system would start swapping) part-way through building it. Estimating first
lets the CLI and the app refuse with one sentence that says how much it would need.

    needed = training_bytes(specs, (28, 28, 1), batch_size=128, slots=2)
    check_fits(needed, "training dense99999999,dense10")      # ConfigError if it cannot fit

The estimate counts what the mini-batch loop keeps at once, per parameter: the weight, its
gradient, the optimiser's state slots (momentum 1, Adam 2) and one copy (the snapshot the app
draws from); the float64 draw of the largest layer's initial weights; per image of a batch:
every layer's output, kept for backward, and its delta, plus a conv layer's im2col columns
(H_out * W_out * C_in * k * k values) and their gradient. It errs high by design: a set-up near
the limit would thrash anyway.
"""
import os

try:
    import resource           # Unix: the address-space limit (ulimit -v)
except ImportError:
    resource = None

import numpy as np

from core.errors import ConfigError
from core.nn.layer_spec import describe_stack

GIB = 1024 ** 3


def training_bytes(specs, input_shape, batch_size, itemsize=4, slots=2):
    """Bytes to train ``specs`` on images of input_shape (H, W[, C]) with batches of batch_size
    float values of ``itemsize`` bytes and ``slots`` optimiser arrays per parameter.
    Raises ConfigError (describe_stack's) for a stack that does not fit the images."""
    rows = describe_stack(specs, input_shape)
    n_params = sum(row.n_params for row in rows)
    per_image = int(np.prod(input_shape))                  # the batch's input
    shape = tuple(input_shape) if len(tuple(input_shape)) == 3 else (*tuple(input_shape)[:2], 1)
    for row in rows:
        values = int(np.prod(row.output_shape))
        per_image += 2 * values                            # the output kept for backward, its delta
        if row.spec.kind == "conv":                         # im2col columns and their gradient
            taps = shape[-1] * row.spec.kernel * row.spec.kernel
            per_image += 2 * values // row.spec.size * taps
        shape = row.output_shape
    largest = max(row.n_params for row in rows)
    return (n_params * itemsize * (3 + slots)               # weights, gradients, slots, one copy
            + largest * 8                                   # the float64 draw of initial weights
            + batch_size * per_image * itemsize)


def available_bytes():
    """Memory this process can still get: the system's available memory (Linux MemAvailable,
    else free pages, else all physical memory), and no more than an address-space limit
    (ulimit -v) leaves beside what the process already maps."""
    available = _meminfo_available()
    if available is None:
        try:
            pages = os.sysconf("SC_AVPHYS_PAGES") if hasattr(os, "sysconf") else None
            available = pages * os.sysconf("SC_PAGE_SIZE") if pages else None
        except (OSError, ValueError):
            available = None
    limit = resource.getrlimit(resource.RLIMIT_AS)[0] if resource is not None else None
    if limit is not None and limit != resource.RLIM_INFINITY:
        left = max(0, limit - _mapped_bytes())
        available = left if available is None else min(available, left)
    return available


def _meminfo_available():
    try:
        with open("/proc/meminfo") as file:
            for line in file:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return None


def _mapped_bytes():
    """This process's virtual size (VmSize), 0 where /proc is not there."""
    try:
        with open("/proc/self/status") as file:
            for line in file:
                if line.startswith("VmSize:"):
                    return int(line.split()[1]) * 1024
    except (OSError, ValueError, IndexError):
        pass
    return 0


def format_bytes(n):
    """1536 -> '1.5 KB'; 5.2e10 -> '48.4 GB' (binary units, as the system monitor shows them)."""
    for unit, size in (("TB", 1024 ** 4), ("GB", GIB), ("MB", 1024 ** 2), ("KB", 1024)):
        if n >= size:
            return f"{n / size:,.1f} {unit}"
    return f"{int(n)} bytes"


def check_fits(needed, what, hint="use fewer units or filters, or smaller images"):
    """ConfigError when ``needed`` bytes exceed what this process can still get (unknown: pass)."""
    available = available_bytes()
    if available is not None and needed > available:
        raise ConfigError(f"{what} would need about {format_bytes(needed)} of memory, but only "
                          f"{format_bytes(available)} is available; {hint}")
