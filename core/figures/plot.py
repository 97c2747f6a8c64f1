"""A small line plot drawn with Pillow: axes, nice ticks, a legend (the curves without Qt).

    panel = line_panel([Series("train", xs, ys, colour), ...], x_range=(1, 10), y_range=(0, 1),
                       title="Accuracy", size=(440, 300))

Curves have the app's colours and markers (core.figures.curve_colours; gui/views/plots.py): train
orange circles, validation green squares, test purple triangles.
"""
import math
from dataclasses import dataclass

import numpy as np
from PIL import Image, ImageDraw

from core.analysis.pictures import BACKGROUND, MUTED, TEXT, font
from core.figures.curve_colours import TEST_COLOUR, TRAIN_COLOUR, VAL_COLOUR  # noqa: F401 (the roles, here too)

GRID = (232, 232, 232)
MARKER_RADIUS = 3.0   # px


@dataclass
class Series:
    label: str
    xs: list            # (n,) x values (epochs)
    ys: list            # (n,) y values; None or NaN is a gap
    colour: tuple
    marker: str = "o"   # at each point: "o" circle, "s" square, "t" triangle (the app's symbols)


def draw_marker(draw, x, y, marker, colour, r=MARKER_RADIUS):
    if marker == "s":
        draw.rectangle([x - r, y - r, x + r, y + r], fill=colour)
    elif marker == "t":
        draw.polygon([(x, y - 1.2 * r), (x - 1.2 * r, y + r), (x + 1.2 * r, y + r)], fill=colour)
    else:
        draw.ellipse([x - r, y - r, x + r, y + r], fill=colour)


def nice_ticks(low, high, count=5):
    """About ``count`` round tick values covering [low, high] (1, 2 or 5 times a power of ten)."""
    span = high - low
    if not math.isfinite(span) or span <= 0:
        return [low]
    raw = span / max(count, 1)
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    first = math.ceil(low / step - 1e-9) * step
    return [round(first + k * step, 10) for k in range(int((high - first) / step + 1e-9) + 1)]


def tick_text(value):
    return f"{value:.6g}" if abs(value) >= 1e-3 or value == 0 else f"{value:.1e}"


def line_panel(series, x_range, y_range, title, size=(440, 300), x_label="epoch", whole_x=True):
    """A PIL image: the series as lines with dots over [x_range] x [y_range], ticks, a legend.
    whole_x: x ticks only at whole numbers (epochs); False for an x in [0, 1] (a confidence)."""
    width, height = size
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    left, right, top, bottom = 52, width - 12, 28, height - 40
    draw.text((left, 6), title, fill=TEXT, font=font(15))
    (x0, x1), (y0, y1) = x_range, y_range
    x1 = x1 if x1 > x0 else x0 + 1
    y1 = y1 if y1 > y0 else y0 + 1

    def to_px(x, y):
        return (left + (x - x0) / (x1 - x0) * (right - left), bottom - (y - y0) / (y1 - y0) * (bottom - top))

    for y in nice_ticks(y0, y1):
        _, py = to_px(x0, y)
        draw.line([left, py, right, py], fill=GRID)
        draw.text((left - 5, py), tick_text(y), fill=MUTED, font=font(11), anchor="rm")
    x_ticks = [x for x in nice_ticks(x0, x1, 6) if not whole_x or float(x).is_integer()] or [x0]
    for x in x_ticks:
        px, _ = to_px(x, y0)
        draw.line([px, bottom, px, bottom + 4], fill=MUTED)
        draw.text((px, bottom + 6), f"{x:g}", fill=MUTED, font=font(11), anchor="ma")
    draw.rectangle([left, top, right, bottom], outline=MUTED)
    draw.text(((left + right) / 2, height - 4), x_label, fill=MUTED, font=font(12), anchor="md")
    legend_x = right
    for item in reversed(series):
        label_width = draw.textlength(item.label, font=font(12))
        legend_x -= label_width + 26
        draw.line([legend_x, 14, legend_x + 16, 14], fill=item.colour, width=3)
        draw_marker(draw, legend_x + 8, 14, item.marker, item.colour)
        draw.text((legend_x + 20, 14), item.label, fill=TEXT, font=font(12), anchor="lm")
    for item in series:
        points = [to_px(x, y) for x, y in zip(item.xs, item.ys)
                  if y is not None and np.isfinite(y) and y0 <= y <= y1 * 1.5]
        if len(points) > 1:
            draw.line(points, fill=item.colour, width=2, joint="curve")
        for px, py in points:
            draw_marker(draw, px, py, item.marker, item.colour)
    return image
