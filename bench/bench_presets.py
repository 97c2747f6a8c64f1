"""Train every preset on full MNIST and print test accuracy and training time as a markdown table.

    python bench/bench_presets.py [--data ../shared/data/mnist] [--only NAME ...] [--quick]

--quick trains on 20,000 images (a smoke run, figures not representative). Times are training
seconds as the trainer reports them (data loading and downscaling excluded) and wall seconds
for the whole preset (downscaling and the per-epoch test evaluation included).
"""
import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from core.data.datasets import load_idx_folder  # noqa: E402
from core.data.transforms import subsample  # noqa: E402
from core.evaluation.evaluate import evaluate_network  # noqa: E402
from core.settings.presets import PRESETS, get_preset  # noqa: E402
from core.training.training_run import run_to_end  # noqa: E402
from core.training.trainers import make_trainer, prepare_dataset  # noqa: E402


def bench_preset(name, mnist):
    config = get_preset(name).config
    started = time.perf_counter()
    dataset = prepare_dataset(config, mnist)
    trainer = make_trainer(config, dataset, test_images=dataset.test_images, test_labels=dataset.test_labels)
    end = run_to_end(trainer)
    wall = time.perf_counter() - started
    test = evaluate_network(end.network, dataset.test_images, dataset.test_labels, trainer.class_names,
                            config.normalisation, config.positive_class)
    notes = []
    if config.is_binary:
        positive = test["report"]["classes"][1]
        notes.append(f"{positive['name']} vs rest: F1 {positive['f1']:.4f}, "
                     f"confusion {test['confusion'].tolist()}")
    curve = end.history.get("test_accuracy", [])
    if len(curve) > 1:
        notes.append(f"test acc per epoch {curve[0]:.3f} -> {curve[-1]:.3f} ({len(curve)} epochs)")
    if end.reason != "finished":
        notes.append(end.reason)
    return {"name": name, "network": end.network.describe(), "steps": end.step,
            "train_seconds": end.elapsed, "wall_seconds": wall, "test_accuracy": test["accuracy"],
            "notes": "; ".join(notes)}


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", default=str(ROOT.parent / "shared" / "data" / "mnist"))
    parser.add_argument("--only", nargs="*", help="preset names (default: all)")
    parser.add_argument("--quick", action="store_true", help="20,000 training images (smoke run)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as cache:
        mnist = load_idx_folder(args.data, name="mnist", cache_dir=cache)
    if args.quick:
        mnist = subsample(mnist, 20000, 2000)
    names = args.only or list(PRESETS)
    print(f"MNIST: {len(mnist.train_labels):,} training / {len(mnist.test_labels):,} test images", file=sys.stderr)
    rows = []
    for name in names:
        row = bench_preset(name, mnist)
        print(f"{name}: {row['test_accuracy']:.4f} in {row['train_seconds']:.1f} s", file=sys.stderr)
        rows.append(row)
    print("| preset | network | steps | test accuracy | training s | wall s | notes |")
    print("| --- | --- | ---: | ---: | ---: | ---: | --- |")
    for r in rows:
        print(f"| {r['name']} | {r['network']} | {r['steps']:,} | {r['test_accuracy']:.4f} | "
              f"{r['train_seconds']:.1f} | {r['wall_seconds']:.1f} | {r['notes']} |")


if __name__ == "__main__":
    main()
