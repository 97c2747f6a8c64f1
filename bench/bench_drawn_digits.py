"""Accuracy on user-like drawn digits: resize-only vs the full pipeline, and an ablation table.

    python bench/bench_drawn_digits.py [--model resources/default_model.npz] [--per-digit 60] [--per-style 30]
                                       [--per-kind 20] [--mnist DIR] [--threshold 0.6]

Then the writing styles of issues 11 and 22 (bench.drawn_digits.make_styled_digits): accuracy per
style and per digit on that set, through the canvas path (strokes) and the bitmap path (`predict`).
Then "not a digit" (issue 22, core.drawing.reading): the share of held-out non-digit drawings
(bench/non_digit_set.py) the app flags, per kind, and the share of digits it flags (drawn, styled,
and the MNIST test set with --mnist). A digit counts as read right only when it is not flagged
and its class is right ("read" columns); "top-1" ignores the flag.

Rows: digits 0-9 and overall; columns: preprocessing variants. 'full' and the ablations use
the vector strokes (what the canvas keeps); 'full (bitmap)' runs the same drawings through the
bitmap path (what `python main.py predict` does with a PNG); 'resize-only' shrinks the whole
280x280 canvas to the model's input size.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from bench.drawn_digits import make_drawn_digits, make_styled_digits  # noqa: E402
from bench.non_digit_set import KIND_GROUPS, make_non_digits  # noqa: E402
from core.drawing.reading import NOT_SURE_BELOW, drawing_too_small, flagged  # noqa: E402
from core.drawing.test_time import read_proba, turns_of  # noqa: E402
from core.files.model_io import load_model  # noqa: E402
from core.drawing.bitmap import prepare_image, resize_only  # noqa: E402
from core.drawing.geometry import FULL, Stages, geometry_for  # noqa: E402
from core.drawing.model_input import model_input  # noqa: E402
from core.drawing.strokes import prepare_strokes  # noqa: E402

DEFAULT_MODEL = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "resources", "default_model.npz")


def variants(geometry):
    """name -> function(sample) -> (H, W) image in [0, 1]."""
    def strokes_with(stages):
        return lambda s: prepare_strokes(s.strokes, geometry=geometry, stages=stages, brush_width=s.brush_width,
                                         canvas_size=(s.gray.shape[1], s.gray.shape[0]))
    table = {"resize-only": lambda s: resize_only(s.gray, geometry.out_shape),
             "full": strokes_with(FULL),
             "full (bitmap)": lambda s: prepare_image(s.gray, geometry=geometry)}
    for name in Stages.names():
        table[f"no {name}"] = strokes_with(Stages(**{name: False}))
    table["bitmap no thickness"] = lambda s: prepare_image(s.gray, geometry=geometry, stages=Stages(thickness=False))
    return table


def evaluate(network, metadata, samples, only=None):
    geometry = geometry_for(metadata["input_shape"])
    labels = np.array([s.label for s in samples])
    results = {}
    for name, prepare in variants(geometry).items():
        if only and name not in only:
            continue
        started = time.perf_counter()
        x = np.concatenate([model_input(prepare(s), metadata["normalisation"]) for s in samples])
        seconds = (time.perf_counter() - started) / len(samples)
        predicted = read_proba(network, metadata, x, geometry.out_shape).argmax(axis=1)
        results[name] = (predicted == labels, seconds)
    return labels, results


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", default=DEFAULT_MODEL)
    parser.add_argument("--per-digit", type=int, default=60)
    parser.add_argument("--per-style", type=int, default=30, help="drawings per (digit, style); 0 skips the styles")
    parser.add_argument("--per-kind", type=int, default=20, help="non-digit drawings per kind; 0 skips them")
    parser.add_argument("--mnist", metavar="DIR", help="also count flagged MNIST test digits (IDX folder)")
    parser.add_argument("--threshold", type=float, default=NOT_SURE_BELOW, help="the canvas's not-sure threshold")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args(argv)
    network, metadata = load_model(args.model)
    samples = make_drawn_digits(args.per_digit, seed=args.seed)
    labels, results = evaluate(network, metadata, samples)
    names = list(results)
    turns = turns_of(metadata)
    print(f"model {args.model} ({network.describe()}), {len(samples)} drawn digits, seed {args.seed}"
          + (f"; read with test-time turns of {turns:g} degrees (3 views averaged)" if turns else ""))
    width = max(len(n) for n in names) + 1
    print("digit".ljust(7) + "".join(n.rjust(width) for n in names))
    for digit in range(10):
        mask = labels == digit
        print(str(digit).ljust(7) + "".join(f"{100 * results[n][0][mask].mean():{width}.1f}" for n in names))
    print("all".ljust(7) + "".join(f"{100 * results[n][0].mean():{width}.1f}" for n in names))
    print("ms/img".ljust(7) + "".join(f"{1000 * results[n][1]:{width}.2f}" for n in names))
    print_flags("drawn digits", network, metadata, samples, args.threshold)
    if args.per_style:
        print_styles(network, metadata, args.per_style, args.seed, args.threshold)
    if args.mnist:
        print_mnist(network, metadata, args.mnist, args.threshold)
    if args.per_kind:
        print_non_digits(network, metadata, args.per_kind, args.seed, args.threshold)


def read_drawings(network, metadata, samples, threshold):
    """(top class (n,), flagged (n,) bool) as the canvas reads each drawing: blank and too-small
    drawings are flagged before the model; the rest by core.drawing.reading.flagged."""
    geometry = geometry_for(metadata["input_shape"])
    top = np.full(len(samples), -1)
    flags = np.ones(len(samples), bool)
    rows = [i for i, s in enumerate(samples)
            if s.strokes and not drawing_too_small(s.strokes, (s.gray.shape[1], s.gray.shape[0]))]
    if rows:
        x = np.concatenate([model_input(prepare_strokes(samples[i].strokes, geometry=geometry),
                                        metadata["normalisation"]) for i in rows])
        p = read_proba(network, metadata, x, geometry.out_shape)
        top[rows] = p.argmax(axis=1)
        flags[rows] = flagged(p, metadata["class_names"], threshold)
    return top, flags


def print_flags(title, network, metadata, samples, threshold):
    labels = np.array([s.label for s in samples])
    top, flags = read_drawings(network, metadata, samples, threshold)
    read = (top == labels) & ~flags
    print(f"{title}: flagged 'not a digit' or 'not sure' {100 * flags.mean():.1f}% ({flags.sum()} of {len(flags)}), "
          f"read right {100 * read.mean():.1f}%")


def print_mnist(network, metadata, folder, threshold):
    from core.data.datasets import load_dataset
    from core.data.normalise import to_float
    dataset, _ = load_dataset("mnist", folder, allow_fallback=False)
    x = to_float(dataset.test_images.reshape(len(dataset.test_labels), -1), metadata["normalisation"], network.dtype)
    p = read_proba(network, metadata, x, dataset.image_shape)
    top, flags = p.argmax(axis=1), flagged(p, metadata["class_names"], threshold)
    labels = dataset.test_labels
    print(f"\nMNIST test ({len(labels)}): top-1 {100 * (top == labels).mean():.2f}%, flagged {100 * flags.mean():.2f}% "
          f"({flags.sum()}), read right {100 * ((top == labels) & ~flags).mean():.2f}%")


def print_non_digits(network, metadata, per_kind, seed, threshold):
    samples = make_non_digits(per_kind, seed=seed)
    kinds = np.array([s.style for s in samples])
    _, flags = read_drawings(network, metadata, samples, threshold)
    print(f"\nnot a digit: {len(samples)} held-out drawings (bench/non_digit_set.py), {per_kind} per kind, seed {seed}; "
          f"flagged {100 * flags.mean():.1f}%")
    groups = np.array([KIND_GROUPS[k] for k in kinds])
    for group in dict.fromkeys(groups):
        mask = groups == group
        per = ", ".join(f"{k} {100 * flags[kinds == k].mean():.0f}" for k in dict.fromkeys(kinds[mask]))
        print(f"  {group:<13}{100 * flags[mask].mean():5.1f}%   ({per})")


def print_styles(network, metadata, per_style, seed, threshold=NOT_SURE_BELOW):
    samples = make_styled_digits(per_style, seed=seed)
    labels, results = evaluate(network, metadata, samples, only=("full", "full (bitmap)"))
    styles = np.array([s.style for s in samples])
    names = list(results)
    width = max(len(n) for n in names) + 1
    print(f"\nwriting styles: {len(samples)} drawings, {per_style} per digit and style, seed {seed}")
    print("style".ljust(22) + "digits".ljust(12) + "".join(n.rjust(width) for n in names))
    for style in dict.fromkeys(styles):
        mask = styles == style
        digits = "".join(str(d) for d in sorted(set(labels[mask].tolist())))
        print(style.ljust(22) + digits.ljust(12) + "".join(f"{100 * results[n][0][mask].mean():{width}.1f}" for n in names))
    print("per digit (styled set)")
    for digit in range(10):
        mask = labels == digit
        print(str(digit).ljust(34) + "".join(f"{100 * results[n][0][mask].mean():{width}.1f}" for n in names))
    print("all".ljust(34) + "".join(f"{100 * results[n][0].mean():{width}.1f}" for n in names))
    print_flags("styled digits", network, metadata, samples, threshold)


if __name__ == "__main__":
    main()
