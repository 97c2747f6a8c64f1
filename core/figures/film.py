"""The training film: one view of a recorded run, one frame per checkpoint (or N of them), as an
animated GIF and/or a folder of PNG frames.

    frames = render_film(record, "weights", frames=None, dataset=None)   # [Frame(epoch, PIL image)]
    write_gif(frames, "film.gif"); write_png_folder(frames, "film-frames")

Views: weights (first layer), filters (every conv layer), feature-maps (what one test image
becomes in every layer; needs the run's data), map (the PCA map of the first 1,000 test images at
a hidden layer; needs the data), curves (loss and accuracy growing; one frame per recorded epoch,
since the curves need no checkpoint). Colour scales are fixed for the whole film from its last
frame, so a frame's colours compare with the others' (weights grow redder, maps brighter).
Every frame has the size of the largest (a GIF's frames share one size); files are written
atomically and a folder of frames appears whole (written beside it, then renamed).
"""
import io
import os
import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image

from core.analysis.feature_maps import feature_stages
from core.analysis.pictures import BACKGROUND, column, save_png, text_block
from core.analysis.probe import hidden_layers
from core.data.normalise import to_float
from core.data.transforms import resize_to
from core.errors import DigitLabError
from core.figures.curves import curves_image, loss_range
from core.figures.embedding import map_image, map_points
from core.figures.feature_maps import feature_maps_image, stage_limits
from core.figures.weights import filters_image, filters_limits, weights_image, weights_limit
from core.files.model_io import load_model
from core.storage.atomic import atomic_write

VIEWS = ("weights", "filters", "feature-maps", "map", "curves")
NEEDS_DATA = ("feature-maps", "map")
MAP_IMAGES = 1000
FRAME_SECONDS = 0.6
LAST_FRAME_SECONDS = 2.0
MIN_WIDTH = 560     # the title line fits on one line


@dataclass
class Frame:
    epoch: int
    image: Image.Image


def pick_evenly(items, count=None):
    """``count`` items spread evenly over items, the first and the last included (all if None)."""
    items = list(items)
    if count is None or count >= len(items):
        return items
    if count < 1:
        raise DigitLabError("a film needs at least one frame")
    return [items[int(i)] for i in np.unique(np.linspace(0, len(items) - 1, count).round())]


def film_epochs(record, view, frames=None):
    """The epochs the film shows: those with a checkpoint (curves: every recorded epoch), or
    ``frames`` of them spread evenly. DigitLabError if there are none or fewer than asked."""
    if view not in VIEWS:
        raise DigitLabError(f"unknown view {view!r}; choose one of {', '.join(VIEWS)}")
    if view == "curves":
        epochs, what = [int(row["epoch"]) for row in record.rows], "recorded epochs"
    else:
        epochs, what = list(record.checkpoints), "checkpoints"
    if not epochs:
        raise DigitLabError(f"run {record.run_id} has no {what} yet (one is written at each epoch's end)")
    if frames is not None and not 1 <= frames <= len(epochs):
        raise DigitLabError(f"{frames} frames asked, but run {record.run_id} has {len(epochs)} {what}; "
                            f"ask for 1 to {len(epochs)}")
    return pick_evenly(epochs, frames)


def test_inputs(dataset, metadata, count):
    """(images01 (n, H, W) in [0, 1], x (n, n_inputs), labels (n,)) of the first ``count`` test
    images, at the model's input size and scaled as it was trained."""
    images = resize_to(dataset.test_images[:count], tuple(metadata["input_shape"]))
    x = to_float(images, metadata.get("normalisation", "zero_one"))
    return images.astype(np.float32) / 255.0, x, np.asarray(dataset.test_labels[:count])


def _check_data(record, dataset, view):
    if view not in NEEDS_DATA:
        return
    wanted = record.settings["dataset"].get("name", "")
    if dataset is None:
        raise DigitLabError(f"the {view} film needs the run's data ({wanted or 'its dataset'}); load it first")
    if wanted and dataset.name != wanted:
        raise DigitLabError(f"run {record.run_id} was trained on {wanted}, but the data given is {dataset.name}")


def _header(record, epoch, last_epoch, width):
    row = next((r for r in record.rows if int(r["epoch"]) == epoch), {})
    accuracy = row.get("val_accuracy")
    text = f"{record.name} · epoch {epoch} of {last_epoch}"
    if isinstance(accuracy, (int, float)):
        text += f" · validation accuracy {100 * accuracy:.1f}%"
    return text_block([text], width, size=15)


def render_film(record, view, frames=None, dataset=None, image_index=0, layer=None, progress=None):
    """[Frame] of ``view`` (VIEWS) along record's checkpoints (core.records.reader.RunRecord).
    dataset: the run's Dataset (feature-maps, map); image_index: the test image of the
    feature-maps film; layer: the map's hidden layer from 1 (default the last hidden one);
    progress(done, total) after each frame. DigitLabError for anything the user can fix."""
    epochs = film_epochs(record, view, frames)
    _check_data(record, dataset, view)
    last_epoch = max(int(r["epoch"]) for r in record.rows) if record.rows else epochs[-1]
    bodies = _bodies(record, view, epochs, dataset, image_index, layer, progress)
    width = max(MIN_WIDTH, *(body.width for body in bodies))
    images = [column([_header(record, epoch, last_epoch, width), body], gap=4)
              for epoch, body in zip(epochs, bodies)]
    return [Frame(epoch, image) for epoch, image in zip(epochs, same_size(images))]


def _bodies(record, view, epochs, dataset, image_index, layer, progress):
    def tell(done):
        if progress is not None:
            progress(done, len(epochs))

    if view == "curves":
        history = record.history()
        limits = loss_range(history)
        bodies = []
        for k, epoch in enumerate(epochs):
            bodies.append(curves_image(history, upto=epoch, loss_limits=limits))
            tell(k + 1)
        return bodies
    last_network, metadata = load_model(record.checkpoints[epochs[-1]])
    image_shape = tuple(metadata["input_shape"])
    if view == "feature-maps":
        if not 0 <= image_index < len(dataset.test_labels):
            raise DigitLabError(f"image {image_index} does not exist: the test set has images 0 to "
                                f"{len(dataset.test_labels) - 1}")
        images01, x, labels = test_inputs(dataset, metadata, image_index + 1)
        images01, x, label = images01[image_index], x[image_index:image_index + 1], labels[image_index]
        limits = stage_limits(feature_stages(last_network, x))
    elif view == "map":
        hidden = hidden_layers(last_network)
        if not hidden:
            raise DigitLabError("this network has no hidden layer, so it has no map")
        layer = len(hidden) if layer is None else int(layer)
        if not 1 <= layer <= len(hidden):
            raise DigitLabError(f"layer {layer} does not exist: hidden layers are numbered 1 to {len(hidden)}")
        _, x, labels = test_inputs(dataset, metadata, MAP_IMAGES)
        previous = None
    elif view == "filters":
        limits = filters_limits(last_network)
    else:
        limit = weights_limit(last_network, image_shape)
    class_names = metadata.get("class_names") or []   # the network's outputs (a one-digit model: 2)
    digit_names = list(dataset.class_names) if dataset is not None else class_names   # the images' labels
    bodies = []
    for k, epoch in enumerate(epochs):
        network = last_network if epoch == epochs[-1] else load_model(record.checkpoints[epoch])[0]
        if view == "weights":
            bodies.append(weights_image(network, image_shape, limit=limit))
        elif view == "filters":
            bodies.append(filters_image(network, limits=limits))
        elif view == "feature-maps":
            picture = feature_maps_image(network, x, images01, class_names, limits=limits)
            caption = text_block([f"test image {image_index} (a {digit_names[int(label)]})"
                                  f" through every layer"], picture.width)
            bodies.append(column([caption, picture], gap=2, margin=0))
        else:
            previous = map_points(network, x, layer, previous)
            name = hidden_layers(network)[layer - 1].name
            bodies.append(map_image(previous, labels, digit_names,
                                    title=f"{len(labels):,} test images placed by what hidden layer {layer} "
                                          f"({name}) makes of them (PCA)"))
        tell(k + 1)
    return bodies


def same_size(images):
    """Every image pasted on a white page of the largest width and height (top left)."""
    width, height = max(i.width for i in images), max(i.height for i in images)
    out = []
    for image in images:
        if image.size == (width, height):
            out.append(image)
            continue
        page = Image.new("RGB", (width, height), BACKGROUND)
        page.paste(image, (0, 0))
        out.append(page)
    return out


def gif_bytes(frames, frame_seconds=FRAME_SECONDS, last_seconds=LAST_FRAME_SECONDS):
    """The frames as one looping animated GIF (bytes); the last frame stays longer."""
    images = [frame.image for frame in frames]
    durations = [int(frame_seconds * 1000)] * (len(images) - 1) + [int(last_seconds * 1000)]
    buffer = io.BytesIO()
    images[0].save(buffer, format="GIF", save_all=True, append_images=images[1:], duration=durations, loop=0)
    return buffer.getvalue()


def check_gif_path(path):
    """DigitLabError unless path can be a film's GIF (checked before any frame is drawn)."""
    path = Path(path)
    if path.suffix.lower() != ".gif":
        raise DigitLabError(f"{path.name}: a film is written as a .gif file (name it FILE.gif)")
    if not path.parent.is_dir():
        raise DigitLabError(f"cannot write {path}: the folder {path.parent} does not exist")
    if path.is_dir():
        raise DigitLabError(f"cannot write {path}: it is a folder")
    return path


def check_frames_folder(folder):
    """DigitLabError unless folder is new or empty and its parent exists."""
    folder = Path(folder)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise DigitLabError(f"{folder} already exists and is not an empty folder; name a new folder for the frames")
    if not folder.parent.is_dir():
        raise DigitLabError(f"cannot write the frames to {folder}: the folder {folder.parent} does not exist")
    return folder


def write_gif(frames, path, frame_seconds=FRAME_SECONDS):
    """Write the film as an animated GIF at path (atomically); returns the Path."""
    path = check_gif_path(path)
    data = gif_bytes(frames, frame_seconds)
    try:
        with atomic_write(path) as handle:
            handle.write(data)
    except OSError as error:
        raise DigitLabError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def frame_name(number, epoch):
    return f"frame-{number:03d}-epoch-{epoch:04d}.png"


def write_png_folder(frames, folder):
    """Write one PNG per frame into a new folder (or an empty one); it appears whole: the frames
    go into a hidden folder beside it, renamed at the end. Returns the frames' paths."""
    folder = check_frames_folder(folder)
    partial = folder.parent / f".{folder.name}.{os.getpid()}.{secrets.token_hex(4)}.partial"
    try:
        partial.mkdir(parents=True)
        for number, frame in enumerate(frames, 1):
            save_png(frame.image, partial / frame_name(number, frame.epoch))
        if folder.exists():
            folder.rmdir()
        partial.rename(folder)
    except OSError as error:
        shutil.rmtree(partial, ignore_errors=True)
        raise DigitLabError(f"cannot write the frames to {folder}: {error.strerror or error}") from None
    return [folder / frame_name(number, frame.epoch) for number, frame in enumerate(frames, 1)]
