"""Race: two training set-ups at once, on identical batches, each in its own process.

Identical batches: a trainer's data order comes from ``data_order_rng(config.seed)``
(core.training.data_order) and its train/validation split from
``train_val_split(n, config.val_split, config.seed)``. So both racers are built with the SAME
data seed and val_split (set-up B's, the form's) while each network is initialised from its own
set-up's seed (core.training_process.job.race_trainer builds the network before the seed is
replaced). With equal batch sizes both
then see the same examples in the same batches, epoch after epoch; with different batch sizes the
order is the same but grouped differently (race_note says so). Augmentation draws, once core has
them, must come from the same data-order generator to stay identical.

A fair start: each racer's process starts (imports, attaches the data, builds its trainer) and
then waits before its first batch; when every racer has said it is ready (its StartSnapshot), all
are resumed at once. Otherwise the first racer ready trains while the other still starts up, on
the same two cores, and their speeds compare start-ups, not set-ups.

Fair CPU share: each racer is a process limited to one BLAS thread (core.training.blas), so on
2 cores each racer has a core, no GIL is shared, and the window only draws (RaceWindow redraws on
a timer). Each process holds its own limit, so one racer ending cannot change the other's
rounding (identical set-ups end with identical histories).
"""
import dataclasses

from PyQt5.QtCore import QObject, pyqtSignal

from core.training_process.job import RunJob
from gui.training.training_controller import TrainingController, snapshot_interval


def racer_job(config, dataset, data_seed, val_split, network=None):
    """The RunJob of one racer: its own settings and seed (its initial weights), the race's data
    seed and split (core.training_process.job.race_trainer applies them in the racer's process).
    network: the racer starts from a copy of it (e.g. a transferred network), else from new weights."""
    shared = dataclasses.replace(config, seed=data_seed, val_split=val_split)
    own = dataclasses.replace(config, on_divergence="stop",
                              snapshot_every=snapshot_interval(shared, len(dataset.train_labels)))
    return RunJob(own, dataset, network=network, race=(data_seed, val_split), held_at_start=True)


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

    snapshot(lane, snapshot) for every snapshot; lane_finished(lane) when a racer's process
    ends; finished() when all have."""

    snapshot = pyqtSignal(int, object)
    failed = pyqtSignal(int, str)
    lane_finished = pyqtSignal(int)
    finished = pyqtSignal()

    def __init__(self, configs, dataset, parent=None, networks=None):
        """networks: one per config, the network that racer starts from (None: new weights)."""
        super().__init__(parent)
        self.configs, self.dataset = list(configs), dataset
        self.networks = list(networks) if networks is not None else [None] * len(self.configs)
        data_config = self.configs[-1]   # B, the form's set-up, owns the data seed and split
        self.data_seed, self.val_split = data_config.seed, data_config.val_split
        self.lanes = [TrainingController(self) for _ in self.configs]
        self._running = set()
        self._released = False   # the racers were told to go (every one was ready)
        for lane, controller in enumerate(self.lanes):
            controller.snapshot.connect(lambda snap, lane=lane: self._on_snapshot(lane, snap))
            controller.failed.connect(lambda message, _log, lane=lane: self.failed.emit(lane, message))
            controller.finished.connect(lambda lane=lane: self._on_lane_finished(lane))

    @property
    def is_running(self):
        return bool(self._running)

    def lane_running(self, lane):
        return lane in self._running

    def start(self):
        for lane, (controller, config, network) in enumerate(zip(self.lanes, self.configs, self.networks)):
            self._running.add(lane)
            controller.start(racer_job(config, self.dataset, self.data_seed, self.val_split, network))

    def stop(self, lane):
        """Stop one racer; the other goes on."""
        self.lanes[lane].stop()

    def stop_all(self):
        for controller in self.lanes:
            controller.stop()

    def shutdown(self, milliseconds=10000):
        return all(controller.shutdown(milliseconds) for controller in self.lanes)

    @property
    def released(self):
        """True once every racer was ready and all were told to go."""
        return self._released

    def _on_snapshot(self, lane, snapshot):
        self.snapshot.emit(lane, snapshot)
        if snapshot.kind == "start":
            self._release_when_ready()

    def _release_when_ready(self):
        """Resume every racer once each running one has built its trainer (a racer that failed
        or was stopped before that does not hold the other back)."""
        if self._released or any(self.lanes[lane].start_info is None for lane in self._running):
            return
        self._released = True
        for lane in self._running:
            self.lanes[lane].resume()

    def _on_lane_finished(self, lane):
        self._running.discard(lane)
        self._release_when_ready()
        self.lane_finished.emit(lane)
        if not self._running:
            self.finished.emit()
