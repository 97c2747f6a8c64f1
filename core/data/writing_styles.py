"""Writing-style strokes: the strokes of the European way of writing some digits, added to MNIST's.

MNIST was written by American Census employees and students. Many writers elsewhere draw a
1 with a long lead-in stroke (the "continental" 1), cross their 7 and slash their 0; MNIST has
few such digits, so a network trained on it reads a continental 1 as a 7 (issue 11). This
augmentation adds the missing stroke to a share of the training 1s, 7s, 0s and 9s (and a larger
loop to the 6s), on the fly:

  1   a lead-in stroke from the top of the digit going down and to the left, at 15-70 degrees
      below the horizontal (measured from the digit's own slant), 20-65% of its height long: the
      long, steep lead-ins people write from the lower left (issue 22) included
  7   a crossbar through the stem at 45-65% of the height, 35-60% of the height wide; or (issue
      22) a foot that curls, to the left and up or to the right, at the bottom of the stem
  0   a slash from above the top-right to below the bottom-left, through the loop
  9   (issue 22) a stem that curls or hooks to the left at the bottom, like a g
  6   (issue 22) a larger loop: the lower part of the digit stretched to 65-80% of its height

Each stroke is one or more straight segments drawn as an anti-aliased line of MNIST's stroke
width (1.8-2.8 px; measured from the image's own ink would be fragile on single strokes) and
merged with ``max``. A 1 with its lead-in stroke (or a 7 or 9 with a curl) is moved back so that
its centre of mass is where the plain digit's was (MNIST centres every digit by its centre of
mass). The strokes are placed from the image itself: its ink's bounding box, the foot of its
stem (the lowest ink row) and, for the 1, its principal axis (the slant of the stem). The rest of the
augmentation (affine, elastic, thickness) runs after this, so the added strokes are distorted
with the digit.

    styled = add_writing_styles(images, labels, share=0.3, rng=rng)   # (n, H, W) uint8

Everything is vectorised over the selected images; ``stroke_image`` is the one drawing routine
and is written plainly. Only digit labels make sense here: the trainer switches it off for
"one digit against the rest" tasks and for datasets that are not the ten digits.
"""
import numpy as np

INK = 64                    # a pixel with more than this (of 255) counts as ink for placement
STROKE_WIDTH = (1.8, 2.8)   # pixels, MNIST's range after its 20x20 normalisation


def stroke_image(starts, ends, widths, shape):
    """(k, 2) segment starts and ends (row, col), (k,) widths in pixels -> (k, H, W) float32 in
    [0, 255]: each segment drawn anti-aliased (full ink within width / 2 of the segment, fading
    to none over one pixel)."""
    h, w = shape
    rows = np.arange(h, dtype=np.float32)[None, :, None]
    cols = np.arange(w, dtype=np.float32)[None, None, :]
    starts, ends = starts.astype(np.float32), ends.astype(np.float32)
    d = ends - starts                                                       # (k, 2)
    length2 = np.maximum((d ** 2).sum(axis=1), 1e-6)[:, None, None]
    # the nearest point of each segment to each pixel, as a fraction t in [0, 1] along it
    t = ((rows - starts[:, 0, None, None]) * d[:, 0, None, None]
         + (cols - starts[:, 1, None, None]) * d[:, 1, None, None]) / length2
    np.clip(t, 0.0, 1.0, out=t)
    dr = rows - (starts[:, 0, None, None] + t * d[:, 0, None, None])
    dc = cols - (starts[:, 1, None, None] + t * d[:, 1, None, None])
    distance = np.sqrt(dr * dr + dc * dc)
    coverage = np.clip(widths.astype(np.float32)[:, None, None] / 2 + 0.5 - distance, 0.0, 1.0)
    return coverage * np.float32(255.0)


def ink_boxes(images):
    """(k, H, W) images -> (top, bottom, left, right) each (k,) ints: the bounding box of the ink
    (pixels > INK); an image without ink gets the whole frame."""
    ink = images > INK
    any_row, any_col = ink.any(axis=2), ink.any(axis=1)
    h, w = images.shape[1:]
    top = np.where(any_row.any(axis=1), any_row.argmax(axis=1), 0)
    bottom = np.where(any_row.any(axis=1), h - 1 - any_row[:, ::-1].argmax(axis=1), h - 1)
    left = np.where(any_col.any(axis=1), any_col.argmax(axis=1), 0)
    right = np.where(any_col.any(axis=1), w - 1 - any_col[:, ::-1].argmax(axis=1), w - 1)
    return top, bottom, left, right


def centres_of_mass(images):
    """(k, H, W) -> (k, 2) intensity-weighted (row, col) centres (the frame's centre if empty)."""
    h, w = images.shape[1:]
    mass = images.sum(axis=(1, 2), dtype=np.float64)
    safe = np.where(mass > 0, mass, 1.0)
    r = (images.sum(axis=2, dtype=np.float64) @ np.arange(h)) / safe
    c = (images.sum(axis=1, dtype=np.float64) @ np.arange(w)) / safe
    return np.where(mass[:, None] > 0, np.stack([r, c], axis=1), [(h - 1) / 2, (w - 1) / 2])


def stem_slants(images):
    """(k, H, W) -> (k,) dcol/drow of each image's principal ink axis: how far the stem leans
    right per pixel downwards (0 = upright, > 0 = its foot to the right of its top)."""
    h, w = images.shape[1:]
    weights = images.astype(np.float64)
    centre = centres_of_mass(images)
    rows = np.arange(h)[None, :, None] - centre[:, 0, None, None]
    cols = np.arange(w)[None, None, :] - centre[:, 1, None, None]
    mass = np.maximum(weights.sum(axis=(1, 2)), 1.0)
    rr = (weights * rows * rows).sum(axis=(1, 2)) / mass
    rc = (weights * rows * cols).sum(axis=(1, 2)) / mass
    return np.clip(rc / np.maximum(rr, 1e-6), -1.0, 1.0)    # least-squares col = slant * row


def shift_images(images, shifts):
    """(k, H, W) float32 images moved by integer (k, 2) (rows, cols) shifts, zero filled."""
    k, h, w = images.shape
    rows = np.arange(h)[None, :, None] - shifts[:, 0, None, None]
    cols = np.arange(w)[None, None, :] - shifts[:, 1, None, None]
    inside = (rows >= 0) & (rows < h) & (cols >= 0) & (cols < w)
    picked = images[np.arange(k)[:, None, None], np.clip(rows, 0, h - 1), np.clip(cols, 0, w - 1)]
    return np.where(inside, picked, 0.0).astype(np.float32)


def lead_in_strokes(images, rng):
    """(k, H, W) images of 1s -> (starts, ends) (k, 2) each: a lead-in stroke from the top of
    the stem, down and to the left, turned with the stem's slant."""
    k = len(images)
    top, bottom, left, right = ink_boxes(images)
    height = np.maximum(bottom - top, 4).astype(np.float64)
    top_rows = np.clip(top + 1, 0, images.shape[1] - 1)
    # the stem's top: the ink-weighted mean column of the two topmost ink rows
    band = images[np.arange(k), top].astype(np.float64) + images[np.arange(k), top_rows].astype(np.float64)
    cols = np.arange(images.shape[2])
    top_col = (band @ cols) / np.maximum(band.sum(axis=1), 1.0)
    angle = np.radians(rng.uniform(15.0, 70.0, k))                # below the horizontal, to the left
    length = rng.uniform(0.2, 0.65, k) * height
    slant = stem_slants(images)
    # in a stem-aligned frame the stroke goes (down sin a, left cos a); the slant shears it with the stem
    d_row = length * np.sin(angle)
    d_col = -length * np.cos(angle) + slant * d_row
    starts = np.stack([top.astype(np.float64) + 0.5, top_col], axis=1)
    return [(starts, starts + np.stack([d_row, d_col], axis=1))]


def crossbar_strokes(images, rng):
    """(k, H, W) images of 7s -> (starts, ends): a horizontal bar through the stem at 45-65% of
    the height (the stem's column there is the ink-weighted mean of that row)."""
    k = len(images)
    top, bottom, _, _ = ink_boxes(images)
    height = np.maximum(bottom - top, 4).astype(np.float64)
    row = np.clip(np.rint(top + rng.uniform(0.45, 0.65, k) * height), 0, images.shape[1] - 1).astype(int)
    line = images[np.arange(k), row].astype(np.float64)
    centre = (line @ np.arange(images.shape[2])) / np.maximum(line.sum(axis=1), 1.0)
    half = rng.uniform(0.35, 0.6, k) * height / 2
    tilt = rng.uniform(-0.1, 0.1, k) * half                      # a hand-drawn bar is rarely level
    starts = np.stack([row - tilt, centre - half], axis=1)
    return [(starts, np.stack([row + tilt, centre + half], axis=1))]


def slash_strokes(images, rng):
    """(k, H, W) images of 0s -> (starts, ends): a slash from above the top-right corner of the
    ink to below its bottom-left corner."""
    k = len(images)
    top, bottom, left, right = ink_boxes(images)
    over = rng.uniform(0.0, 2.0, (k, 2))
    starts = np.stack([top - over[:, 0], right + over[:, 0] * 0.5], axis=1)
    ends = np.stack([bottom + over[:, 1], left - over[:, 1] * 0.5], axis=1)
    return [(starts.astype(np.float64), ends.astype(np.float64))]


def stem_foot(images):
    """(k, H, W) -> (k, 2) (row, col) of the bottom of each digit's stem: the ink-weighted mean
    column of the lowest ink row, and (k,) heights of the ink."""
    k = len(images)
    top, bottom, _, _ = ink_boxes(images)
    row = images[np.arange(k), bottom].astype(np.float64)
    col = (row @ np.arange(images.shape[2])) / np.maximum(row.sum(axis=1), 1.0)
    return np.stack([bottom.astype(np.float64), col], axis=1), np.maximum(bottom - top, 4).astype(np.float64)


def polyline(points):
    """(k, m, 2) points -> the m - 1 segments [(starts (k, 2), ends (k, 2)), ...] joining them."""
    return [(points[:, i], points[:, i + 1]) for i in range(points.shape[1] - 1)]


def curl_strokes(images, rng, sideways, across):
    """A curl at the bottom of the stem: from the foot, down and sideways, then back up.
    sideways (k,) +1 curls right, -1 left; the curl spans ``across`` (low, high) of the height."""
    foot, height = stem_foot(images)
    width = rng.uniform(*across, len(images)) * height
    drop = rng.uniform(0.0, 0.08, len(images)) * height
    rise = rng.uniform(0.05, 0.2, len(images)) * height
    # the foot is where the stroke already is: start a little above it so the curl joins the stem
    points = np.stack([foot + np.stack([-1.0 + 0 * width, 0 * width], axis=1),
                       foot + np.stack([drop, sideways * width * 0.45], axis=1),
                       foot + np.stack([drop * 0.5 - rise * 0.3, sideways * width * 0.85], axis=1),
                       foot + np.stack([-rise, sideways * width], axis=1)], axis=1)
    return polyline(points)


def curled_foot_strokes(images, rng):
    """(k, H, W) 7s -> a foot that curls at the bottom of the stem, left and up or to the right."""
    # small: a wide foot to the right is a 2's base, and teaching it as a 7 would cost the 2s
    return curl_strokes(images, rng, np.where(rng.random(len(images)) < 0.5, -1.0, 1.0), (0.08, 0.18))


def hooked_stem_strokes(images, rng):
    """(k, H, W) 9s -> a stem that hooks to the left at the bottom, like a g."""
    return curl_strokes(images, rng, -np.ones(len(images)), (0.12, 0.3))


def enlarge_loop(images, rng):
    """(k, H, W) images of 6s -> the same with the loop grown: the rows of the ink box are
    re-mapped so that the lower 55% (where a 6's loop is) takes 65-80% of the height and the
    stroke above it the rest. Bilinear in the row direction only; the box itself stays."""
    k, h, w = images.shape
    top, bottom, _, _ = ink_boxes(images)
    top, height = top.astype(np.float64), np.maximum(bottom - top, 4).astype(np.float64)
    loop_share = rng.uniform(0.65, 0.8, k)                    # of the output height, was 0.55
    split_out = top + (1.0 - loop_share) * height             # output row where the loop starts
    split_in = top + 0.45 * height                            # source row where it starts
    rows = np.arange(h, dtype=np.float64)[None, :]
    above = top[:, None] + (rows - top[:, None]) * ((split_in - top) / (split_out - top))[:, None]
    below = split_in[:, None] + (rows - split_out[:, None]) * (0.55 * height / (loop_share * height))[:, None]
    source = np.where(rows < split_out[:, None], above, below)
    source = np.where((rows < top[:, None]) | (rows > (top + height)[:, None]), rows, source)   # outside the box: as is
    low = np.clip(np.floor(source), 0, h - 1).astype(int)
    high = np.clip(low + 1, 0, h - 1)
    frac = np.clip(source - low, 0.0, 1.0)[:, :, None]
    picked = np.arange(k)[:, None]
    out = images[picked, low].astype(np.float32) * (1 - frac) + images[picked, high].astype(np.float32) * frac
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


# digit -> a reshaping some of its images get instead of a stroke (issue 22: a 6 with a large loop)
STYLE_WARPS = {6: enlarge_loop}

# digit -> its styles; each chosen image gets one of them, at random
STYLE_STROKES = {1: (lead_in_strokes,), 7: (crossbar_strokes, curled_foot_strokes), 0: (slash_strokes,),
                 9: (hooked_stem_strokes,)}
# strokes that extend the ink beyond the digit: the centre of mass is put back afterwards
RECENTRED = (lead_in_strokes, curled_foot_strokes, hooked_stem_strokes)


def add_writing_styles(images, labels, share, rng):
    """(n, H, W) uint8 images, (n,) digit labels -> (n, H, W) uint8: a random ``share`` (0-1) of
    the 1s, 7s, 0s and 9s get their stroke and the 6s a larger loop (module docstring); the rest are unchanged.
    Draws from ``rng`` in a fixed order (one uniform per image, then per digit), so a seed
    reproduces it."""
    images = np.asarray(images)
    labels = np.asarray(labels)
    chosen = rng.random(len(labels)) < share
    if not chosen.any():
        return images
    out = images.copy()
    for digit, warp in STYLE_WARPS.items():
        rows = np.flatnonzero(chosen & (labels == digit))
        if len(rows):
            out[rows] = warp(out[rows], rng)
    for digit, makers in STYLE_STROKES.items():
        rows = np.flatnonzero(chosen & (labels == digit))
        if len(rows) == 0:
            continue
        which = rng.integers(len(makers), size=len(rows))
        for index, make_strokes in enumerate(makers):
            mine = rows[which == index]
            if len(mine):
                out[mine] = _styled(out[mine], make_strokes, rng)
    return out


def _styled(picked, make_strokes, rng):
    """(k, H, W) uint8 images of one digit -> the same with make_strokes' segments drawn in."""
    widths = rng.uniform(*STROKE_WIDTH, len(picked))
    styled = picked.astype(np.float32)
    for starts, ends in make_strokes(picked, rng):
        styled = np.maximum(styled, stroke_image(starts, ends, widths, picked.shape[1:]))
    if make_strokes in RECENTRED:   # MNIST centres by the centre of mass: put it back where it was
        moved = np.rint(centres_of_mass(picked) - centres_of_mass(styled)).astype(int)
        styled = shift_images(styled, moved)
    return np.clip(np.rint(styled), 0, 255).astype(np.uint8)
