"""Everything the live views draw, collected from snapshots on the GUI thread.

``RunState.add(snapshot)`` is cheap (appends to growing arrays, keeps references to the
latest arrays) and records what changed in ``dirty``; the redraw timer asks each view to
refresh only for the parts that changed. Only the latest network / confusion are kept, so
memory stays flat however long the run.
"""
import math

from core.training.snapshots import BatchSnapshot, DivergedSnapshot, EndSnapshot, EpochSnapshot, StartSnapshot
from gui.ground.widgets.buffers import GrowingArray


class RunState:
    """Buffers for one training run. Shapes: batch_* and epoch_* are (n_snapshots,) floats."""

    BATCH_KEYS = ("step", "loss", "accuracy", "learning_rate")
    EPOCH_KEYS = ("epoch", "step", "train_loss", "train_accuracy", "val_loss", "val_accuracy")
    # per-epoch figures only some runs record (history keys; NaN where a snapshot lacks them)
    OPTIONAL_EPOCH_KEYS = ("test_loss", "test_accuracy")

    def __init__(self):
        self.batch = {k: GrowingArray() for k in self.BATCH_KEYS}
        self.epochs = {k: GrowingArray(64) for k in self.EPOCH_KEYS + self.OPTIONAL_EPOCH_KEYS}
        self.dirty = set()
        self.start = None            # StartSnapshot: task, shapes, validation set, total steps
        self.last_batch = None       # latest BatchSnapshot
        self.last_epoch = None       # latest EpochSnapshot (confusion, predictions)
        self.network = None          # latest Network copy (weights view, canvas, saving)
        self.network_epoch = 0       # 1-based epoch the copy belongs to (for labels)
        self.network_partial = False  # the run ended partway through network_epoch (a stop mid-epoch)
        self.layer_stats = ()
        self.diverged = None         # DivergedSnapshot waiting for the user, or None
        self.end = None              # EndSnapshot once the run is over
        self.history = {}
        self.snapshot_count = 0

    def add(self, snapshot):
        """Take one snapshot; returns the kinds of data that changed (also added to dirty)."""
        self.snapshot_count += 1
        changed = set()
        if isinstance(snapshot, StartSnapshot):
            self.start = snapshot
            changed |= {"start", "progress"}
        elif isinstance(snapshot, BatchSnapshot):
            for key, value in zip(self.BATCH_KEYS, (snapshot.step, snapshot.batch_loss,
                                                    snapshot.mean_accuracy, snapshot.learning_rate)):
                self.batch[key].append(value)
            self.last_batch = snapshot
            changed |= {"batch", "progress"}
            if snapshot.layer_stats:
                self.layer_stats = snapshot.layer_stats
                changed.add("stats")
            if snapshot.network is not None:
                self._set_network(snapshot.network, snapshot.epoch + 1, changed)
            self.diverged = None
        elif isinstance(snapshot, EpochSnapshot):
            for key, value in zip(self.EPOCH_KEYS, (snapshot.epoch + 1, snapshot.step, snapshot.train_loss,
                                                    snapshot.train_accuracy, snapshot.val_loss,
                                                    snapshot.val_accuracy)):
                self.epochs[key].append(value)
            history = snapshot.history or {}
            for key in self.OPTIONAL_EPOCH_KEYS:
                values = history.get(key) or ()
                self.epochs[key].append(values[-1] if values else math.nan)
            self.last_epoch = snapshot
            self.history = snapshot.history
            self._set_network(snapshot.network, snapshot.epoch + 1, changed)
            changed |= {"epoch", "evaluation", "progress"}
        elif isinstance(snapshot, DivergedSnapshot):
            self.diverged = snapshot
            changed |= {"diverged", "progress"}
        elif isinstance(snapshot, EndSnapshot):
            self.end = snapshot
            self.history = snapshot.history or self.history
            if snapshot.network is not None:
                epoch, self.network_partial = self._end_epoch(snapshot)
                self._set_network(snapshot.network, epoch, changed)
            changed |= {"end", "progress"}
        self.dirty |= changed
        return changed

    def _end_epoch(self, end):
        """(epoch, partial) of the end's network. A stop at an epoch boundary reports the index of
        the epoch not yet started: its network is the one of the epochs done. After a divergence the
        weights were put back to the last epoch's end. Else the run stopped partway through."""
        epochs, steps = self.epochs["epoch"].view(), self.epochs["step"].view()
        done = int(epochs[-1]) if len(epochs) else 0
        at_boundary = end.step <= (float(steps[-1]) if len(steps) else 0)
        if at_boundary or end.reason == "diverged" or self.diverged is not None:
            return done, False
        return end.epoch + 1, end.reason != "finished"

    def network_label(self):
        """Which model the network is, in the words the Draw and Map tabs use."""
        if self.end is None:
            return f"model being trained (epoch {self.network_epoch})"
        if self.network_partial:
            return f"last run's model ({self.end.reason} during epoch {self.network_epoch})"
        if self.network_epoch == 0:
            return f"last run's model ({self.end.reason} before any epoch, untrained)"
        return f"last run's model ({self.end.reason}, epoch {self.network_epoch})"

    def _set_network(self, network, epoch, changed):
        if network is not None:
            self.network, self.network_epoch = network, epoch
            changed |= {"network", "weights"}

    @property
    def has_test_curve(self):
        """True when the run records test accuracy per epoch (history 'test_accuracy')."""
        return bool(len(self.epochs["test_accuracy"]) and
                    not math.isnan(self.epochs["test_accuracy"].view()[-1]))

    def take_dirty(self, keys=None):
        """Pop and return the dirty kinds (all, or only those in keys)."""
        if keys is None:
            taken, self.dirty = self.dirty, set()
            return taken
        taken = self.dirty & set(keys)
        self.dirty -= taken
        return taken

    # ----- derived progress figures ---------------------------------------------------
    def remaining_seconds(self, total_steps):
        """Estimated training seconds left: elapsed per step so far times the steps left."""
        snap = self.last_batch
        if snap is None or snap.step <= 0:
            return math.nan
        return snap.elapsed / snap.step * max(0, total_steps - snap.step)
