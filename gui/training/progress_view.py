"""Progress of the run: a step bar plus epoch, batch, throughput, elapsed and remaining time."""
import math

from PyQt5.QtWidgets import QGridLayout, QLabel, QProgressBar, QWidget

from gui.ground.text import format_duration


class ProgressView(QWidget):
    FIELDS = ("epoch", "batch", "speed", "elapsed", "remaining", "rate", "loss", "accuracy")
    TITLES = ("Epoch", "Batch", "Samples/s", "Elapsed", "Remaining", "Learning rate", "Val loss", "Val acc.")
    # the longest text each value shows in practice: its column keeps room for it, so a value that
    # grows mid-run ("20 / 100 done") is never cut by the panel's fixed width
    WIDEST = ("100 / 100 done", "938 / 938", "99,999", "9:59:59", "9:59:59", "1.23e-05", "0.0000", "100.00%")
    TIPS = ("The epoch the run is in (one epoch = one pass over every training image), of the epochs asked for",
            "The mini-batch within this epoch, of the batches one epoch has (training images / batch size)",
            "Training images processed per second since the last update of this panel (pauses excluded)",
            "Training time so far (pauses excluded)",
            "Estimated time left: the time per step so far times the steps still to go",
            "The learning rate of the latest update (a schedule changes it as the run goes on)",
            "Loss on the validation images (never trained on), measured at the end of the last epoch: the mean "
            "loss per image",
            "Accuracy on the validation images (never trained on) at the end of the last epoch: the share "
            "labelled correctly")
    FULL_BATCH_RATE_TIP = "Full-batch CG / L-BFGS: a line search chooses every step's size"

    def __init__(self, parent=None):
        super().__init__(parent)
        self.bar = QProgressBar()
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        self.bar.setFormat("%p%")
        self.bar.setToolTip("Training steps done, of the run's total (one step = one update from one mini-batch)")
        self.state_label = QLabel("Idle")
        self.state_label.setObjectName("hint")
        self.state_label.setWordWrap(True)   # "Training 784-256-128-10 relu, softmax + cross_entropy" is long
        self.values = {}
        self.description = ""   # the run's network ("conv8x5,pool2,dense10"), said in the state line
        self.paused = False     # while paused the state line and Remaining say so (no stale estimate)
        layout = QGridLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setHorizontalSpacing(8)
        layout.addWidget(self.state_label, 0, 0, 1, 4)
        layout.addWidget(self.bar, 1, 0, 1, 4)
        for i, (key, title) in enumerate(zip(self.FIELDS, self.TITLES)):
            row, col = 2 + i // 2, (i % 2) * 2
            name = QLabel(title)
            name.setObjectName("hint")
            value = QLabel("—")
            value.setMinimumWidth(value.fontMetrics().horizontalAdvance(self.WIDEST[i]) + 2)
            layout.addWidget(name, row, col)
            layout.addWidget(value, row, col + 1)
            value.setToolTip(self.TIPS[i])
            name.setToolTip(self.TIPS[i])
            self.values[key] = value
        layout.setColumnStretch(1, 1)   # spare width goes to the values, never taken from the titles
        layout.setColumnStretch(3, 1)

    def set_text(self, key, text):
        self.values[key].setText(text)

    def set_running(self, description):
        """A run of this network has started (not paused)."""
        self.description, self.paused = description, False
        self._say_state()

    def set_paused(self, paused, why=""):
        """Paused or resumed: the state line says which, and Remaining says 'paused' (time stands
        still while paused, so no estimate is shown as if it were counting down). why: e.g.
        'the run diverged'."""
        self.paused = bool(paused)
        self._say_state(why)
        remaining = self.values["remaining"]
        if self.paused:
            remaining.setText("paused")
        elif remaining.text() == "paused":
            remaining.setText("—")   # the next batch brings the estimate back

    def _say_state(self, why=""):
        network = f" {self.description}" if self.description else ""
        if self.paused and why:
            text = f"Paused: {why}."
        elif self.paused:   # short: the Run box has room for one line
            text = "Paused. Space resumes, Esc stops."
        else:
            text = f"Training{network}"
        self.state_label.setText(text)
        self.state_label.setToolTip(f"{text} ({self.description})" if self.paused and network else text)

    def update_from(self, state, total_steps, n_epochs, uses_learning_rate=True):
        """Fill the labels from a RunState (latest batch and epoch snapshots). Full-batch runs
        (uses_learning_rate False) show 'n/a' for the rate: a line search picks each step."""
        snap = state.last_batch
        if snap is not None:
            self.bar.setRange(0, max(1, total_steps))
            self.bar.setValue(snap.step)
            self.set_text("epoch", f"{snap.epoch + 1} / {n_epochs}")
            self.set_text("batch", f"{snap.batch} / {snap.batches_per_epoch}")
            self.set_text("speed", f"{snap.samples_per_second:,.0f}")
            self.set_text("elapsed", format_duration(snap.elapsed))
            self.set_text("remaining", "paused" if self.paused and state.end is None
                          else format_duration(state.remaining_seconds(total_steps)))
            self.set_text("rate", f"{snap.learning_rate:.3g}" if uses_learning_rate else "n/a")
            self.values["rate"].setToolTip(self.TIPS[5] if uses_learning_rate else self.FULL_BATCH_RATE_TIP)
        epoch = state.last_epoch
        if epoch is not None and (snap is None or epoch.step >= snap.step):   # between epochs
            self.set_text("epoch", f"{epoch.epoch + 1} / {n_epochs} done")
        if epoch is not None:
            self.set_text("loss", f"{epoch.val_loss:.4f}" if math.isfinite(epoch.val_loss) else "—")
            self.set_text("accuracy", f"{100 * epoch.val_accuracy:.2f}%" if math.isfinite(epoch.val_accuracy) else "—")
        if state.end is not None:
            self.paused = False   # the run is over: its end message replaces the state line
            self.bar.setValue(self.bar.maximum() if state.end.reason == "finished" else state.end.step)
            self.set_text("remaining", "0:00" if state.end.reason == "finished" else "—")
            self.set_text("elapsed", format_duration(state.end.elapsed))
            if snap is not None and state.end.step > 0:   # the last batch comes after the last snapshot
                per_epoch = snap.batches_per_epoch
                self.set_text("batch", f"{state.end.step - (state.end.step - 1) // per_epoch * per_epoch} / {per_epoch}")

    def reset(self):
        self.description, self.paused = "", False
        self.bar.setRange(0, 1)
        self.bar.setValue(0)
        for value in self.values.values():
            value.setText("—")
