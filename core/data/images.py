"""Read image files (PNG, JPEG, BMP, ... any size) as grey (H, W) uint8 arrays with Pillow.

Transparency is composited on white (a digit drawn on a transparent background in a paint
program is dark ink on paper). Anything Pillow cannot decode becomes ImageFileError with the
file name and the reason, never a traceback.
"""
import os

import numpy as np
from PIL import Image, UnidentifiedImageError

from core.errors import DigitLabError

MAX_PIXELS = 50_000_000   # refuse absurd images (decompression bombs) with a clear message


class ImageFileError(DigitLabError):
    """An image file is missing, unreadable, truncated or not an image."""


def read_gray(path):
    """(H, W) uint8 grey image from an image file; ImageFileError if it cannot be read."""
    name = os.fspath(path)
    try:
        with Image.open(name) as image:
            if image.width * image.height > MAX_PIXELS:
                raise ImageFileError(f"{name}: image too large ({image.width}x{image.height} pixels)")
            image.load()   # decode now: a truncated file fails here, not later
            return to_gray(image)
    except FileNotFoundError:
        raise ImageFileError(f"{name}: no such file") from None
    except IsADirectoryError:
        raise ImageFileError(f"{name}: is a folder, not an image") from None
    except UnidentifiedImageError:
        raise ImageFileError(f"{name}: not an image Pillow can read (unknown or damaged format)") from None
    except (OSError, ValueError, SyntaxError, Image.DecompressionBombError) as error:
        raise ImageFileError(f"{name}: cannot decode the image (truncated or damaged: {error})") from None


def to_gray(image):
    """A Pillow image in any mode -> (H, W) uint8, alpha composited on white."""
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        image = Image.alpha_composite(white, rgba)
    if image.mode in ("I", "I;16", "I;16B", "I;16L", "F"):   # 16-bit / float greys: rescale to 0..255
        values = np.asarray(image, dtype=np.float64)
        low, high = float(values.min()), float(values.max())
        scaled = (values - low) * (255.0 / (high - low)) if high > low else np.zeros_like(values)
        return np.clip(np.rint(scaled), 0, 255).astype(np.uint8)
    return np.asarray(image.convert("L"), dtype=np.uint8).copy()
