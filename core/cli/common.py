"""Argument helpers shared by the sub-commands (data location, dataset choice, JSON output)."""
import json
import math
import sys

import numpy as np

from core.data.datasets import load_dataset


def add_data_arguments(parser):
    parser.add_argument("--data", metavar="DIR", help="folder with the MNIST-layout IDX files, or a .mat file "
                        "(default: $DIGITLAB_DATA, else the user data folder)")
    parser.add_argument("--dataset", choices=("mnist", "digits", "idx", "fashion-mnist", "kmnist", "emnist", "mat"),
                        default="mnist",
                        help="mnist (falls back to the built-in digits if absent, unless --data names a folder), "
                             "digits (built-in 8x8, offline), idx (any folder in MNIST's layout; needs --data), "
                             "fashion-mnist / kmnist (IDX folders with their class names; need --data), emnist "
                             "(EMNIST's IDX files and mapping file, e.g. letters; --data DIR), or mat "
                             "(a MATLAB file in the layout of Ng's ex4: X and y; --data FILE.mat)")
    parser.add_argument("--no-fallback", action="store_true",
                        help="fail instead of using the built-in digits when MNIST is not found")


def load_data(args):
    """The Dataset the arguments name; a fallback notice goes to stderr.

    A folder the user named with --data is taken at its word: if MNIST is not there, that is an
    error, not a quiet switch to the 8x8 digits (a typo would otherwise train on the wrong data).
    """
    name = args.dataset
    if args.data and str(args.data).lower().endswith(".mat") and name in ("mnist", "idx"):
        name = "mat"
    fallback = not args.no_fallback and not args.data
    dataset, notice = load_dataset(name, args.data, allow_fallback=fallback)
    if notice:
        print(f"note: {notice}", file=sys.stderr)
    return dataset


def json_safe(value):
    """value with NaN/inf replaced by None and NumPy types made plain, so json.dumps writes
    strict JSON (a bare NaN breaks most parsers)."""
    if isinstance(value, dict):
        return {str(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [json_safe(v) for v in value]
    if isinstance(value, np.ndarray):
        return json_safe(value.tolist())
    if isinstance(value, np.generic):
        value = value.item()
    if isinstance(value, float) and not math.isfinite(value):
        return None
    return value


def print_json(value):
    print(json.dumps(json_safe(value), allow_nan=False))
