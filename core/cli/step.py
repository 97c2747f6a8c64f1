"""`python main.py step --preset P --batch-size N [--steps K] --json`: one training update stage by
stage (core.analysis.step_through): forward values (z and a of every layer), the loss, the
backward pass (every delta and gradient), central-difference checks of chosen gradients and the
update with weights before and after. --json prints one JSON object per step (one per line),
for handouts; without it a short readable summary per step.
"""
import numpy as np

from core.analysis.step_through import StepThrough
from core.cli.common import add_data_arguments, load_data, print_json
from core.errors import ConfigError
from core.settings.presets import get_preset
from core.training.trainers import prepare_dataset


def register(subparsers):
    p = subparsers.add_parser("step", help="one training update, stage by stage (small networks)",
                              description="Show one mini-batch update of a small network stage by stage.")
    p.add_argument("--preset", default="numerical-gradients-tiny", help="training preset (default: numerical-gradients-tiny)")
    p.add_argument("--batch-size", type=int, help="mini-batch size (default: the preset's; 1 works)")
    p.add_argument("--steps", type=int, default=1, help="how many updates, each on the next batch (default 1)")
    p.add_argument("--checks", type=int, default=3, help="gradient entries checked numerically per array (default 3)")
    p.add_argument("--json", action="store_true", help="print every number as JSON (one object per step)")
    add_data_arguments(p)
    p.set_defaults(run=run)


def _summary(record):
    lines = [f"step {record['step']}: {record['network']}, {record['parameters']} parameters, "
             f"batch of {len(record['batch']['labels'])} (labels {record['batch']['labels']})"]
    lines += [f"  forward  {f['name']:<10} {f['formula']:<28} shape {np.shape(f['output'])}" for f in record["forward"]]
    lines.append(f"  loss     {record['loss']['value']:.6f}   {record['loss']['formula']}")
    lines += [f"  backward {b['name']:<10} {b['formula']}" for b in record["backward"]]
    worst = max((e["difference"] for e in record["gradient_check"]["entries"]), default=0.0)
    lines.append(f"  check    {len(record['gradient_check']['entries'])} gradients by {record['gradient_check']['method']}: "
                 f"largest difference {worst:.2e}")
    update = record["update"]
    for p in update["parameters"]:
        change = np.abs(np.subtract(p["after"], p["before"])).max()
        lines.append(f"  update   {p['name']:<4} largest change {change:.3e}   ({update['rule']}, rate {update['learning_rate']})")
    after = record["after_update"]
    lines.append(f"  after    loss on this batch {after['loss_before']:.6f} before the update, {after['loss_after']:.6f} after "
                 f"({after['change']:+.6f})")
    return "\n".join(lines)


def run(args):
    preset = get_preset(args.preset)
    config = preset.config
    if args.batch_size is not None:
        if args.batch_size < 1:
            raise ConfigError("--batch-size must be at least 1")
        config.batch_size = args.batch_size
    if args.steps < 1:
        raise ConfigError("--steps must be at least 1")
    dataset = prepare_dataset(config, load_data(args))
    stepper = StepThrough(config, dataset.train_images, dataset.train_labels, n_classes=dataset.n_classes,
                          checks_per_array=max(1, args.checks))
    for _ in range(args.steps):
        record = stepper.step()
        if args.json:
            print_json(record)
        else:
            print(_summary(record))
    return 0
