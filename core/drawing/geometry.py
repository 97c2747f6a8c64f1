"""Where digits sit in a network's input image (Geometry), which preparation stages run (Stages),
and the error for a drawing with no ink. Shared by the stroke and bitmap paths."""
from dataclasses import dataclass, replace

from core.errors import DigitLabError

SUPERSAMPLE = 4          # render at 4x and area-downsample: anti-aliasing like MNIST's grey edges
INK_THRESHOLD = 0.2      # ink coverage above which a bitmap pixel counts as ink (cropping)
MARGIN = 8               # output pixels of room around the field while centring


class EmptyDrawing(DigitLabError):
    """There is no ink to classify (empty canvas, blank image)."""


@dataclass(frozen=True)
class Geometry:
    """How a dataset's digits sit in their images.

    out_shape: (H, W) of the network's input image. box: the ink's longer side in output
    pixels (anti-aliased edges included). stroke_width: pen width in output pixels.
    centre: 'mass' (centre of mass at ``target``) or 'box' (bounding-box centre at ``target``).
    target: (row, col) in index coordinates.
    """
    out_shape: tuple = (28, 28)
    box: float = 20.0
    stroke_width: float = 2.4
    centre: str = "mass"
    target: tuple = (14.0, 14.0)


MNIST = Geometry()
# scikit-learn's 8x8 digits: 32x32 NIST bitmaps, size-normalised to fill the box, then counted in
# 4x4 blocks (so strokes are about 2/3 of a pixel wide and blurred); centred by bounding box.
DIGITS_8X8 = Geometry(out_shape=(8, 8), box=8.0, stroke_width=1.0, centre="box", target=(3.5, 3.5))


def geometry_for(input_shape, box=None):
    """The Geometry for a model's metadata['input_shape'] ([28, 28], [8, 8], or any (H, W))."""
    shape = tuple(int(s) for s in input_shape)
    if len(shape) != 2 or min(shape) < 4:
        raise DigitLabError(f"cannot draw for input shape {list(input_shape)}: a 2-D image of at least 4x4 is needed")
    if shape == (8, 8):
        geometry = DIGITS_8X8
    elif shape == (28, 28):
        geometry = MNIST
    else:   # MNIST's proportions scaled to the new size
        factor = min(shape) / 28.0
        geometry = Geometry(shape, 20.0 * factor, max(1.0, 2.4 * factor), "mass", (shape[0] / 2, shape[1] / 2))
    return replace(geometry, box=float(box)) if box else geometry


@dataclass(frozen=True)
class Stages:
    """Which stages run; all on is the full pipeline."""
    crop: bool = True
    thickness: bool = True
    antialias: bool = True
    centre: bool = True

    @classmethod
    def names(cls):
        return ("crop", "thickness", "antialias", "centre")


FULL = Stages()


def resolve_geometry(geometry, out_shape, box):
    if geometry is None:
        geometry = geometry_for(out_shape or (28, 28))
    if out_shape is not None and tuple(out_shape) != tuple(geometry.out_shape):
        geometry = geometry_for(out_shape)
    return replace(geometry, box=float(box)) if box else geometry
