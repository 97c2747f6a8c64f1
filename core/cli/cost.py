"""`python main.py cost`: ex4's regularised cost and accuracy of given weights on a .mat data file.

    python main.py cost --data ex4data1.mat --weights ex4weights.mat --l2 1 --json
    {"cost": 0.38376985..., "accuracy": 0.9752, ...}

The data's raw float X is used unchanged (no uint8 rounding), so the figures match ex4's:
0.287629 without regularisation and 0.383770 with lambda = 1 on the course's own files.
"""
import json

import numpy as np

from core.errors import ConfigError
from core.data.matfiles import load_mat_examples, load_thetas, thetas_to_network


def register(subparsers):
    p = subparsers.add_parser("cost", help="ex4 cost and accuracy of .mat weights on .mat data",
                              description="Cost J (mean cross-entropy summed over the output units, plus "
                                          "lambda/(2m) * the squared non-bias weights) and accuracy of "
                                          "weights Theta1, Theta2, ... on data X, y, both MATLAB .mat files "
                                          "in the layout of Andrew Ng's ex4.")
    p.add_argument("--data", required=True, metavar="DATA.mat", help="X (m x pixels, column-major images), y (1..10)")
    p.add_argument("--weights", required=True, metavar="WEIGHTS.mat", help="Theta1, Theta2, ... (bias in column 1)")
    p.add_argument("--l2", type=float, default=0.0, metavar="LAMBDA", help="regularisation lambda (default 0)")
    p.add_argument("--activation", default="sigmoid", help="hidden units (ex4: sigmoid)")
    p.add_argument("--output", default="sigmoid", choices=("sigmoid", "softmax"),
                   help="output units (ex4: sigmoid, each with its own cross-entropy)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def compute_cost(data_path, weights_path, l2=0.0, activation="sigmoid", output="sigmoid"):
    """dict(cost, data_cost, accuracy, n_examples, l2, network) for .mat data and weights."""
    if l2 < 0:
        raise ConfigError(f"--l2 must be >= 0 (got {l2})")
    X, digits, image_shape = load_mat_examples(data_path)
    network = thetas_to_network(load_thetas(weights_path), image_shape, activation=activation, output=output)
    if network.n_inputs != X.shape[1]:
        raise ConfigError(f"the weights take {network.n_inputs} inputs but the data has {X.shape[1]} per example")
    if digits.size and digits.max() >= network.n_outputs:
        raise ConfigError(f"the data has digit {digits.max()} but the weights have {network.n_outputs} output units")
    targets = network.targets(digits)
    cost = network.cost(X, targets, l2)
    data_cost = network.cost(X, targets) if l2 else cost
    accuracy = float(np.mean(network.predict(X) == digits)) if len(digits) else float("nan")
    return {"cost": float(cost), "data_cost": float(data_cost), "accuracy": accuracy,
            "n_examples": int(len(digits)), "l2": float(l2), "network": network.describe()}


def run(args):
    result = compute_cost(args.data, args.weights, args.l2, args.activation, args.output)
    if args.json:
        print(json.dumps(result))
    else:
        print(f"cost {result['cost']:.6f} (lambda {result['l2']:g}; without regularisation "
              f"{result['data_cost']:.6f}), accuracy {result['accuracy']:.4f} on {result['n_examples']} "
              f"examples, network {result['network']}")
    return 0
