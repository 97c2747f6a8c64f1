"""The PNG codec of My digits: prepared images (28x28, ink light on dark, like MNIST) and drawing
pictures (dark ink on white, for the gallery), as grey uint8 arrays.

A PNG names its size in its header (IHDR, bytes 16-24); that size is checked before Pillow
decodes anything, so a 13000x13000 picture or one over Pillow's pixel limit
(DecompressionBombError) is refused by name without allocating its pixels.
"""
import io
import struct

import numpy as np
from PIL import Image, UnidentifiedImageError

from core.data.my_digits.entry import IMAGE_SHAPE, MyDigitsError

SIGNATURE = b"\x89PNG\r\n\x1a\n"
HEADER_BYTES = 24             # signature, IHDR length and tag, width, height
MAX_DRAWING_SIDE = 1024       # render_drawing makes at most 512 px; a gallery thumbnail is 52 px


class ImageTooLarge(MyDigitsError):
    """A PNG's header names a size over the limit (its pixels were never decoded)."""


def png_bytes(pixels):
    """(H, W) uint8 grey -> PNG bytes."""
    buffer = io.BytesIO()
    Image.fromarray(np.asarray(pixels, dtype=np.uint8), mode="L").save(buffer, format="PNG")
    return buffer.getvalue()


def png_size(header, name):
    """(width, height) from a PNG's first HEADER_BYTES bytes; MyDigitsError if it is no PNG."""
    if len(header) < HEADER_BYTES or not header.startswith(SIGNATURE) or header[12:16] != b"IHDR":
        raise MyDigitsError(f"{name}: not a readable PNG image")
    return struct.unpack(">II", header[16:24])


def check_size(header, name, max_width, max_height, what):
    """MyDigitsError when the PNG in ``header`` is larger than max_width x max_height."""
    width, height = png_size(header, name)
    if width > max_width or height > max_height or width < 1 or height < 1:
        raise ImageTooLarge(f"{name}: the {what} is {width}x{height}, over the {max_width}x{max_height} limit")
    return width, height


def decode_grey(data, name):
    """PNG bytes (size already checked) -> (H, W) uint8 grey."""
    # the header check keeps sizes far below Pillow's bomb limit; the except is for a lying file
    try:
        with Image.open(io.BytesIO(data)) as image:
            image.load()
            return np.asarray(image.convert("L"), dtype=np.uint8)
    except (UnidentifiedImageError, OSError, ValueError, SyntaxError, Image.DecompressionBombError):
        raise MyDigitsError(f"{name}: not a readable PNG image") from None


def read_prepared_png(data, name):
    """PNG bytes -> (28, 28) uint8; MyDigitsError naming ``name`` when it is not such an image."""
    rows, cols = IMAGE_SHAPE
    check_size(data[:HEADER_BYTES], name, cols, rows, "prepared image")
    pixels = decode_grey(data, name)
    if pixels.shape != IMAGE_SHAPE:
        raise MyDigitsError(f"{name}: the prepared image is {pixels.shape[1]}x{pixels.shape[0]}, not 28x28")
    return pixels


def read_drawing_png(data, name):
    """PNG bytes -> (H, W) uint8 drawing, each side at most MAX_DRAWING_SIDE; MyDigitsError otherwise."""
    check_size(data[:HEADER_BYTES], name, MAX_DRAWING_SIDE, MAX_DRAWING_SIDE, "drawing")
    return decode_grey(data, name)
