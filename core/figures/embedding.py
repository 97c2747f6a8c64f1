"""The Map without a window: validation images placed in 2-D by what a hidden layer makes of
them (PCA, core.analysis.embedding), drawn as dots coloured by their digit.

For a film, each frame's PCA plane is turned (rotation or mirror, no stretch) to lie closest to
the previous frame's (an SVD may flip or swap its axes between two epochs, which would make the
cloud jump), and each frame is scaled to its own spread (the activations grow during training).
"""
import numpy as np
from PIL import Image, ImageDraw

from core.analysis.embedding import PcaMap, layer_features
from core.analysis.pictures import BACKGROUND, MUTED, TEXT, font

CLASS_COLOURS = ((31, 119, 180), (255, 127, 14), (44, 160, 44), (214, 39, 40), (148, 103, 189),
                 (140, 86, 75), (227, 119, 194), (127, 127, 127), (188, 189, 34), (23, 190, 207))


def map_points(network, x, layer, previous=None):
    """(n, 2) PCA points of hidden layer ``layer``'s activations for rows x (n, n_inputs),
    turned to lie as close as they can to ``previous`` (n, 2) when given."""
    points = PcaMap.fit(layer_features(network, x, layer)).points
    if previous is not None:
        # orthogonal Procrustes: the rotation (or reflection) of the plane that best lays these
        # points on the previous frame's, so the cloud turns only as much as training moved it
        u, _, vt = np.linalg.svd(points.T @ np.asarray(previous, np.float64))
        points = points @ (u @ vt)
    return points


def map_image(points, labels, class_names, title="", size=(560, 520)):
    """Dots (n, 2) coloured by labels (n,) (class indices), a legend of class_names; PIL image."""
    width, height = size
    legend_width = 90
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((8, 6), title, fill=TEXT, font=font(14))
    left, top, right, bottom = 10, 30, width - legend_width, height - 10
    points = np.asarray(points, np.float64)
    # the middle 99% of each axis fills the frame (a few far points would shrink the cloud);
    # the rest are left out and counted, never piled on the border
    low, high = np.percentile(points, 0.5, axis=0), np.percentile(points, 99.5, axis=0)
    span = np.where(high > low, high - low, 1.0)
    unit = 0.03 + 0.94 * (points - low) / span
    px = left + unit[:, 0] * (right - left)
    py = bottom - unit[:, 1] * (bottom - top)
    inside = np.all((unit >= 0) & (unit <= 1), axis=1)
    draw.rectangle([left, top, right, bottom], outline=MUTED)
    if not inside.all():
        draw.text((left + 4, bottom - 4), f"{int((~inside).sum())} far points not shown", fill=MUTED,
                  font=font(11), anchor="ld")
    for k in np.random.default_rng(0).permutation(len(points)):   # no class always on top
        if not inside[k]:
            continue
        colour = CLASS_COLOURS[int(labels[k]) % len(CLASS_COLOURS)]
        draw.ellipse([px[k] - 2.5, py[k] - 2.5, px[k] + 2.5, py[k] + 2.5], fill=colour)
    for c, name in enumerate(class_names):
        y = top + 4 + c * 20
        colour = CLASS_COLOURS[c % len(CLASS_COLOURS)]
        draw.ellipse([right + 18, y - 5, right + 28, y + 5], fill=colour)
        draw.text((right + 34, y), str(name), fill=TEXT, font=font(13), anchor="lm")
    return image
