"""The app records every run (core.records.writer): the training process makes and writes the
record itself (core.training_process.child), and it never stops training.

    job = RunJob(..., plan=plan, record_cap_bytes=recording.begin())   # the window, at Start
    controller.recording.connect(recording.record_started)                # the child made its record

In the child, start_recording loads a continue/fork plan's state into the freshly built trainer
and opens the record; recorded_run exports the optimiser state at each epoch end, so every
checkpoint can be continued exactly.

A disk that fails (cannot create the record, or a write fails mid-run) only costs the record:
``notice`` carries a sentence for a non-blocking message and the run goes on unrecorded.
"""
import math

from PyQt5.QtCore import QObject, pyqtSignal

from core.records.thinning import DEFAULT_CAP_BYTES
from gui.ground.settings_store import open_settings

CAP_SETTING = "runs/checkpoint_cap_mb"
MIN_CAP_MB, MAX_CAP_MB = 1, 100_000


class RunRecording(QObject):
    """Owns the user's checkpoint size cap and starts the record of each run.

    Signals are emitted from the worker thread; connected GUI slots run queued on the GUI thread.
    """

    started = pyqtSignal(str, str)   # run id, record folder: the record exists (the panel refreshes)
    notice = pyqtSignal(str)         # recording failed; training goes on

    def __init__(self, parent=None):
        super().__init__(parent)
        self.cap_mb = load_cap_mb()
        self.current_run_id = None   # the record the current run writes (None: not recorded)

    @property
    def cap_bytes(self):
        return int(self.cap_mb * 2 ** 20)

    def set_cap_mb(self, megabytes):
        """The cap for runs started from now on; remembered with the window settings."""
        self.cap_mb = int(min(MAX_CAP_MB, max(MIN_CAP_MB, megabytes)))
        settings = open_settings()
        settings.setValue(CAP_SETTING, self.cap_mb)
        settings.sync()

    def begin(self):
        """A run is about to start: the checkpoint cap its process records with (bytes)."""
        self.current_run_id = None
        return self.cap_bytes

    def record_started(self, run_id, folder):
        """The run's process made its record (core.training_process.child)."""
        self.current_run_id = run_id
        self.started.emit(run_id, folder)


def load_cap_mb():
    """The remembered cap in MB (the default when none or unreadable)."""
    value = open_settings().value(CAP_SETTING, None)
    try:
        megabytes = int(float(value))
    except (TypeError, ValueError):
        return int(DEFAULT_CAP_BYTES / 2 ** 20)
    return int(min(MAX_CAP_MB, max(MIN_CAP_MB, megabytes)))


def prefill_history(state, history):
    """Put a continued or forked run's earlier epochs into a fresh RunState (gui.training.run_state),
    so its curves show the old epochs, then the new ones. history: {key: [value per epoch]}."""
    n = len(history.get("epoch") or ())
    if not n:
        return 0
    for i in range(n):
        for key in state.EPOCH_KEYS + state.OPTIONAL_EPOCH_KEYS:
            if key == "epoch":
                value = i + 1
            else:
                values = history.get(key) or ()
                value = values[i] if i < len(values) and values[i] is not None else math.nan
            state.epochs[key].append(value)
    state.history = {key: list(values) for key, values in history.items()}
    state.dirty |= {"epoch"}
    return n

