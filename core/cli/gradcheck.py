"""`python main.py gradcheck`: backprop against central differences on a small real batch."""
import itertools
import json

import numpy as np

from core.nn.activations import ACTIVATIONS
from core.settings.config import parse_hidden_sizes
from core.data.datasets import load_digits
from core.errors import ConfigError
from core.nn.gradcheck import gradient_check, move_biases_off_zero
from core.nn.layer_spec import describe_stack, mlp_specs, parse_layers
from core.nn.memory import check_fits, training_bytes
from core.nn.network import Network
from core.data.normalise import to_float

COMBINATIONS = [("cross_entropy", "softmax"), ("mse", "softmax"), ("mse", "sigmoid"), ("cross_entropy", "sigmoid")]


def register(subparsers):
    p = subparsers.add_parser("gradcheck", help="check backprop against numerical gradients",
                              description="Compare backpropagation's gradients with central differences "
                                          "(float64) on a few built-in 8x8 digits, for a fully connected network "
                                          "(--hidden) or any layer stack (--layers).")
    p.add_argument("--hidden", default="16", metavar="SIZES", help="hidden layer sizes (default 16)")
    p.add_argument("--layers", default="", metavar="STACK",
                   help="check this layer stack instead of --hidden, e.g. conv4x3,pool2,conv6x3v,dropout0.2,"
                        "dense16,dense10 (the 8x8 digits are small: keep pooling to one or two 2x2 layers)")
    p.add_argument("--activation", default="sigmoid", choices=tuple(ACTIVATIONS))
    p.add_argument("--loss", default="cross_entropy", choices=("cross_entropy", "mse"))
    p.add_argument("--output", default="softmax", choices=("softmax", "sigmoid"))
    p.add_argument("--l2", type=float, default=0.0)
    p.add_argument("--samples", type=int, default=8, help="examples in the batch (default 8)")
    p.add_argument("--epsilon", type=float, default=1e-5)
    p.add_argument("--tolerance", type=float, default=1e-6)
    p.add_argument("--all", action="store_true", help="every activation with every loss/output pair")
    p.add_argument("--json", action="store_true")
    p.set_defaults(run=run)


def run(args):
    if not args.epsilon > 0 or args.samples < 1 or not args.tolerance > 0:
        raise ConfigError("--epsilon and --tolerance must be > 0 and --samples >= 1 "
                          f"(got {args.epsilon}, {args.tolerance}, {args.samples})")
    digits = load_digits()
    x = to_float(digits.train_images[:args.samples], dtype=np.float64)
    labels = digits.train_labels[:len(x)]
    hidden = parse_hidden_sizes(args.hidden)
    specs = parse_layers(args.layers) if args.layers else None
    if specs is not None:
        describe_stack(specs, digits.image_shape)   # ConfigError explaining a stack that cannot work
        if specs[-1].size != 10:
            raise ConfigError(f"the output layer must be dense10 for the ten digits (got {specs[-1].text()})")
    stack = specs if specs is not None else mlp_specs(hidden, 10)
    check_fits(training_bytes(stack, digits.image_shape, len(x), itemsize=8, slots=0),
               f"checking {args.layers or '-'.join(map(str, (x.shape[1], *hidden, 10)))}",
               hint="gradient checks are for small networks: use a few units or filters")
    combos = (list(itertools.product(ACTIVATIONS, COMBINATIONS)) if args.all
              else [(args.activation, (args.loss, args.output))])
    results, all_passed = [], True
    for activation, (loss, output) in combos:
        if specs is None:
            net = Network((x.shape[1], *hidden, 10), activation, loss, output, dtype=np.float64, seed=0)
        else:
            net = Network.from_layers(specs, digits.image_shape, activation, loss, output, dtype=np.float64, seed=0)
        move_biases_off_zero(net)
        result = gradient_check(net, x, net.targets(labels), l2=args.l2, epsilon=args.epsilon,
                                tolerance=args.tolerance)
        all_passed &= result.passed
        results.append({"activation": activation, "loss": loss, "output": output, "passed": result.passed,
                        "max_relative_error": result.max_relative_error,
                        "params": {p.name: p.relative_error for p in result.params}})
        if not args.json:
            verdict = "PASS" if result.passed else "FAIL"
            details = ", ".join(f"{p.name} {p.relative_error:.1e}" for p in result.params)
            print(f"{verdict}  {activation:>10} {output:>7} + {loss:<13} max rel. error "
                  f"{result.max_relative_error:.2e}  ({details})")
    if args.json:
        print(json.dumps({"passed": all_passed, "tolerance": args.tolerance, "results": results}))
    elif not all_passed:
        print(f"gradient check FAILED (tolerance {args.tolerance:g})")
    return 0 if all_passed else 1
