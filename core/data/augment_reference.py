"""The readable references of core.data.augment's fast paths, written with scipy.ndimage one
call (or one image) at a time; the tests hold the fast paths to them within one grey level."""
import numpy as np
from scipy import ndimage

from core.data.augment import source_coordinates


def resample_reference(images, rows, cols):
    """The readable reference for bilinear_sample: one map_coordinates call over the batch
    (the image index is the first, integer, coordinate, so images never mix)."""
    index = np.broadcast_to(np.arange(len(images), dtype=np.float32)[:, None, None], rows.shape)
    return ndimage.map_coordinates(images, np.stack([index, rows, cols]), order=1, mode="grid-constant",
                                   cval=0.0, prefilter=False)


def change_thickness_reference(images, amounts):
    """change_thickness with scipy's grey morphology, one image at a time."""
    cross = ndimage.generate_binary_structure(2, 1)
    out = np.empty_like(images)
    for i, (image, amount) in enumerate(zip(images, amounts)):
        morph = ndimage.grey_dilation if amount > 0 else ndimage.grey_erosion
        out[i] = image + abs(amount) * (morph(image, footprint=cross) - image)
    return out


def apply_reference(images, params):
    """``apply`` built from the readable references: scipy grey morphology per image, then
    one map_coordinates over the batch. The tests check that the fast path matches it."""
    out = images.astype(np.float32)
    if params.thickness is not None:
        out = change_thickness_reference(out, params.thickness)
    out = resample_reference(out, *source_coordinates(params, images.shape[1:]))
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def apply_affine_reference(images, params):
    """The affine part alone, one image at a time with ndimage.affine_transform: a check that
    source_coordinates inverts the matrices and shifts the right way round."""
    out = np.empty_like(images)
    h, w = images.shape[1:]
    centre = np.array([(h - 1) / 2.0, (w - 1) / 2.0])
    for i, image in enumerate(images.astype(np.float32)):
        inverse = np.linalg.inv(params.matrix[i])
        # output o reads input inverse @ (o - centre - shift) + centre = inverse @ o + offset
        offset = centre - inverse @ (centre + params.shift[i])
        moved = ndimage.affine_transform(image, inverse, offset=offset, order=1, mode="grid-constant", cval=0.0,
                                         prefilter=False)
        out[i] = np.clip(np.rint(moved), 0, 255).astype(np.uint8)
    return out
