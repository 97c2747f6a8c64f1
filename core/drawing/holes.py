"""Holes of a digit: background regions enclosed by ink (the loops of 0, 6, 8, 9 and a closed 4).

A hole is a connected component of the background (pixels at or below ``threshold``, joined
4-connected, so that ink touching diagonally closes a loop as it does to the eye) that does not
touch the image border. Stroke-thickness normalisation must not change how many a digit has.
"""
import numpy as np
from scipy import ndimage

FOUR_CONNECTED = ndimage.generate_binary_structure(2, 1)


def hole_areas(image, threshold=0.5):
    """Areas in pixels of the holes of an (H, W) ink image in [0, 1] (ink high), largest first."""
    background = np.asarray(image) <= threshold
    labels, n = ndimage.label(background, structure=FOUR_CONNECTED)
    if n == 0:
        return np.zeros(0, np.int64)
    touching = np.unique(np.concatenate([labels[0], labels[-1], labels[:, 0], labels[:, -1]]))
    areas = np.bincount(labels.ravel(), minlength=n + 1)
    inside = np.setdiff1d(np.arange(1, n + 1), touching)
    return np.sort(areas[inside])[::-1]


def count_holes(image, threshold=0.5, min_area=1):
    """How many holes of at least ``min_area`` pixels an (H, W) ink image has."""
    return int(np.count_nonzero(hole_areas(image, threshold) >= min_area))


MIN_WIDTH_FRACTION = 0.5   # thinnest pen: half the target (MNIST's 5th percentile of stroke width)
WIDTH_STEPS = (0.75,)      # tried between the target and the thinnest, thickest first (each is a render)
MIN_HOLE_AREA = 2          # output pixels: a 1-pixel gap where strokes cross is no loop anyone drew


def thickest_keeping_holes(render, width, min_width=None, most_holes=None):
    """The image ``render(w)`` at the largest stroke width w <= ``width`` that keeps every hole
    the thinnest allowed width (``min_width``, default half the target) shows.

    Why: a pen (or a dilation) that is thick relative to a small loop fills it, and a 9 whose
    loop is filled reads as 1 or 7, a narrow 8 as 1. MNIST itself has thin strokes (its stroke
    width runs from about 1 to 3.3 pixels, 5th to 95th percentile), so a thinner pen on a digit
    with small loops is still MNIST-like, while a filled loop is not.

    most_holes, when given, is a cheap upper bound on the holes any width can show (e.g. from a
    one-pixel binary rendering): when the target image already has that many, the thinnest
    render is skipped. Without it, every drawing costs one extra render.
    """
    min_width = MIN_WIDTH_FRACTION * width if min_width is None else min_width
    image = render(width)
    if min_width >= width:
        return image
    have = count_holes(image, min_area=MIN_HOLE_AREA)
    if most_holes is not None and have >= most_holes:
        return image
    thinnest = render(min_width)
    wanted = count_holes(thinnest, min_area=MIN_HOLE_AREA)
    if have >= wanted:
        return image
    for factor in WIDTH_STEPS:
        if width * factor <= min_width:
            break
        image = render(width * factor)
        if count_holes(image, min_area=MIN_HOLE_AREA) >= wanted:
            return image
    return thinnest
