"""Race: two training set-ups at once, on identical batches, each in its own worker thread.

Identical batches: a trainer's data order comes from ``data_order_rng(config.seed)``
(core.training.data_order) and its train/validation split from
``train_val_split(n, config.val_split, config.seed)``. So both racers are built with the SAME
data seed and val_split (set-up B's, the form's) while each network is initialised from its own
set-up's seed (build_network(config) before the seed is replaced). With equal batch sizes both
then see the same examples in the same batches, epoch after epoch; with different batch sizes the
order is the same but grouped differently (race_note says so). Augmentation draws, once core has
them, must come from the same data-order generator to stay identical.

Fair CPU share: every trainer limits BLAS to one thread (core.training.blas), so on 2 cores each
racer has a core and the GUI thread only draws (RaceWindow redraws on a timer). That limit is
process-wide but each trainer sets it on entry and restores the value it found on exit, so the
first racer to finish would give the other its original thread pool back mid-run (other
rounding: identical set-ups then ended with histories differing in the 9th digit). The session
therefore holds the one-thread limit itself from start until the last racer has ended.
"""
import dataclasses

from PyQt5.QtCore import QObject, pyqtSignal
from threadpoolctl import threadpool_limits

from core.training.blas import training_blas_threads

from core.training.trainers import make_trainer, prepare_dataset
from core.training.training_run import build_network
from gui.training.training_controller import TrainingController, snapshot_interval


def race_config(config, data_seed, val_split, n_examples):
    """The config a racer trains with: its own settings, the race's data seed and split."""
    shared = dataclasses.replace(config, seed=data_seed, val_split=val_split, on_divergence="stop")
    shared.snapshot_every = snapshot_interval(shared, n_examples)
    return shared


def race_trainer(config, dataset, data_seed, val_split):
    """A trainer for config whose data split and order come from data_seed (shared by both
    racers) and whose initial weights come from config.seed (its own)."""
    prepared = prepare_dataset(config, dataset)
    network = build_network(config, prepared.n_inputs, len(prepared.class_names), image_shape=prepared.image_shape)
    return make_trainer(race_config(config, data_seed, val_split, len(dataset.train_labels)), dataset, network=network)


def race_note(config_a, config_b):
    """'' when the racers get identical batches, else a sentence saying what differs."""
    if config_a.optimizer in ("cg", "lbfgs") or config_b.optimizer in ("cg", "lbfgs"):
        return "A full-batch optimiser (CG/L-BFGS) sees the whole training set at every step."
    if config_a.batch_size != config_b.batch_size:
        return (f"Batch sizes differ (A {config_a.batch_size}, B {config_b.batch_size}): same examples in the "
                f"same order, grouped into different batches.")
    if config_a.sampling != config_b.sampling:
        return "Sampling differs (with vs without replacement): the batches are not identical."
    return ""


class RaceSession(QObject):
    """Two (or one, for a baseline) RunControllers fed the same data.

    snapshot(lane, snapshot) for every snapshot; lane_finished(lane) when a racer's thread
    ends; finished() when all have. trainer_hook(lane, trainer), if given, is called in the
    worker thread right after a trainer is built (tests observe the batches with it)."""

    snapshot = pyqtSignal(int, object)
    failed = pyqtSignal(int, str)
    lane_finished = pyqtSignal(int)
    finished = pyqtSignal()

    def __init__(self, configs, dataset, trainer_hook=None, parent=None):
        super().__init__(parent)
        self.configs, self.dataset = list(configs), dataset
        data_config = self.configs[-1]   # B, the form's set-up, owns the data seed and split
        self.data_seed, self.val_split = data_config.seed, data_config.val_split
        self.trainer_hook = trainer_hook
        self.lanes = [TrainingController(self) for _ in self.configs]
        self._running = set()
        self._blas_limit = None   # the race's one-thread BLAS limit, held while any racer runs
        for lane, controller in enumerate(self.lanes):
            controller.snapshot.connect(lambda snap, lane=lane: self.snapshot.emit(lane, snap))
            controller.failed.connect(lambda message, _log, lane=lane: self.failed.emit(lane, message))
            controller.finished.connect(lambda lane=lane: self._on_lane_finished(lane))

    @property
    def is_running(self):
        return bool(self._running)

    def lane_running(self, lane):
        return lane in self._running

    def start(self):
        self._blas_limit = threadpool_limits(limits=training_blas_threads(), user_api="blas")
        for lane, (controller, config) in enumerate(zip(self.lanes, self.configs)):
            self._running.add(lane)
            controller.start(lambda config=config, lane=lane: self._build(lane, config))

    def _build(self, lane, config):   # in the worker thread
        trainer = race_trainer(config, self.dataset, self.data_seed, self.val_split)
        if self.trainer_hook is not None:
            self.trainer_hook(lane, trainer)
        return trainer

    def stop(self, lane):
        """Stop one racer; the other goes on."""
        self.lanes[lane].stop()

    def stop_all(self):
        for controller in self.lanes:
            controller.stop()

    def shutdown(self, milliseconds=10000):
        return all(controller.shutdown(milliseconds) for controller in self.lanes)

    def _on_lane_finished(self, lane):
        self._running.discard(lane)
        self.lane_finished.emit(lane)
        if not self._running:
            if self._blas_limit is not None:
                self._blas_limit.restore_original_limits()
                self._blas_limit = None
            self.finished.emit()
