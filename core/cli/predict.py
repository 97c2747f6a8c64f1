"""`python main.py predict [--model MODEL.npz] IMAGE...`: classify image files of hand-drawn digits.

Each image (any size; dark ink on light paper or light ink on dark, detected) goes through the
same preparation as the drawing canvas (core.drawing) and gives one JSON line on stdout:
{"file", "digit", "class", "confidence", "verdict", "reason", "probabilities": {class: p},
"polarity"}. The verdict is read as the canvas reads it (core.drawing.reading): "digit"; "class"
for a sure answer that is not a digit (a model of your own classes: "class" names it); "not a
digit" (the model's not-a-digit class on top, or a blank or nearly blank image) or "not sure"
(the top class below --threshold). "digit" is null unless the verdict is "digit", and "reason"
says why. A file that
cannot be used gives one "error: FILE: reason" line on stderr; the other files are still
processed and the exit code is 1.
"""
import json
import os
import sys
from pathlib import Path

from core.errors import DigitLabError
from core.storage.resources import DEFAULT_MODEL_PATH
from core.data.images import read_gray
from core.files.model_io import load_model
from core.drawing.bitmap import detect_polarity, prepare_image
from core.drawing.geometry import EmptyDrawing, geometry_for
from core.drawing.model_input import predict
from core.drawing.bitmap import ink_from_gray
from core.drawing.reading import NOT_SURE_BELOW, ink_too_small, read_probabilities

POLARITIES = {"auto": "auto", "dark-on-light": "dark_on_light", "light-on-dark": "light_on_dark"}


def register(subparsers):
    p = subparsers.add_parser(
        "predict", help="classify image files of digits, or of the classes a model was trained on (PNG, JPEG, ...)",
        description="Classify image files of hand-drawn digits (or of the classes a model trained with "
                    "`train --images` knows: 'class' and 'probabilities' use its class names) with a saved model. "
                    "Prints one JSON object per image per line; unreadable images are reported on stderr.")
    p.add_argument("images", nargs="+", metavar="IMAGE", help="image files of any size and polarity")
    p.add_argument("--model", default=str(DEFAULT_MODEL_PATH), metavar="MODEL.npz",
                   help="model file (default: the shipped MNIST model, resources/default_model.npz)")
    p.add_argument("--polarity", choices=tuple(POLARITIES), default="auto",
                   help="ink on paper (dark-on-light) or like MNIST (light-on-dark); default: detect")
    p.add_argument("--threshold", type=float, default=NOT_SURE_BELOW, metavar="P",
                   help=f"below this top probability the answer is 'not sure' (default {NOT_SURE_BELOW})")
    p.add_argument("--save-prepared", metavar="DIR",
                   help="also save the image the network receives, enlarged, as DIR/NAME.prepared.png")
    p.set_defaults(run=run)


def class_value(name):
    """'7' -> 7 (digit classes print as numbers); other names stay strings."""
    return int(name) if str(name).isdigit() else name


def classify_file(path, network, metadata, polarity="auto", threshold=NOT_SURE_BELOW):
    """(result dict, prepared image (H, W) in [0, 1], or None when there is nothing to read) for one
    image file; DigitLabError if unusable."""
    gray = read_gray(path)
    used_polarity = detect_polarity(gray) if polarity == "auto" else polarity
    base = {"file": str(path), "polarity": used_polarity.replace("_", "-")}
    try:
        image = prepare_image(gray, geometry=geometry_for(metadata["input_shape"]), polarity=used_polarity)
    except EmptyDrawing:
        return {**base, "digit": None, "class": None, "confidence": None, "verdict": "not a digit",
                "reason": "the image is blank", "probabilities": {}}, None
    if ink_too_small(ink_from_gray(gray, used_polarity)):
        return {**base, "digit": None, "class": None, "confidence": None, "verdict": "not a digit",
                "reason": "the ink is a dot or a speck, too small to be a digit", "probabilities": {}}, None
    probabilities, top = predict(network, metadata, image)
    names = metadata["class_names"]
    reading = read_probabilities(probabilities, names, threshold)
    # "digit" is a digit the model is sure of, else null (not a digit, not sure, or "not D" of a
    # one-digit-against-the-rest model); "class" is the top class name as the model knows it.
    top_name = class_value(names[top])
    is_digit = reading.answered and isinstance(top_name, int)
    result = {**base, "digit": top_name if is_digit else None, "class": str(names[top]),
              "confidence": round(float(probabilities[top]), 4),
              "verdict": "digit" if is_digit else reading.verdict, "reason": reading.reason,
              "probabilities": {str(name): round(float(p), 4) for name, p in zip(names, probabilities)}}
    return dict(sorted(result.items(), key=lambda kv: ORDER.index(kv[0]))), image


ORDER = ("file", "digit", "class", "confidence", "verdict", "reason", "probabilities", "polarity")


def _save_prepared(image, folder, path):
    from PIL import Image
    os.makedirs(folder, exist_ok=True)
    pixels = (image * 255).round().astype("uint8")
    target = os.path.join(folder, Path(path).name + ".prepared.png")
    Image.fromarray(pixels).resize((pixels.shape[1] * 10, pixels.shape[0] * 10), Image.NEAREST).save(target)


def run(args):
    network, metadata = load_model(args.model)
    if args.save_prepared:   # fail before the first result, not half-way through the list
        try:
            os.makedirs(args.save_prepared, exist_ok=True)
        except OSError as error:
            raise DigitLabError(f"--save-prepared {args.save_prepared}: cannot create the folder "
                                f"({error.strerror or error})") from None
    failures = 0
    for path in args.images:
        try:
            result, image = classify_file(path, network, metadata, POLARITIES[args.polarity], args.threshold)
        except DigitLabError as error:
            failures += 1
            print(f"error: {error}", file=sys.stderr, flush=True)
            continue
        print(json.dumps(result), flush=True)
        if args.save_prepared and image is not None:
            try:
                _save_prepared(image, args.save_prepared, path)
            except OSError as error:
                failures += 1
                print(f"error: {path}: could not save the prepared image ({error.strerror or error})",
                      file=sys.stderr, flush=True)
    return 1 if failures else 0
