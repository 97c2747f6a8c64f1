"""The last stage of both paths: put the ink's centre (of mass, or of its bounding box) on the
geometry's target and area-downsample the supersampled field to the output image."""
import numpy as np
from scipy import ndimage

from core.drawing.geometry import EmptyDrawing


def place_and_downsample(field, k, geometry, stages):
    """Crop the out_shape window from a rendered field (margins included, k x resolution) so the
    ink's centre (of mass, or of its bounding box) lands on geometry.target; area-downsample."""
    out_h, out_w = geometry.out_shape
    if not field.any():
        raise EmptyDrawing("the drawing has no visible ink")
    if stages.centre and geometry.centre == "mass":
        centre = np.array(ndimage.center_of_mass(field))
    else:
        rows = np.flatnonzero(field.max(axis=1) > 0)
        cols = np.flatnonzero(field.max(axis=0) > 0)
        centre = np.array([(rows[0] + rows[-1]) / 2.0, (cols[0] + cols[-1]) / 2.0])
    if not stages.crop and not stages.centre:   # leave the drawing where it was on the canvas
        centre = np.array(field.shape) / 2.0 - 0.5 - (np.array(geometry.target) - np.array(geometry.out_shape) / 2.0) * k
    # output index coordinate c <-> supersampled coordinate c * k + (k - 1) / 2
    target = np.array(geometry.target) * k + (k - 1) / 2.0
    top, left = (int(v) for v in np.round(centre - target))
    window = np.zeros((out_h * k, out_w * k), np.float32)
    src_top, src_left = max(top, 0), max(left, 0)
    src_bottom, src_right = min(top + out_h * k, field.shape[0]), min(left + out_w * k, field.shape[1])
    if src_bottom > src_top and src_right > src_left:
        window[src_top - top:src_bottom - top, src_left - left:src_right - left] = field[src_top:src_bottom, src_left:src_right]
    image = window.reshape(out_h, k, out_w, k).mean(axis=(1, 3)) if k > 1 else window
    return np.clip(image, 0.0, 1.0).astype(np.float32)
