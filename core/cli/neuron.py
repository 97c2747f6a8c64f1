"""`python main.py neuron --model M --layer L --unit U --data DIR --out card.png`: one unit's card.

Layers are numbered from 1, the first hidden layer (W1 in the layer list); a conv layer's unit
is a filter. The validation images are the dataset's held-out test set (10,000 for MNIST). The
PNG shows the incoming weights (or the filter), the 9 images that activate the unit most and
the 9 least, its mean activation per class, its outgoing weights, how often it is silent, and
what silencing it does to the accuracy (overall and per class). A JSON summary goes to stdout.
"""
import json

import numpy as np

from core.analysis import pictures
from core.analysis.neuron import NeuronLab
from core.analysis.unit_weights import near_square
from core.cli.common import add_data_arguments, load_data
from core.errors import DigitLabError
from core.files.model_io import check_compatible, load_model
from core.settings.config import TrainConfig
from core.training.trainers import prepare_dataset
from core.storage.resources import DEFAULT_MODEL_PATH

PANEL = 170


def register(subparsers):
    p = subparsers.add_parser("neuron", help="a hidden unit's card (weights, top images, ablation) as a PNG",
                              description="Write the card of one hidden unit of a saved model as a PNG.")
    p.add_argument("--model", default=str(DEFAULT_MODEL_PATH), metavar="MODEL.npz", help="model file")
    p.add_argument("--layer", type=int, required=True, help="hidden layer, from 1 (the first hidden layer)")
    p.add_argument("--unit", type=int, required=True, help="unit (or filter) in that layer, from 0")
    p.add_argument("--out", required=True, metavar="CARD.png", help="where to write the card")
    add_data_arguments(p)
    p.set_defaults(run=run)


def validation_set(dataset, metadata, path=""):
    """(images (n, H, W) uint8, class labels as the model knows them (n,), digit labels (n,)).

    The data is prepared as `evaluate` prepares it (the model's own image_size setting) and
    refused like there when it still does not match the model (8x8 digits for an MNIST model are
    not upscaled: a card of blurred stand-ins would mislead)."""
    config = TrainConfig.from_dict(metadata.get("config", {}))
    dataset = prepare_dataset(config, dataset)
    check_compatible(metadata, dataset.image_shape, path)
    digits = dataset.test_labels.astype(np.int64)
    positive = int(metadata.get("positive_class", -1))
    labels = (digits == positive).astype(np.int64) if len(metadata["class_names"]) == 2 and positive >= 0 else digits
    return dataset.test_images, labels, digits


def card_picture(card, images, class_names, title):
    """The PIL card of a NeuronCard; images (n, H, W) uint8 are the validation images."""
    top = pictures.tile(np.stack([pictures.gray(images[i] / 255.0) for i in card.top]), 3)
    bottom = pictures.tile(np.stack([pictures.gray(images[i] / 255.0) for i in card.bottom]), 3)
    what = "filter" if card.is_conv else "incoming weights"
    first = [pictures.labelled(pictures.enlarge(pictures.diverging(card.incoming_image), PANEL), what),
             pictures.labelled(pictures.enlarge(top, PANEL), "9 images that activate it most"),
             pictures.labelled(pictures.enlarge(bottom, PANEL), "9 that activate it least" + (
                 " (silent, among many)" if card.silent_share * len(card.activations) > 9 else ""))]
    ab = card.ablation
    second = [pictures.bar_chart(card.mean_per_class, class_names, (330, PANEL), "mean activation per class")]
    if card.outgoing.ndim == 1 and card.outgoing.size <= 20:
        labels = class_names if card.outgoing.size == len(class_names) else range(card.outgoing.size)
        second.append(pictures.bar_chart(card.outgoing, labels, (330, PANEL), f"outgoing weights {card.outgoing_kind}"))
    elif card.outgoing.ndim == 3:      # one small map per unit of the next layer, 5 to a row, one colour scale
        maps = card.outgoing
        limit = float(np.abs(maps).max()) or 1.0
        grid = pictures.tile(np.stack([pictures.diverging(m, limit) for m in maps]), min(5, len(maps)), gap=2)
        second.append(pictures.labelled(pictures.enlarge(grid, PANEL - 30, max_width=420),
                                        f"outgoing weights {card.outgoing_kind}"))
    else:
        second.append(pictures.labelled(pictures.enlarge(pictures.diverging(near_square(card.outgoing)), PANEL - 30),
                                        f"outgoing weights {card.outgoing_kind}"))
    change = (ab.per_class_after - ab.per_class_before) * 100
    second.append(pictures.bar_chart(change, class_names, (330, PANEL), "accuracy change when silenced (points)"))
    silent = f"silent on {card.silent_share:.1%} of the images" + (" - a DEAD unit: it never fires" if card.dead else "")
    changes = ", ".join(f"#{i}: {class_names[a]}->{class_names[b]}"
                        for i, a, b in zip(ab.changed[:6], ab.predicted_before[:6], ab.predicted_after[:6]))
    lines = [title, silent,
             f"silenced: accuracy {ab.accuracy_before:.2%} -> {ab.accuracy_after:.2%}; "
             f"{len(ab.changed)} prediction{'s' if len(ab.changed) != 1 else ''} change" + (f" ({changes}{', ...' if len(ab.changed) > 6 else ''})" if len(ab.changed) else ""),
             "Colours: red positive, blue negative, white zero."]
    return pictures.column([pictures.text_block(lines, 1000, 14), pictures.row(first), pictures.row(second)])


def run(args):
    network, metadata = load_model(args.model)
    dataset = load_data(args)
    images, labels, _ = validation_set(dataset, metadata, args.model)
    lab = NeuronLab(network, images, labels, metadata.get("normalisation", "zero_one"))
    card = lab.card(args.layer, args.unit)
    names = [str(n) for n in metadata["class_names"]]
    title = f"Layer {card.layer} ({card.layer_name}), unit {card.unit} of {network.describe()}, on {len(images):,} test images"
    try:
        pictures.save_png(card_picture(card, images, names, title), args.out)
    except OSError as error:
        raise DigitLabError(f"--out {args.out}: could not write the card ({error.strerror or error})") from None
    ab = card.ablation
    print(json.dumps({"layer": card.layer, "layer_name": card.layer_name, "unit": card.unit, "out": str(args.out),
                      "silent_share": round(card.silent_share, 4), "dead": card.dead,
                      "accuracy": round(ab.accuracy_before, 4), "accuracy_silenced": round(ab.accuracy_after, 4),
                      "changed_predictions": int(len(ab.changed)),
                      "top": card.top.tolist(), "bottom": card.bottom.tolist()}))
    return 0
