"""What one image becomes in every layer (core.analysis.feature_maps), as one PIL picture: the
input, then each stage's maps as a grid of small images (dark 0, bright the stage's largest
value; a stage with negative values on the blue-white-red scale), hidden dense layers as a strip
of unit cells, the output as bars of the probabilities.
"""
import math

import numpy as np

from core.analysis.feature_maps import feature_stages
from core.analysis.pictures import bar_chart, column, diverging, enlarge, gray, labelled, row, tile


def stage_limits(stages):
    """{stage name: largest |value|} (a film passes the last frame's, so maps fade in)."""
    return {stage.name: float(np.abs(stage.values).max()) or 1.0 for stage in stages}


def _colour(values, limit):
    values = np.asarray(values, np.float64)
    if values.min() < 0:
        return diverging(values, limit)
    return gray(values / limit)


def _maps_picture(stage, limit, height):
    maps = stage.values
    rgb = np.stack([_colour(m, limit) for m in maps])
    columns = max(1, math.ceil(math.sqrt(len(maps))))
    return enlarge(tile(rgb, columns), height)


def _units_picture(stage, limit, height):
    values = np.asarray(stage.values, np.float64)
    columns = max(1, math.ceil(math.sqrt(len(values))))
    padded = np.full(columns * math.ceil(len(values) / columns), np.nan)
    padded[:len(values)] = values
    grid = padded.reshape(-1, columns)
    rgb = _colour(np.nan_to_num(grid), limit)
    rgb[np.isnan(grid)] = (225, 225, 225)
    return enlarge(rgb, height)


def feature_maps_image(network, x, image01, class_names, limits=None, height=150):
    """network: a Network; x: (1, n_inputs) the image as the network reads it; image01: (H, W)
    the same image in [0, 1] for the input tile; class_names: (n_classes,) labels of the output
    bars; limits: {stage name: value shown brightest} (default: each stage's own largest).
    Returns one PIL image: the input and every stage left to right."""
    stages = feature_stages(network, x)
    limits = dict(stage_limits(stages), **(limits or {}))
    parts = [labelled(enlarge(gray(image01), height), "input")]
    for stage in stages:
        if stage.kind == "maps":
            picture = _maps_picture(stage, limits[stage.name], height)
        elif stage is stages[-1]:
            names = list(class_names) if len(class_names) == len(stage.values) else range(len(stage.values))
            picture = bar_chart(stage.values, names, size=(max(220, 26 * len(stage.values)), height),
                                title="", highlight=int(np.argmax(stage.values)))
        else:
            picture = _units_picture(stage, limits[stage.name], height)
        parts.append(labelled(picture, stage.title))
    if sum(p.width for p in parts) > 1400:   # wide networks: two rows
        half = math.ceil(len(parts) / 2)
        return column([row(parts[:half]), row(parts[half:])], margin=0)
    return row(parts)
