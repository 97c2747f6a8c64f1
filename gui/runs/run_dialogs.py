"""The two questions the Runs panel asks before training again: continue for how many epochs, and
fork from which epoch with which changed settings (the settings form's values).

Both dialogs are opened with open() (the window keeps painting) and emit ``chosen`` on OK.
"""
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QComboBox, QDialog, QDialogButtonBox, QFormLayout, QLabel, QSpinBox, QVBoxLayout

from core.records.resume import NETWORK_FIELDS
from core.settings.config import TrainConfig
from core.settings.fields import settings_by_name
from gui.ground import theme

# Settings the window decides for every run, and the length (asked for separately): never a change.
NOT_FORK_CHANGES = {"epochs", "iterations", "snapshot_every", "on_divergence"}


def fork_changes(form_config, parent_config):
    """(applied, refused): {field: (parent value, form value)} for the settings in which the form
    differs from the parent run. refused: the network's shape, which a fork must keep."""
    form, parent = form_config.to_dict(), parent_config.to_dict()
    changed = {key: (parent.get(key), value) for key, value in form.items()
               if key not in NOT_FORK_CHANGES and value != parent.get(key)}
    refused = {key: pair for key, pair in changed.items() if key in NETWORK_FIELDS}
    applied = {key: pair for key, pair in changed.items() if key not in NETWORK_FIELDS}
    return applied, refused


def label_of(key):
    """The settings form's label of a TrainConfig field ('Learning rate')."""
    setting = settings_by_name(TrainConfig).get(key)
    return getattr(setting, "label", None) or key.replace("_", " ")


def _value(value):
    if isinstance(value, (list, tuple)):
        return "-".join(str(v) for v in value) or "none"
    return f"{value:g}" if isinstance(value, float) else str(value)


def describe_changes(applied, refused):
    """HTML: what the fork changes, and which form values it cannot take and why."""
    lines = [f"{label_of(k)}: {_value(a)} → <b>{_value(b)}</b>" for k, (a, b) in applied.items()]
    text = ("Changed from the parent (the settings form's values):<br>" + "<br>".join(lines) if lines else
            "No setting differs from the parent's: the fork trains on with the same settings "
            "(change the settings form first, e.g. the learning rate).")
    if refused:
        names = ", ".join(f"{label_of(k)} ({_value(a)} in the run, {_value(b)} in the form)"
                          for k, (a, b) in refused.items())
        text += "<br><br>" + theme.span(f"Not applied: {names}. A fork keeps its parent's network, since the "
                                        f"checkpoint's weights only fit that shape; start a new run for "
                                        f"another network.", "error")
    return text


class _RunDialog(QDialog):
    def __init__(self, title, heading, parent=None):
        super().__init__(parent)
        self.setWindowTitle(title)
        self.setMinimumWidth(460)
        self.heading = QLabel(heading)
        self.heading.setWordWrap(True)
        self.form = QFormLayout()
        self.note = QLabel()
        self.note.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        layout = QVBoxLayout(self)
        layout.addWidget(self.heading)
        layout.addLayout(self.form)
        layout.addWidget(self.note)
        layout.addWidget(self.buttons)
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)


class ContinueDialog(_RunDialog):
    """How many more epochs. describe(n) -> a sentence on the schedule (core schedule_note)."""

    chosen = pyqtSignal(int)

    def __init__(self, name, epochs_done, describe, parent=None):
        super().__init__("Continue training", f"Continue <b>{name}</b> after its epoch {epochs_done}, with "
                         f"its optimiser state, schedule position and history: the curves go on where "
                         f"they ended.", parent)
        self.setObjectName("continueDialog")
        self.describe = describe
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 10000)
        self.epochs_spin.setValue(1)
        self.form.addRow("More epochs:", self.epochs_spin)
        self.epochs_spin.valueChanged.connect(self._update)
        self.buttons.button(QDialogButtonBox.Ok).setText("Continue")
        self.accepted.connect(lambda: self.chosen.emit(self.epochs_spin.value()))
        self._update()

    def _update(self):
        self.note.setText(self.describe(self.epochs_spin.value()))


class ForkDialog(_RunDialog):
    """Which checkpoint and how many epochs after it; shows the settings that change."""

    chosen = pyqtSignal(int, int)   # epoch, more epochs

    def __init__(self, name, epochs, rows, change_text, parent=None):
        super().__init__("Fork a run", f"A new run from a checkpoint of <b>{name}</b>: its curves start at "
                         f"that epoch, and it names its parent.", parent)
        self.setObjectName("forkDialog")
        self.rows = rows
        self.epoch_combo = QComboBox()
        for epoch in epochs:
            self.epoch_combo.addItem(f"epoch {epoch}", epoch)
        self.epochs_spin = QSpinBox()
        self.epochs_spin.setRange(1, 10000)
        self.form.addRow("Start from:", self.epoch_combo)
        self.form.addRow("Then train:", self.epochs_spin)
        self.epochs_spin.setSuffix(" epochs")
        self.note.setText(change_text)
        self.epoch_combo.currentIndexChanged.connect(self._default_length)
        self.buttons.button(QDialogButtonBox.Ok).setText("Fork")
        self.accepted.connect(lambda: self.chosen.emit(self.epoch, self.epochs_spin.value()))
        self._default_length()

    @property
    def epoch(self):
        return int(self.epoch_combo.currentData())

    def select_epoch(self, epoch):
        self.epoch_combo.setCurrentIndex(self.epoch_combo.findData(int(epoch)))

    def _default_length(self):
        """As many epochs as the parent trained after that one (at least 1)."""
        if self.epoch_combo.count():
            self.epochs_spin.setValue(max(1, self.rows - self.epoch))
