"""Bad files, made by hand: PNGs (plain, bombs), IDX folders, models with edited metadata, My
digits zips. Only NumPy, Pillow and the standard library: nothing of DigitLab's own code."""
import gzip
import io
import json
import struct
import zipfile
import zlib
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

IDX_NAMES = {"train_images": "train-images-idx3-ubyte", "train_labels": "train-labels-idx1-ubyte",
             "test_images": "t10k-images-idx3-ubyte", "test_labels": "t10k-labels-idx1-ubyte"}


# ----- images -------------------------------------------------------------------------------
def seven_png(path, size=100):
    """A dark-on-light 7 drawn with a thick pen, as a user's scan would look."""
    image = Image.new("L", (size, size), 255)
    ImageDraw.Draw(image).line([(0.2 * size, 0.15 * size), (0.8 * size, 0.15 * size), (0.4 * size, 0.9 * size)],
                               fill=0, width=max(1, size // 11))
    image.save(path)
    return path


def png_bytes(pixels):
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def flat_png(width, height, value=0):
    """A grey PNG of any size written row by row (never held in memory whole): a 14000x14000
    one is about 190 kB, past Pillow's decompression-bomb limit when opened."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    compressor = zlib.compressobj(9)
    row = b"\x00" + bytes([value]) * width
    idat = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")


def png_size(data):
    """(width, height) from a PNG's header, without decoding it."""
    return struct.unpack(">II", data[16:24])


# ----- IDX ----------------------------------------------------------------------------------
def read_idx_gz(path, count):
    """The first `count` items of a (gzip) IDX file, as uint8."""
    with gzip.open(path, "rb") as handle:
        magic = handle.read(4)
        dims = struct.unpack(">" + "I" * magic[3], handle.read(4 * magic[3]))
        item = int(np.prod(dims[1:])) if len(dims) > 1 else 1
        data = np.frombuffer(handle.read(count * item), dtype=np.uint8)
    return data.reshape((count, *dims[1:]))


def idx_bytes(array, magic=None):
    array = np.ascontiguousarray(array, dtype=np.uint8)
    magic = magic if magic is not None else bytes([0, 0, 0x08, array.ndim])
    return magic + struct.pack(">" + "I" * array.ndim, *array.shape) + array.tobytes()


def small_mnist(folder, mnist_dir, n_train=600, n_test=200):
    """An MNIST-layout folder of plain IDX files with the first images of the real MNIST:
    {kind: path}. Small enough to damage and train on in a second."""
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    paths = {}
    for kind, name in IDX_NAMES.items():
        count = n_train if kind.startswith("train") else n_test
        array = read_idx_gz(Path(mnist_dir) / f"{name}.gz", count)
        paths[kind] = folder / name
        paths[kind].write_bytes(idx_bytes(array))
    return paths


# ----- models -------------------------------------------------------------------------------
def load_model(path):
    """(arrays {name: array}, metadata dict) of a DigitLab .npz (no pickles)."""
    with np.load(path, allow_pickle=False) as archive:
        arrays = {name: archive[name] for name in archive.files}
    metadata = json.loads(str(arrays.pop("metadata")))
    return arrays, metadata


def write_model(path, arrays, metadata):
    """An .npz with these arrays and this metadata (metadata=None: none at all)."""
    payload = dict(arrays)
    if metadata is not None:
        payload["metadata"] = np.array(metadata if isinstance(metadata, str) else json.dumps(metadata))
    with open(path, "wb") as handle:
        np.savez(handle, **payload)
    return path


def edited_model(source, target, edit):
    """Copy a model, letting edit(arrays, metadata) change it in place."""
    arrays, metadata = load_model(source)
    edit(arrays, metadata)
    return write_model(target, arrays, metadata)


# ----- My digits zips -----------------------------------------------------------------------
def digit_id(n, letter):
    """A valid My digits id that sorts by n: 20200101T000000-aaaaa1, ..."""
    return f"20200101T0000{n:02d}-{letter * 5}{n % 10}"


def digit_entry_json(entry_id, label=3):
    record = {"format": "digitlab-my-digit", "version": 1, "id": entry_id, "label": label,
              "created": "2020-01-01T00:00:00", "strokes": [[[30.0, 30.0], [60.0, 40.0], [45.0, 90.0]]]}
    return json.dumps(record).encode("utf-8")


def good_digit_files(entry_id, label=3):
    """{file name: bytes} of one healthy kept digit, as an export writes it."""
    prepared = np.zeros((28, 28), np.uint8)
    prepared[6:22, 12:16] = 255
    drawing = np.full((120, 120), 255, np.uint8)
    drawing[20:100, 50:70] = 0
    return {f"{entry_id}.json": digit_entry_json(entry_id, label),
            f"{entry_id}.prepared.png": png_bytes(prepared),
            f"{entry_id}.drawing.png": png_bytes(drawing)}


def my_digits_zip(path, members):
    """A zip with these members {name inside the zip: bytes}, in order; names used as given."""
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return path
