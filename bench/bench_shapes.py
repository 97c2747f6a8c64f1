"""Drawn classes (issue 23): five shapes of our own drawing, learnt from a folder of images.

    python bench/bench_shapes.py [--per-class 20] [--held-out 60] [--transfer-per-class 10] [--seeds 5]
    python bench/bench_shapes.py --write DIR     # only write DIR/shapes and DIR/held_out for the commands:
    python main.py train --images DIR/shapes --out shapes.npz
    python main.py evaluate --model shapes.npz --images DIR/held_out

1. Target: 20 drawings per class of five shapes (core.drawing.shapes, training style), written as
   PNG files in an ImageFolder and read back as `train --images` reads them; trained with
   core.settings.drawings (the set-up of `train --images`) on all of them (no validation split);
   accuracy on held-out drawings of other sizes, slants, rotations and pen widths
   (core.drawing.shapes.HELD_OUT), and the training time (wall clock). Target: >= 95% within 30 s.
2. Transfer: 10 drawings per class; the digit model's network (resources/default_model.npz,
   output resized) trained from scratch, from the digit model's convolution layers frozen, and
   from them fine-tuned: the same epochs and the same batches (one seed per training set);
   accuracy on the held-out drawings, for several training sets, at two epoch budgets (20: a
   short run, where starting points matter most; 100: the drawn-classes set-up's own).
The same figures from the command line: see README ("Your own classes").
"""
import argparse
import sys
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from core.drawing.image_input import load_images_for_model  # noqa: E402
from core.drawing.shapes import HELD_OUT, TRAIN, make_shapes  # noqa: E402
from core.evaluation.evaluate import evaluate_network  # noqa: E402
from core.files.transfer import transfer_from_model  # noqa: E402
from core.settings.drawings import drawn_classes_config  # noqa: E402
from core.storage.resources import DEFAULT_MODEL_PATH  # noqa: E402
from core.training.trainers import make_trainer  # noqa: E402
from core.training.training_run import run_to_end  # noqa: E402


def write_folder(root, shapes):
    """The drawings as PNG files in root/<shape name>/NNN.png (dark ink on white, 280x280)."""
    for index, shape in enumerate(shapes):
        (root / shape.name).mkdir(parents=True, exist_ok=True)
        Image.fromarray(shape.gray).save(root / shape.name / f"{index:03d}.png")
    return root


def folder_dataset(root, per_class, seed, style=TRAIN):
    return load_images_for_model(write_folder(root, make_shapes(per_class, seed, style)), (28, 28), test_fraction=0)


def train_and_test(config, train, held_out, network=None):
    """(held-out accuracy, training seconds) of one run."""
    trainer = make_trainer(config, train, network=network)
    started = time.perf_counter()
    end = run_to_end(trainer)
    seconds = time.perf_counter() - started
    result = evaluate_network(end.network, held_out.train_images, held_out.train_labels, held_out.class_names,
                              config.normalisation)
    return result["accuracy"], seconds


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-class", type=int, default=20)
    parser.add_argument("--held-out", type=int, default=60, help="held-out drawings per class")
    parser.add_argument("--transfer-per-class", type=int, default=10)
    parser.add_argument("--transfer-epochs", default="20,100",
                        help="epoch budgets of the transfer comparison, comma-separated")
    parser.add_argument("--seeds", type=int, default=5, help="training sets (and initial weights) per comparison")
    parser.add_argument("--write", metavar="DIR", help="write DIR/shapes (the first training set) and DIR/held_out "
                        "as PNG folders for the command line, and stop")
    args = parser.parse_args(argv)
    if args.write:
        write_folder(Path(args.write) / "shapes", make_shapes(args.per_class, 0))
        write_folder(Path(args.write) / "held_out", make_shapes(args.held_out, 1000, HELD_OUT))
        print(f"wrote {Path(args.write) / 'shapes'} and {Path(args.write) / 'held_out'}")
        return
    config = drawn_classes_config(5, val_split=0)
    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        held_out = folder_dataset(tmp / "held_out", args.held_out, 1000, HELD_OUT)
        print(f"held out: {len(held_out.train_labels)} drawings ({', '.join(held_out.class_names)}) of other sizes, "
              f"slants, rotations and pen widths")
        print(f"\n1. {args.per_class} drawings per class, core.settings.drawings ({config.layers}, {config.epochs} epochs, "
              f"batch {config.batch_size}, augmentation)")
        print("seed  held-out accuracy  training s")
        for seed in range(args.seeds):
            train = folder_dataset(tmp / f"train{seed}", args.per_class, seed)
            accuracy, seconds = train_and_test(replace(config, seed=seed), train, held_out)
            print(f"{seed:4d}  {100 * accuracy:16.1f}%  {seconds:10.1f}")

        n = args.transfer_per_class
        smalls = [folder_dataset(tmp / f"small{seed}", n, 100 + seed) for seed in range(args.seeds)]
        for epochs in (int(e) for e in args.transfer_epochs.split(",")):
            compare_transfer(replace(config, epochs=epochs), smalls, held_out, n)


def compare_transfer(config, smalls, held_out, n):
    """One table: scratch, frozen and fine-tuned on each small training set, same epochs and batches."""
    print(f"\n2. {n} drawings per class, {config.epochs} epochs: scratch vs the digit model's conv layers "
          "(same network, epochs, batches)")
    print("seed  " + "".join(f"{name:>14}" for name in ("scratch", "frozen", "fine-tuned")) + "   (held-out %, s)")
    totals = {"scratch": [], "frozen": [], "fine-tuned": []}
    for seed, train in enumerate(smalls):
        base = replace(config, seed=seed)
        row = []
        for name in totals:
            network, run_config = transfer_from_model(DEFAULT_MODEL_PATH, train.n_classes, base,
                                                      freeze=name == "frozen")
            if name == "scratch":
                network = None      # the same stack, new weights drawn from the same seed
            accuracy, seconds = train_and_test(run_config, train, held_out, network)
            totals[name].append(accuracy)
            row.append(f"{100 * accuracy:7.1f} {seconds:5.1f}s")
        print(f"{seed:4d}  " + "".join(f"{cell:>14}" for cell in row))
    print("mean  " + "".join(f"{100 * np.mean(values):13.1f}%" for values in totals.values()))


if __name__ == "__main__":
    main()
