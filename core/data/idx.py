"""Read and write IDX files, the format MNIST (and Fashion-MNIST, KMNIST, EMNIST) ships in.

An IDX file is a 4-byte magic number, one big-endian uint32 size per dimension, then the data
in C order, big-endian::

    byte 0-1   0x00 0x00
    byte 2     dtype code (see IDX_DTYPES)
    byte 3     number of dimensions, d
    4*d bytes  the sizes, big-endian uint32
    ...        prod(sizes) items, big-endian

Files may be gzip-compressed. Whether a file is gzip is decided by its first two bytes
(1f 8b), not by its name, because renamed and half-decompressed downloads are common.

Every problem raises ``core.errors.DatasetError`` with a message that names the file, since
the CLI and the GUI show that message to the user as is.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path

import numpy as np

from core.storage.atomic import atomic_write

from core.errors import DatasetError

# IDX dtype code -> big-endian NumPy dtype.
IDX_DTYPES: dict[int, np.dtype] = {
    0x08: np.dtype(">u1"),  # unsigned byte
    0x09: np.dtype(">i1"),  # signed byte
    0x0B: np.dtype(">i2"),  # short
    0x0C: np.dtype(">i4"),  # int
    0x0D: np.dtype(">f4"),  # float
    0x0E: np.dtype(">f8"),  # double
}
# Native-order dtype (e.g. '<i2' on x86) -> IDX dtype code, for writing.
_CODE_FOR_DTYPE: dict[np.dtype, int] = {dt.newbyteorder("="): code for code, dt in IDX_DTYPES.items()}

GZIP_MAGIC = b"\x1f\x8b"
_HEADER_SIZE = 4
_MAX_DIMS = 255  # the dimension count is a single byte


def read_idx(path: str | os.PathLike) -> np.ndarray:
    """Read one IDX file (plain or gzip) into a native-byte-order, writable array.

    Returns an array whose shape is the sizes stored in the file, e.g. (n, 28, 28) uint8 for
    MNIST images and (n,) uint8 for labels. Raises DatasetError for a missing or unreadable
    file, corrupt gzip, bad magic number, unknown dtype code, truncated header or data, and
    bytes left over after the data.
    """
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise DatasetError(f"{path}: file not found") from None
    except IsADirectoryError:
        raise DatasetError(f"{path}: is a folder, expected an IDX file") from None
    except OSError as exc:
        raise DatasetError(f"{path}: cannot read file ({exc.strerror or exc})") from None

    if raw[:2] == GZIP_MAGIC:
        try:
            raw = gzip.decompress(raw)
        except (OSError, EOFError, zlib.error) as exc:
            # BadGzipFile (an OSError) covers bad headers and CRC errors; EOFError a cut file.
            raise DatasetError(f"{path}: corrupt gzip data ({exc})") from None
    return parse_idx_bytes(raw, str(path))


def parse_idx_bytes(raw: bytes, file_label: str = "<bytes>") -> np.ndarray:
    """Decode the uncompressed bytes of an IDX file. ``file_label`` names it in error messages."""
    if len(raw) < _HEADER_SIZE:
        raise DatasetError(
            f"{file_label}: truncated header ({len(raw)} bytes, an IDX file starts with 4 magic bytes)"
        )
    zero1, zero2, dtype_code, n_dims = raw[0], raw[1], raw[2], raw[3]
    if zero1 != 0 or zero2 != 0:
        raise DatasetError(
            f"{file_label}: bad magic number 0x{raw[:4].hex()} (an IDX file starts with two zero bytes); "
            "not an IDX file"
        )
    if dtype_code not in IDX_DTYPES:
        known = ", ".join(f"0x{c:02X}" for c in IDX_DTYPES)
        raise DatasetError(
            f"{file_label}: bad magic number 0x{raw[:4].hex()}: unsupported dtype code 0x{dtype_code:02X} "
            f"(known: {known})"
        )
    if n_dims == 0:
        raise DatasetError(f"{file_label}: dimension count is 0 (expected at least 1)")

    sizes_end = _HEADER_SIZE + 4 * n_dims
    if len(raw) < sizes_end:
        raise DatasetError(
            f"{file_label}: truncated header: {n_dims} dimension sizes need {sizes_end} bytes, "
            f"file has {len(raw)}"
        )
    shape = tuple(int(s) for s in np.frombuffer(raw, dtype=">u4", count=n_dims, offset=_HEADER_SIZE))

    dtype = IDX_DTYPES[dtype_code]
    # Python ints: a corrupt header can claim more items than fit in int64.
    n_items = 1
    for size in shape:
        n_items *= size
    expected_bytes = n_items * dtype.itemsize
    actual_bytes = len(raw) - sizes_end
    if actual_bytes < expected_bytes:
        raise DatasetError(
            f"{file_label}: truncated data: shape {shape} of {dtype.name} needs {expected_bytes} bytes "
            f"after the header, file has {actual_bytes}"
        )
    if actual_bytes > expected_bytes:
        raise DatasetError(
            f"{file_label}: {actual_bytes - expected_bytes} trailing bytes after the data "
            f"(shape {shape} of {dtype.name} needs {expected_bytes} bytes); sizes in the header are wrong "
            "or the file is damaged"
        )
    data = np.frombuffer(raw, dtype=dtype, count=n_items, offset=sizes_end).reshape(shape)
    # astype copies: the result is writable, native-endian and does not pin ``raw``.
    return data.astype(dtype.newbyteorder("="))


def write_idx(path: str | os.PathLike, array: np.ndarray) -> None:
    """Write ``array`` (any shape with at least one dimension) as an IDX file, atomically.

    Supported dtypes: uint8, int8, int16, int32, float32, float64. A name ending in ``.gz``
    gets gzip compression. The file appears complete or not at all (temp file + os.replace).
    """
    path = Path(path)
    array = np.asarray(array)
    native = array.dtype.newbyteorder("=")
    if native not in _CODE_FOR_DTYPE:
        names = ", ".join(dt.name for dt in _CODE_FOR_DTYPE)
        raise DatasetError(f"{path}: cannot write dtype {array.dtype} as IDX (supported: {names})")
    if not 1 <= array.ndim <= _MAX_DIMS:
        raise DatasetError(f"{path}: cannot write a {array.ndim}-D array as IDX (1 to {_MAX_DIMS} dimensions)")
    if any(size >= 2**32 for size in array.shape):
        raise DatasetError(f"{path}: a dimension of shape {array.shape} does not fit in 32 bits")

    header = bytes([0, 0, _CODE_FOR_DTYPE[native], array.ndim])
    header += np.asarray(array.shape, dtype=">u4").tobytes()
    body = np.ascontiguousarray(array, dtype=native.newbyteorder(">")).tobytes()

    with atomic_write(path) as out:
        if path.suffix == ".gz":
            # mtime=0 and the plain name keep the output byte-identical across runs.
            with gzip.GzipFile(filename=path.stem, mode="wb", fileobj=out, mtime=0, compresslevel=6) as gz:
                gz.write(header)
                gz.write(body)
        else:
            out.write(header)
            out.write(body)


