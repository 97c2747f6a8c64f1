"""`python main.py gradspeed`: how much faster backpropagation is than numerical gradients."""
import json

import numpy as np

from core.settings.config import parse_hidden_sizes
from core.errors import ConfigError
from core.nn.network import Network
from core.nn.numerical_training import measure_gradient_speed
from core.settings.presets import PRESETS, get_preset
from core.training.training_run import build_network
from core.training.trainers import image_size


def register(subparsers):
    p = subparsers.add_parser("gradspeed", help="time backprop against numerical gradients",
                              description="Time one gradient of a network by backpropagation and by central "
                                          "differences (2 forward passes per parameter) on a random batch. "
                                          "For big networks the numerical time is measured on a sample of "
                                          "parameters and scaled up.")
    p.add_argument("--preset", help=f"use this preset's network ({', '.join(PRESETS)})")
    p.add_argument("--layers", default="784,30,10", metavar="SIZES",
                   help="layer sizes including inputs and outputs when no preset is given (default 784,30,10)")
    p.add_argument("--batch-size", type=int, default=32, metavar="N")
    p.add_argument("--max-params", type=int, default=300, metavar="N",
                   help="time at most N parameters numerically and extrapolate (default 300)")
    p.add_argument("--json", action="store_true", help="print one JSON object")
    p.set_defaults(run=run)


def network_for(args):
    if args.preset:
        config = get_preset(args.preset).config
        size = image_size(config) or (28, 28)
        return build_network(config, size[0] * size[1], 10)
    sizes = parse_hidden_sizes(args.layers)
    if len(sizes) < 2:
        raise ConfigError(f"--layers needs at least inputs and outputs, like 784,30,10 (got {args.layers!r})")
    return Network(sizes, "sigmoid", "cross_entropy", "softmax")


def run(args):
    if args.batch_size < 1 or args.max_params < 1:
        raise ConfigError(f"--batch-size and --max-params must be >= 1 (got {args.batch_size}, {args.max_params})")
    network = network_for(args)
    rng = np.random.default_rng(0)
    batch = args.batch_size
    x = rng.random((batch, network.n_inputs))
    y = network.targets(rng.integers(0, network.n_classes if not network.is_binary else 2, batch))
    result = measure_gradient_speed(network, x, y, max_numerical_params=args.max_params)
    result["network"] = network.describe()
    if args.json:
        print(json.dumps(result))
    else:
        estimated = " (estimated from %d parameters)" % result["numerical_params_timed"] if result["numerical_estimated"] else ""
        print(f"{result['network']}, {result['n_params']:,} parameters, batch {result['batch_size']}:\n"
              f"  backpropagation      {result['backprop_seconds'] * 1e3:12.3f} ms per gradient\n"
              f"  numerical gradients  {result['numerical_seconds'] * 1e3:12.3f} ms per gradient{estimated}\n"
              f"  backpropagation is {result['speedup']:,.0f} times faster")
    return 0
