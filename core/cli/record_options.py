"""`train`'s run-record options: --resume, --fork / --from-epoch, --no-record, --run-name,
--checkpoint-cap-mb; and the RunSession that carries them through train's run().

train.py calls add_run_arguments(parser) in register() and, in run():
    session = apply_run_arguments(args, config)   # config: what the user's options give
    config = session.config
    trainer = make_trainer(config, dataset, network=session.network, ...)
    for snapshot in session.run(trainer, dataset): ...
    session.save_model(path, network, metadata, trainer)   # --out, with the training state
"""
import sys
from dataclasses import fields

from core.errors import ConfigError
from core.settings.config import TrainConfig
from core.records.writer import recorded_run
from core.records.resume import plan_fork, plan_resume, start_recording
from core.records.thinning import DEFAULT_CAP_BYTES

def add_run_arguments(parser):
    group = parser.add_argument_group("run records (every run is kept; python main.py runs lists them)")
    group.add_argument("--resume", metavar="RUN_OR_MODEL",
                       help="continue a recorded run (id, start of an id, or name) or a model saved with --out, "
                            "for --epochs N more epochs, with its optimiser state, schedule position and history")
    group.add_argument("--fork", metavar="RUN", help="start a new run from RUN's checkpoint at --from-epoch, "
                       "with the options given here changed (e.g. --lr, --l2); --epochs N more (default: as many "
                       "as the parent trained after that epoch)")
    group.add_argument("--from-epoch", type=int, metavar="E", help="the epoch checkpoint --fork starts from")
    group.add_argument("--no-record", action="store_true", help="do not keep a run record of this run")
    group.add_argument("--run-name", metavar="NAME", help="the name the run is listed under")
    group.add_argument("--checkpoint-cap-mb", type=float, metavar="MB", default=DEFAULT_CAP_BYTES / 2 ** 20,
                       help="most megabytes of epoch checkpoints kept per run; older ones are thinned, never "
                            "the last or the best (default %(default)g)")


def typed_settings(args, config):
    """{TrainConfig field: value} for the settings the user typed on the command line (values as
    the config has them, i.e. converted and validated)."""
    typed = {}
    for f in fields(TrainConfig):
        # the settings declaration makes each option's dest the field's own name
        if getattr(args, f.name, None) is not None:
            typed[f.name] = getattr(config, f.name)
    return typed


class RunSession:
    """The run-record side of one `train` command. plan: a ContinuePlan for --resume / --fork."""

    def __init__(self, config, plan=None, record=True, name=None, cap_bytes=DEFAULT_CAP_BYTES):
        self.config, self.plan, self.record, self.name, self.cap_bytes = config, plan, record, name, cap_bytes
        self.recorder = None

    @property
    def network(self):
        return self.plan.network.copy() if self.plan is not None else None

    def check_dataset(self, dataset):
        """ConfigError unless a continued run gets the data it was trained on."""
        if self.plan is None:
            return
        expected = self.plan.dataset
        if expected.get("name") and dataset.name != expected["name"]:
            raise ConfigError(f"that run was trained on {expected['name']}, not {dataset.name}; "
                              f"pass --dataset {expected['name']} (and --data if it lives elsewhere)")

    def run(self, trainer, dataset):
        """trainer.run(), recorded unless --no-record; the state of --resume / --fork loaded first."""
        self.check_dataset(dataset)
        if self.plan is not None:
            print(f"note: {self.plan.note}", file=sys.stderr)
        if not self.record:
            if self.plan is not None:
                self.plan.prepare(trainer)
            return trainer.run()
        self.recorder = start_recording(trainer, dataset, self.plan, cap_bytes=self.cap_bytes, name=self.name)
        print(f"note: recording run {self.recorder.run_id} in {self.recorder.record_dir}", file=sys.stderr)
        return recorded_run(trainer, self.recorder)

    def save_model(self, path, network, metadata, trainer):
        """The --out model file, carrying what continuing it needs (when the trainer can give it)."""
        from core.files.model_state_io import save_model_with_state
        save_model_with_state(path, network, metadata, trainer.state() if trainer.resumable else None)

    def summary(self):
        """What the JSON summary gets: the record's id and folder, and any recording failure."""
        if self.recorder is None:
            return {}
        if self.recorder.failed:
            print(f"warning: {self.recorder.failed}", file=sys.stderr)
        return {"run": {"id": self.recorder.run_id, "path": str(self.recorder.record_dir),
                        "recorded": not self.recorder.failed}}


def _use_recorded_dataset(args, plan):
    """Train on what the run was trained on when the user named no data: --dataset defaults to
    mnist, so a digits run continued without options switches to digits here."""
    name = plan.dataset.get("name")
    if name and name != args.dataset and args.dataset == "mnist" and not args.data:
        from core.data.datasets import VALID_NAMES
        if name in VALID_NAMES:
            args.dataset = name


def apply_run_arguments(args, config):
    """A RunSession for the parsed arguments. config: TrainConfig from the user's options (the
    preset's, overridden); --resume keeps the run's own settings, --fork applies the typed ones."""
    record = not args.no_record
    cap_bytes = int(args.checkpoint_cap_mb * 2 ** 20)
    if args.checkpoint_cap_mb <= 0:
        raise ConfigError("--checkpoint-cap-mb must be > 0")
    # `is not None`: an empty --resume '' (an unset shell variable) is a mistake, not "no resume"
    if args.resume is not None and args.fork is not None:
        raise ConfigError("give --resume or --fork, not both")
    for option, value, what in (("--resume", args.resume, "a run or a model file"), ("--fork", args.fork, "a run")):
        if value is not None and not value.strip():
            raise ConfigError(f"{option} needs {what} (a run by id, start of an id, or name; python main.py runs "
                              f"lists them)")
    if args.from_epoch is not None and args.fork is None:
        raise ConfigError("--from-epoch goes with --fork RUN")
    typed = typed_settings(args, config)
    more_epochs = typed.pop("epochs", None)
    if args.resume is not None:
        if typed:
            raise ConfigError(f"--resume continues with the run's own settings; to change "
                              f"{', '.join(sorted(typed))} use --fork RUN --from-epoch E")
        plan = plan_resume(args.resume, more_epochs)
    elif args.fork is not None:
        if args.from_epoch is None:
            raise ConfigError("--fork needs --from-epoch E (the epoch checkpoint to start from)")
        typed.pop("iterations", None)
        plan = plan_fork(args.fork, args.from_epoch, typed, more_epochs)
    else:
        return RunSession(config, None, record, args.run_name, cap_bytes)
    _use_recorded_dataset(args, plan)
    return RunSession(plan.config, plan, record, args.run_name, cap_bytes)
