"""Argument helpers shared by the sub-commands (data location, dataset choice)."""
import sys

from core.datasets import load_dataset


def add_data_arguments(parser):
    parser.add_argument("--data", metavar="DIR", help="folder with the MNIST-layout IDX files "
                        "(default: $DIGITLAB_DATA, else the user data folder)")
    parser.add_argument("--dataset", choices=("mnist", "digits", "idx", "fashion-mnist", "kmnist"), default="mnist",
                        help="mnist (falls back to the built-in digits if absent), digits (built-in 8x8, "
                             "offline), idx (any folder in MNIST's layout; needs --data), or fashion-mnist / kmnist (IDX folders with their class names; need --data)")
    parser.add_argument("--no-fallback", action="store_true",
                        help="fail instead of using the built-in digits when MNIST is not found")


def load_data(args):
    """The Dataset the arguments name; a fallback notice goes to stderr."""
    dataset, notice = load_dataset(args.dataset, args.data, allow_fallback=not args.no_fallback)
    if notice:
        print(f"note: {notice}", file=sys.stderr)
    return dataset
