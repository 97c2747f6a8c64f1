"""Stroke width of an ink image: measure it, and thin or thicken toward a target width."""
import numpy as np
from scipy import ndimage


def estimate_stroke_width(ink):
    """Mean stroke width in pixels of an ink image: twice the mean distance to the background
    along the stroke's ridge (the local maxima of the distance transform)."""
    mask = ink > 0.5
    if not mask.any():
        return 0.0
    distance = ndimage.distance_transform_edt(mask)
    ridge = mask & (distance >= ndimage.maximum_filter(distance, size=3))
    return float(2.0 * np.mean(distance[ridge]) - 1.0)   # a 1-pixel line: ridge distance 1 -> width 1


def set_stroke_width(ink, width):
    """Thin or thicken the strokes of an ink image toward ``width`` pixels (signed distance
    field: coverage = clip(sdf - shift + 0.5)); the result is soft-edged."""
    current = estimate_stroke_width(ink)
    if current <= 0:
        return ink
    shift = (current - width) / 2.0   # > 0: erode, < 0: dilate
    shift = min(shift, 0.4 * current)   # never erode thin parts away entirely
    mask = ink > 0.5
    sdf = ndimage.distance_transform_edt(mask) - ndimage.distance_transform_edt(~mask)
    sdf = np.where(mask, sdf - 0.5, sdf + 0.5)   # distance to the boundary, in pixel units
    return np.clip(sdf - shift + 0.5, 0.0, 1.0).astype(np.float32)
