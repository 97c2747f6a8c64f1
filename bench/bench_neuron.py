"""How long a neuron card takes to open, on the 10,000 MNIST test images.

    python bench/bench_neuron.py [--repeats 5] [--hidden 128]

A 784-H-10 ReLU MLP is trained for one epoch on 20,000 training images first (so activations
and ablations look like a real model's). Reported, median of --repeats runs each:
  open lab   NeuronLab(...): the validation images to floats and a hash of the weights (once per
             data set; the app keeps the lab)
  cold card  new weights (a new version, as after an epoch): the layer's activations for all
             images, the baseline predictions, then the card with its ablation
  warm card  another unit with the same weights (cached activations): ranking, means, ablation
  other layer  right after the cold card, a unit of another hidden layer (the last one): one
             forward pass now caches every layer, so no new pass is needed
Also the same for the shipped default model (a CNN). Each figure is also measured, in the same
run, for a baseline lab using the earlier algorithm (ReferenceLab: a pass keeps only the layer
asked for, ablation re-runs every layer above); "x" is baseline / now. The baseline runs on
today's code otherwise (it also refills old arrays), so it is a little faster than the code
before the change was. Timings on a shared 2-core machine are noisy.
"""
import argparse
import time


from _common import load_mnist, median

from core.analysis.neuron import NeuronLab
from core.analysis.probe import hidden_layer, hidden_layers
from core.data.normalise import to_float
from core.files.model_io import load_model
from core.storage.resources import DEFAULT_MODEL_PATH
from core.nn.network import Network
from core.training.blas import limited_blas_threads
from core.training.optim import make_optimizer


def trained_mlp(dataset, hidden):
    network = Network((784, hidden, 10), seed=0)
    x, y = to_float(dataset.train_images[:20000]), network.targets(dataset.train_labels[:20000])
    optimizer = make_optimizer("momentum", network.params)
    for i in range(0, len(x), 128):
        optimizer.step(network.loss_and_gradients(x[i:i + 128], y[i:i + 128])[1], 0.05)
    return network


def timed(function):
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


class ReferenceLab(NeuronLab):
    """The earlier algorithm (the baseline): one layer per pass, ablation by re-running."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.keep_all_bytes = 0                 # one pass keeps only the layer asked for

    def ablate(self, layer, unit):
        return self.ablate_reference(layer, unit)


def measure(name, network, dataset, repeats):
    """Cold, warm and other-layer cards of NeuronLab and of the ReferenceLab baseline, the two
    interleaved repeat by repeat (so both see the same load on a shared machine)."""
    images, labels = dataset.test_images, dataset.test_labels
    kinds = {"now": NeuronLab, "before": ReferenceLab}
    times = {kind: {"open lab": [], "cold card": [], "warm card": [], "other layer": []} for kind in kinds}
    labs = {kind: lab_class(network, images, labels) for kind, lab_class in kinds.items()}
    units = hidden_layer(network, 1).units
    last = hidden_layers(network)[-1]
    for r in range(repeats):
        changed = network.copy()
        changed.params[1][0] += 1e-6 * (r + 1)          # a new weights version, as after an epoch
        for kind, lab in labs.items():
            figures = times[kind]
            figures["open lab"].append(timed(lambda: kinds[kind](network, images, labels))[0])
            seconds, card = timed(lambda: (lab.set_network(changed), lab.card(1, r % units))[1])
            figures["cold card"].append(seconds)
            figures["warm card"].append(timed(lambda: lab.card(1, (r + 7) % units))[0])
            figures["other layer"].append(timed(lambda: lab.card(last.number, r % last.units))[0])
    now, before = times["now"], times["before"]
    figures = "   ".join(f"{key} {median(now[key]) * 1000:7.1f} ms (x{median(before[key]) / median(now[key]):4.1f})"
                         for key in now)
    print(f"{name}: {figures}   (median of {repeats}; accuracy {card.ablation.accuracy_before:.2%})")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--hidden", type=int, default=128)
    args = parser.parse_args(argv)
    dataset = load_mnist()
    with limited_blas_threads():     # as the app's worker threads run
        measure(f"784-{args.hidden}-10 MLP", trained_mlp(dataset, args.hidden), dataset, args.repeats)
        measure("default model", load_model(DEFAULT_MODEL_PATH)[0], dataset, args.repeats)


if __name__ == "__main__":
    main()
