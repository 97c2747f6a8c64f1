"""Pillow pictures for the command line (explain, neuron): colour maps, image grids, bar charts,
and the two composed pages (an evidence sheet, a neuron card), written atomically as PNG.

Colours: signed values use a blue-white-red scale symmetric around 0 (red = positive), so
white always means "no effect"; NaN cells (gaps) are light grey.
"""
import io
import textwrap

import numpy as np
from PIL import Image, ImageDraw, ImageFont

from core.storage.atomic import atomic_write

BACKGROUND = (255, 255, 255)
TEXT = (30, 30, 30)
MUTED = (110, 110, 110)
GAP = (225, 225, 225)
RED, BLUE = np.array([200, 30, 40]), np.array([30, 80, 200])


def font(size=14):
    try:
        return ImageFont.load_default(size=size)
    except TypeError:            # Pillow without FreeType: the fixed bitmap font
        return ImageFont.load_default()


def diverging(values, limit=None):
    """(H, W) signed values -> (H, W, 3) uint8, blue (negative) - white - red (positive)."""
    values = np.asarray(values, np.float64)
    finite = values[np.isfinite(values)]
    limit = limit or (float(np.abs(finite).max()) if finite.size else 1.0) or 1.0
    t = np.clip(np.nan_to_num(values) / limit, -1, 1)[..., None]
    white = np.array([255.0, 255.0, 255.0])
    rgb = np.where(t >= 0, white + t * (RED - white), white - t * (BLUE - white))
    rgb[~np.isfinite(values)] = GAP
    return rgb.round().astype(np.uint8)


def gray(image01):
    """(H, W) in [0, 1] (ink = 1) -> (H, W, 3) uint8, white ink on black as MNIST shows it."""
    v = (np.clip(np.asarray(image01, np.float64), 0, 1) * 255).round().astype(np.uint8)
    return np.repeat(v[..., None], 3, axis=2)


def enlarge(rgb, height, max_width=None):
    """(h, w, 3) uint8 -> PIL image about ``height`` pixels high (and at most max_width wide),
    nearest neighbour (no blur)."""
    factor = int(round(height / max(rgb.shape[0], 1)))
    if max_width:
        factor = min(factor, max_width // max(rgb.shape[1], 1))
    factor = max(1, factor)
    image = Image.fromarray(rgb).resize((rgb.shape[1] * factor, rgb.shape[0] * factor), Image.NEAREST)
    framed = Image.new("RGB", (image.width + 2, image.height + 2), MUTED)   # a thin frame: white maps on a white page
    framed.paste(image, (1, 1))
    return framed


def tile(images, cols, gap=1):
    """(m, h, w, 3) uint8 -> one (rows*h + gaps, cols*w + gaps, 3) grid with light gaps."""
    m, h, w, _ = images.shape
    rows = int(np.ceil(m / cols))
    out = np.full((rows * (h + gap) - gap, cols * (w + gap) - gap, 3), GAP, np.uint8)
    for k in range(m):
        r, c = divmod(k, cols)
        out[r * (h + gap):r * (h + gap) + h, c * (w + gap):c * (w + gap) + w] = images[k]
    return out


def bar_chart(values, labels, size=(300, 150), title="", highlight=None):
    """A small bar chart (PIL image) of values (k,) with a zero line; NaN bars are left out.
    Positive bars red, negative blue; ``highlight`` (index) gets a dark outline."""
    width, height = size
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((4, 2), title, fill=TEXT, font=font(13))
    values = np.asarray(values, np.float64)
    finite = values[np.isfinite(values)]
    top, bottom = 34, height - 18
    high = max(float(finite.max()) if finite.size else 0.0, 0.0)
    low = min(float(finite.min()) if finite.size else 0.0, 0.0)
    span = (high - low) or 1.0
    zero = top + (bottom - top) * high / span
    slot = (width - 8) / max(len(values), 1)
    for k, (value, label) in enumerate(zip(values, labels)):
        x0 = 4 + k * slot + slot * 0.15
        x1 = 4 + (k + 1) * slot - slot * 0.15
        if np.isfinite(value):
            y = top + (bottom - top) * (high - value) / span
            colour = tuple(RED) if value >= 0 else tuple(BLUE)
            draw.rectangle([x0, min(y, zero), x1, max(y, zero)], fill=colour,
                           outline=TEXT if k == highlight else None, width=2)
        draw.text(((x0 + x1) / 2, bottom + 2), str(label), fill=TEXT, font=font(11), anchor="ma")
    draw.line([4, zero, width - 4, zero], fill=MUTED)
    scale = f"{high:+.3g} at the top, {low:+.3g} at the bottom" if low < 0 else f"top: {high:.3g}"
    draw.text((4, 18), scale, fill=MUTED, font=font(11))
    return image


def text_block(lines, width, size=13):
    """Lines of text as a PIL image of the given width (long lines wrap)."""
    per_line = max(20, int(width / (size * 0.55)))
    lines = [part for line in lines for part in (textwrap.wrap(line, per_line) or [""])]
    height = 6 + len(lines) * (size + 5)
    image = Image.new("RGB", (width, height), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for k, line in enumerate(lines):
        draw.text((4, 3 + k * (size + 5)), line, fill=TEXT, font=font(size))
    return image


def labelled(image, label, size=13):
    """image with a caption line above it."""
    width = int(ImageDraw.Draw(image).textlength(label, font=font(size))) + 6
    out = Image.new("RGB", (max(image.width, width), image.height + size + 8), BACKGROUND)
    ImageDraw.Draw(out).text((2, 2), label, fill=TEXT, font=font(size))
    out.paste(image, (0, size + 8))
    return out


def row(images, gap=16):
    """Images side by side, tops aligned."""
    width = sum(i.width for i in images) + gap * (len(images) - 1)
    out = Image.new("RGB", (width, max(i.height for i in images)), BACKGROUND)
    x = 0
    for image in images:
        out.paste(image, (x, 0))
        x += image.width + gap
    return out


def column(images, gap=12, margin=12):
    """Images stacked, left aligned, with a margin around the page."""
    width = max(i.width for i in images) + 2 * margin
    height = sum(i.height for i in images) + gap * (len(images) - 1) + 2 * margin
    out = Image.new("RGB", (width, height), BACKGROUND)
    y = margin
    for image in images:
        out.paste(image, (margin, y))
        y += image.height + gap
    return out


def save_png(image, path):
    """Write a PIL image as PNG atomically (never a half-written file)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    with atomic_write(path) as handle:
        handle.write(buffer.getvalue())
