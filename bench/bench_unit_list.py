"""How fast the unit list (Weights tab) answers, and what a click on a unit then costs, in the app
(real widgets, offscreen) with the shipped default model (a CNN) on MNIST.

    QT_QPA_PLATFORM=offscreen python bench/bench_unit_list.py [--repeats 5]

Reported, medians of --repeats:
  list cold     new weights (an epoch end, a model opened) until the list of layer 3 (dense1, 128
                units) is coloured: the worker's one forward pass over the validation images
                (every layer's activations, kept for the cards) + drawing
  card after    a click on a unit of the listed layer until its card is shown: warm, the list's
                pass already made the activations (worker: ranking and ablation; drawing)
  other layer   choosing another layer (conv1) until it is coloured: no new pass
  cells draw    the GUI-thread part alone: rebuilding the 128 cells (and 1,024 cells of a
                synthetic layer, the largest a user is likely to make)
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


def wait_for(app, signal, action, wanted=lambda *args: True, timeout=120.0):
    """Run action, process events until signal fires with arguments that wanted(*args) accepts;
    returns the time it fired."""
    fired = []

    def on_signal(*args):
        if wanted(*args):
            fired.append(time.perf_counter())

    signal.connect(on_signal)
    action()
    deadline = time.perf_counter() + timeout
    while not fired and time.perf_counter() < deadline:
        app.processEvents()
        time.sleep(0.001)
    signal.disconnect(on_signal)
    if not fired:
        raise TimeoutError(f"no answer ({getattr(signal, '__self__', None)})")
    return fired[0]


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    from PyQt5.QtWidgets import QApplication
    app = QApplication.instance() or QApplication([])
    from core.analysis.neuron import LayerSummary, weights_version
    from core.storage.resources import DEFAULT_MODEL_PATH
    from gui.inspect.card_data import SummaryData
    from gui.shell.file_actions import open_model
    from gui.shell.main_window import MainWindow
    from gui.ground.theme import apply_theme
    apply_theme(app)
    window = MainWindow(restore_settings=False)
    window.show()
    window.set_dataset(load_mnist())
    network = open_model(window, str(DEFAULT_MODEL_PATH))
    window.tabs.setCurrentIndex(1)
    units = window.tabs.unit_list
    units.select_layer(3)
    n_images = len(window.model_info.val_labels)
    figures = {"list cold": [], "card after": [], "other layer": [], "cells draw 128": [], "cells draw 1024": []}
    for r in range(args.repeats):
        units.select_layer(3)
        wait_for(app, window.inspect.units.jobs.idle, lambda: None) if units.jobs.busy else None
        changed = network.copy()
        changed.params[1][0] += 1e-6 * (r + 1)          # a new weights version, as after an epoch
        version = weights_version(changed)
        start = time.perf_counter()
        window.state.network = changed
        end = wait_for(app, units.summary_shown, window.inspect.model_changed,
                       lambda data: data.version == version and data.summary.layer == 3)
        figures["list cold"].append(end - start)
        start = time.perf_counter()
        window.inspect.open_card(3, r)                   # what a click on cell r does
        card = window.inspect.card
        figures["card after"].append(wait_for(app, card.shown, lambda: None,
                                              lambda data: data.version == version) - start)
        start = time.perf_counter()
        figures["other layer"].append(wait_for(app, units.summary_shown, lambda: units.select_layer(1),
                                               lambda data: data.summary.layer == 1) - start)
        for n, key in ((128, "cells draw 128"), (1024, "cells draw 1024")):
            if n != 128:                                 # a synthetic layer of 1,024 units, drawn only
                saved = units.layers, units.data
                fake = units.layers[-1].__class__(9, 0, 0, False, n, "dense_big")
                units.layers = [fake]
                silent = np.where(np.random.rand(n) < 0.1, 1.0, np.random.rand(n))     # about 10% dead
                units.data = SummaryData(LayerSummary(9, "dense_big", False, np.random.rand(n), silent,
                                                      silent == 1, n_images), "", "synthetic")
                units.layer_combo.blockSignals(True)
                units.layer_combo.setCurrentIndex(0)
                units.layer_combo.blockSignals(False)
            start = time.perf_counter()
            units._draw_cells()
            figures[key].append(time.perf_counter() - start)
            if n != 128:
                units.layers, units.data = saved
    print(f"default model, {n_images:,} validation images: " + "   ".join(
        f"{key} {median(values) * 1000:7.1f} ms" for key, values in figures.items()) + f"   (median of {args.repeats})")
    window.close()


if __name__ == "__main__":
    main()
