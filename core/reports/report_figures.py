"""The run report's pictures, drawn with Pillow (no Qt: the command line makes them too): the
confusion matrix, the reliability diagram, the calibration error per epoch, the most confident
mistakes. The curves come from core.figures.curves (the film draws them the same way).

Every function returns a PIL image; png_data_uri turns one into the text an <img src=...> embeds.
"""
import base64
import io
import math

import numpy as np
from PIL import Image, ImageDraw

from core.analysis.pictures import BACKGROUND, MUTED, TEXT, font, gray
from core.figures.curve_colours import BATCH_COLOUR, GREY
from core.figures.plot import Series, line_panel

RIGHT = np.array([38, 110, 190])      # the diagonal: answers that were right
WRONG = np.array([200, 45, 45])       # off the diagonal: mistakes
CALIBRATION_COLOUR = BATCH_COLOUR   # the Calibration tab draws the model's reliability and ECE in blue


def png_data_uri(image):
    """'data:image/png;base64,...' of a PIL image (for an <img> that needs no other file)."""
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=True)
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _short(name, limit=7):
    return name if len(name) <= limit else name[:limit - 1] + "."   # Pillow's own font has no ellipsis


def confusion_image(confusion, class_names, cell=44):
    """(k, k) counts (rows: true class, columns: predicted) as a grid with each count written in
    its cell; a cell's shade is its share of its row (blue on the diagonal, red off it), so a
    rare class's mistakes show as clearly as a common one's."""
    confusion = np.asarray(confusion, np.int64)
    k = len(confusion)
    totals = confusion.sum(axis=1, keepdims=True)
    share = np.divide(confusion, totals, out=np.zeros(confusion.shape), where=totals > 0)
    names = [_short(str(n)) for n in class_names]
    label_width = max(int(ImageDraw.Draw(Image.new("RGB", (1, 1))).textlength(n, font=font(12))) for n in names) + 10
    left, top = label_width + 22, 44
    size = (left + k * cell + 10, top + k * cell + 10)
    image = Image.new("RGB", size, BACKGROUND)
    draw = ImageDraw.Draw(image)
    draw.text((left + k * cell / 2, 4), "predicted", fill=MUTED, font=font(13), anchor="ma")
    draw.text((4, top - 6), "true", fill=MUTED, font=font(13), anchor="ld")   # above the row names
    for j, name in enumerate(names):
        draw.text((left + (j + 0.5) * cell, top - 6), name, fill=TEXT, font=font(12), anchor="md")
        draw.text((left - 6, top + (j + 0.5) * cell), name, fill=TEXT, font=font(12), anchor="rm")
    white = np.array([255.0, 255.0, 255.0])
    biggest = max(len(str(int(confusion.max()))) if confusion.size else 1, 1)
    number_size = 13 if biggest <= 4 else 10
    for i in range(k):
        for j in range(k):
            strength = share[i, j] if i == j else min(1.0, 4 * share[i, j])   # a 25% mistake is full red
            colour = tuple((white + strength * ((RIGHT if i == j else WRONG) - white)).round().astype(int))
            x0, y0 = left + j * cell, top + i * cell
            draw.rectangle([x0, y0, x0 + cell - 1, y0 + cell - 1], fill=colour, outline=(225, 225, 225))
            if confusion[i, j]:
                ink = (255, 255, 255) if strength > 0.55 else TEXT
                draw.text((x0 + cell / 2, y0 + cell / 2), str(int(confusion[i, j])), fill=ink,
                          font=font(number_size), anchor="mm")
    return image


def reliability_image(bins, title="Reliability (test set)", size=(460, 320)):
    """A ReliabilityBins (core.evaluation.calibration) as a line: mean confidence (x) against the
    share right (y) per bin with examples; the grey diagonal is a perfectly calibrated model. A
    point under the diagonal: the network was more sure than right."""
    filled = bins.count > 0
    model = Series("model", list(bins.confidence[filled]), list(bins.accuracy[filled]), CALIBRATION_COLOUR)
    perfect = Series("ideal", [0.0, 1.0], [0.0, 1.0], GREY)
    ece = bins.ece
    heading = f"{title}, ECE {ece:.2%}" if math.isfinite(ece) else title   # in % as the Calibration tab
    return line_panel([perfect, model], (0.0, 1.0), (0.0, 1.0), heading, size, x_label="confidence", whole_x=False)


def ece_curve_image(history, size=(440, 320)):
    """The expected calibration error on the validation split per epoch (history 'val_ece') in %,
    as the Calibration tab draws it, or None when the record has none."""
    epochs = [int(e) for e in history.get("epoch") or []]
    values = [100.0 * v if isinstance(v, (int, float)) and math.isfinite(v) else None
              for v in history.get("val_ece") or []]
    finite = [v for v in values if v is not None]
    if not finite:
        return None
    series = Series("validation", epochs[:len(values)], values, CALIBRATION_COLOUR)
    return line_panel([series], (1, max(epochs[-1], 2)), (0.0, max(5.0, 1.1 * max(finite))),
                      "Calibration error per epoch (%)", size)


def _sure(confidence):
    """'97.3% sure'; above 99.9% the rounding would say 100%, which a wrong answer never is."""
    return "over 99.9% sure" if confidence > 0.999 else f"{100 * confidence:.1f}% sure"


def mistakes_image(images, true_names, predicted_names, confidence, cols=8):
    """The most confident mistakes as a grid: images (m, H, W) uint8 (ink 255), each about 84 px
    high and captioned with its true class, the network's answer and how sure it was (m names,
    m confidences in [0, 1])."""
    m = len(images)
    if m == 0:
        return None
    scale = max(1, 84 // images.shape[1])   # 3x for MNIST's 28 px, 10x for the 8x8 digits
    h, w = images.shape[1] * scale, images.shape[2] * scale
    slot_w, slot_h = max(w, 104) + 12, h + 40
    rows = int(math.ceil(m / cols))
    image = Image.new("RGB", (min(m, cols) * slot_w, rows * slot_h), BACKGROUND)
    draw = ImageDraw.Draw(image)
    for n in range(m):
        r, c = divmod(n, cols)
        x0, y0 = c * slot_w + (slot_w - w) // 2, r * slot_h + 2
        picture = Image.fromarray(gray(images[n] / 255.0)).resize((w, h), Image.NEAREST)
        image.paste(picture, (x0, y0))
        draw.rectangle([x0 - 1, y0 - 1, x0 + w, y0 + h], outline=MUTED)
        centre = c * slot_w + slot_w / 2
        draw.text((centre, y0 + h + 4), f"{_short(true_names[n])} read as {_short(predicted_names[n])}", fill=TEXT,
                  font=font(12), anchor="ma")
        draw.text((centre, y0 + h + 20), _sure(confidence[n]), fill=MUTED, font=font(11), anchor="ma")
    return image
