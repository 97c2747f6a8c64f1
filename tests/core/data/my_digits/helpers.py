"""Strokes and hostile files for the My digits tests (real PNG bytes, built by hand where Pillow
would have to allocate the pixels first)."""
import struct
import zlib

import numpy as np


def seven_strokes(shift=0.0):
    t = np.linspace(0, 1, 20)[:, None]
    top = np.array([40.0, 50.0]) + t * np.array([150.0, 0.0])
    stem = np.array([190.0, 50.0]) + t * np.array([-90.0, 180.0])
    return [np.vstack([top, stem]) + shift]


def zero_strokes():
    t = np.linspace(0, 2 * np.pi, 60)
    return [np.column_stack([140 + 50 * np.cos(t), 140 + 90 * np.sin(t)])]


def _chunk(tag, data):
    return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data) & 0xFFFFFFFF)


def blank_png(width, height):
    """A real, decodable white grey PNG of width x height, compressed row by row so that even
    13000x13000 costs a few MB here (Pillow would allocate every pixel to write it)."""
    compressor = zlib.compressobj(9)
    row = b"\x00" + b"\xff" * width        # filter byte 0, then white pixels
    body = b"".join(compressor.compress(row) for _ in range(height)) + compressor.flush()
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)   # 8-bit grey
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", body) + _chunk(b"IEND", b""))


def entry_json(digit_id, label=3, strokes=None):
    import json
    strokes = [[[0, 0], [10, 10]]] if strokes is None else strokes
    return json.dumps({"format": "digitlab-my-digit", "version": 1, "id": digit_id, "label": label,
                       "created": "2026-01-01T00:00:00", "strokes": strokes})
