"""What the Draw tab's look-inside views and the step-through dialog cost, split into the worker
thread's computation and the GUI thread's drawing of the result (the part that could stall).

    QT_QPA_PLATFORM=offscreen python bench/bench_look_inside.py [--images 20] [--repeats 5]

- evidence: compute_evidence (copy of the network + the map) for the shipped default model on
  --images MNIST test digits, integrated gradients and gradient x input; occlusion on the 'cnn'
  preset's layers (untrained: the time does not depend on the weights). GUI: EvidenceView showing a map.
- fool it: compute_fool towards the runner-up digit; GUI: FoolView showing the result.
- step-through: first step (tiny preset, built-in digits) and a next step for batch sizes 4 and 64,
  and a 784-12-10 network on MNIST with batch 64 (the largest tables: 784 pixels x 64 examples);
  GUI: a record shown (the visible page fills; the others when they are shown).
Medians (and the worst) over all runs; timings on a shared 2-core machine are noisy.
"""
import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from _common import load_mnist  # noqa: E402

from PyQt5.QtWidgets import QApplication  # noqa: E402


def timed(fn, repeats):
    """(median ms, worst ms, last result) of fn() run ``repeats`` times."""
    times, result = [], None
    for _ in range(repeats):
        start = time.perf_counter()
        result = fn()
        times.append((time.perf_counter() - start) * 1000)
    return float(np.median(times)), float(np.max(times)), result


def report(name, median_ms, worst_ms):
    print(f"{name:<58} median {median_ms:8.2f} ms   worst {worst_ms:8.2f} ms")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=20)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from core.data.datasets import load_digits
    from core.files.model_io import load_model
    from core.storage.resources import DEFAULT_MODEL_PATH
    from core.nn.network import Network
    from core.settings.config import TrainConfig
    from core.settings.presets import get_preset
    from gui.draw.evidence_view import EvidenceView, compute_evidence
    from gui.draw.fool_view import FoolView, compute_fool
    from gui.inspect.step_through_dialog import StepThroughDialog, first_step, next_step
    from gui.ground.theme import apply_theme
    apply_theme(app)

    network, metadata = load_model(DEFAULT_MODEL_PATH)
    mnist = load_mnist()
    images = mnist.test_images[:args.images].astype(np.float32) / 255
    cnn = Network.from_layers(get_preset("cnn").config.layers, (28, 28), seed=0)
    print(f"default model {network.describe()}; cnn {cnn.describe()}; {len(images)} MNIST test digits")

    def over_images(fn):
        runs = [timed(lambda image=image: fn(image), args.repeats) for image in images]
        return float(np.median([r[0] for r in runs])), float(np.max([r[1] for r in runs])), runs[-1][2]

    for method in ("integrated_gradients", "gradient_x_input"):
        med, worst, evidence = over_images(lambda im: compute_evidence(network, im, "zero_one", method))
        report(f"worker: evidence, {method}, default model", med, worst)
    med, worst, _ = over_images(lambda im: compute_evidence(cnn, im, "zero_one", "occlusion"))
    report("worker: evidence, occlusion, cnn preset layers", med, worst)

    view = EvidenceView()
    view.resize(950, 300)
    view.show()
    app.processEvents()
    view.image = images[-1]
    med, worst, _ = timed(lambda: (view._show(0, evidence), app.processEvents()), args.repeats * 4)
    report("GUI thread: evidence map shown (and repainted)", med, worst)

    def runner_up(image):
        p = network.predict_proba(image.reshape(1, -1))[0]
        return int(np.argsort(p)[-2])

    med, worst, outcome = over_images(lambda im: compute_fool(network, im, "zero_one", runner_up(im), "linf"))
    report("worker: fool it (L-inf 0.3) towards the runner-up, default model", med, worst)
    fool_view = FoolView()
    fool_view.resize(950, 300)
    fool_view.show()
    app.processEvents()
    med, worst, _ = timed(lambda: (fool_view._show(0, outcome), app.processEvents()), args.repeats * 4)
    report("GUI thread: fool it result shown (and repainted)", med, worst)

    digits = load_digits()
    for batch in (4, 64):
        config = get_preset("numerical-gradients-tiny").config
        med, worst, (stepper, record, stages) = timed(lambda: first_step(config, lambda: digits, batch), args.repeats)
        report(f"worker: step-through first step, tiny preset, batch {batch}", med, worst)
        med, worst, _ = timed(lambda: next_step(stepper, batch), args.repeats)
        report(f"worker: step-through next step, tiny preset, batch {batch}", med, worst)
    wide = TrainConfig(hidden_sizes=(12,), batch_size=64, optimizer="sgd")
    med, worst, (stepper, record, stages) = timed(lambda: first_step(wide, lambda: mnist, 64), args.repeats)
    report(f"worker: step-through first step, {record['network'].split(',')[0]} on MNIST, batch 64", med, worst)
    dialog = StepThroughDialog(lambda key: (wide, lambda: mnist))
    dialog.resize(1400, 900)
    dialog.show()
    app.processEvents()
    med, worst, _ = timed(lambda: (dialog._show((stepper, record, stages)), app.processEvents()), args.repeats)
    report("GUI thread: a step shown (forward page: 784 x 64 input table)", med, worst)
    dialog.tabs.setCurrentIndex(4)
    med, worst, _ = timed(lambda: (dialog._show((stepper, record, stages)), app.processEvents()), args.repeats)
    report("GUI thread: a step shown (update page: 9,538 parameter rows)", med, worst)


if __name__ == "__main__":
    main()
