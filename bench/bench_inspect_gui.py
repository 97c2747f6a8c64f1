"""How fast the neuron card and the Map tab answer in the app (real widgets, offscreen).

    QT_QPA_PLATFORM=offscreen python bench/bench_inspect_gui.py [--repeats 5] [--hidden 128]

A 784-H-10 ReLU MLP is trained for one epoch on 20,000 MNIST training images; the card and the
map look at the 10,000 MNIST test images (as the issue asks). Reported, medians of --repeats:
  card cold   open_card after new weights (an epoch end): worker (activations of all images,
              baseline, card, ablation, per-digit figures) + drawing, until the card's `shown`
  card warm   another unit, same weights (cached activations) until `shown`
  map         the Map tab's PCA of 2,000 images: worker + drawing, until `map_ready`
  map draw    the GUI-thread part alone: moving 2,000 points and the range (no paint)
  marker      one drawing through the network and onto the map (GUI thread)
Timings on a shared 2-core machine are noisy; the lead re-measures.
"""
import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

import numpy as np  # noqa: E402

from _common import load_mnist, median  # noqa: E402
from bench_neuron import trained_mlp  # noqa: E402


def wait_for(app, signal, start):
    got = []
    signal.connect(lambda *args: got.append(time.perf_counter()))
    start()
    while not got:
        app.processEvents()
        time.sleep(0.0005)
    return got[0]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=128)
    args = parser.parse_args()
    from gui.shell.app import create_app
    from gui.inspect.context import InspectContext
    from gui.inspect.embedding_view import EmbeddingView
    from gui.inspect.neuron_card import NeuronCardWindow
    app = create_app([])
    dataset = load_mnist()
    network = trained_mlp(dataset, args.hidden)
    images, labels = dataset.test_images, dataset.test_labels
    contexts = []

    def context_for(net):
        return InspectContext(net, images, labels, labels, "zero_one", "bench", 1, id(images))

    current = [context_for(network)]
    card = NeuronCardWindow(lambda: current[0])
    card.resize(1060, 720)
    cold, warm = [], []
    for r in range(args.repeats + 1):
        changed = network.copy()
        changed.params[1][0] += 1e-6 * (r + 1)          # new weights, as after an epoch
        current[0] = context_for(changed)
        start = time.perf_counter()
        end = wait_for(app, card.shown, lambda: card.open_card(1, r % args.hidden))
        if r:                                             # the first builds the lab (once per data set)
            cold.append(end - start)
        start = time.perf_counter()
        warm.append(wait_for(app, card.shown, lambda: card.open_card(1, (r + 7) % args.hidden)) - start)
    print(f"card cold {median(cold) * 1000:7.1f} ms   card warm {median(warm) * 1000:7.1f} ms   "
          f"({args.hidden} units, {len(images):,} images, median of {args.repeats}; target <= 200 ms)")
    card.shutdown()

    view = EmbeddingView(lambda: current[0])
    view.resize(990, 800)
    view.show()
    maps, draws, markers = [], [], []
    drawing = images[0].astype(np.float32) / 255
    for r in range(args.repeats + 1):
        start = time.perf_counter()
        end = wait_for(app, view.map_ready, view.recompute)
        start_draw = time.perf_counter()
        view._draw(view.data.pca.points, view.data)
        draws.append(time.perf_counter() - start_draw)
        start_marker = time.perf_counter()
        view.set_drawing(images[r + 1].astype(np.float32) / 255 if r % 2 else drawing)
        markers.append(time.perf_counter() - start_marker)
        if r:
            maps.append(end - start)
    print(f"map (PCA of {len(view.data.indices):,} images) {median(maps) * 1000:7.1f} ms   "
          f"map draw {median(draws) * 1000:5.1f} ms   marker {median(markers) * 1000:5.2f} ms "
          f"(median of {args.repeats})")
    view.shutdown()
    contexts.clear()


if __name__ == "__main__":
    main()
