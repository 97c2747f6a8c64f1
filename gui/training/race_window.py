"""Race window: pick set-up A, B is the form's; start both on identical batches, watch live.

Set-up A is a preset or the settings of a recorded run (the things a learner races against: a
known recipe, or last time's attempt); B is what the form holds now, so changing one setting in
the form and racing it against the preset it came from is two clicks. The data seed and split
are B's (gui.training.race).

Per racer: a progress bar, its epoch and samples/s, a Stop button. Plots: loss and accuracy
against epochs (fractional, so different batch sizes line up), training mean per snapshot
(solid) and validation at each epoch end (markers), one colour per racer. Snapshots are stored
as they arrive; a 30 Hz timer redraws what changed (the GUI thread only draws): the progress at
every tick, the curves at most every CURVES_SECONDS (as in the main window: painting two plots
for two lanes at 30 Hz took a fifth of a core from the racers on 2 cores, and 5 Hz reads as live).
"""
import dataclasses
import time

import pyqtgraph as pg
from PyQt5.QtCore import Qt, QTimer
from PyQt5.QtWidgets import (QComboBox, QGridLayout, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout,
                             QWidget)

from core.settings.config import TrainConfig
from core.settings.presets import PRESETS
from core.records.reader import list_runs, open_run
from gui.training.race import RaceSession, race_note
from gui.ground import theme
from gui.ground.screen_fit import fit_to_screen
from gui.ground.widgets.buffers import GrowingArray

COLOURS = (theme.BLUE, theme.ORANGE)
REDRAW_MS = 33
CURVES_SECONDS = 0.2   # the curves' redraw interval while racing


class Lane:
    """What one racer has shown so far. x values are epochs (step / batches per epoch), accuracy
    in % (as the Training tab shows it)."""

    def __init__(self):
        self.batch = {k: GrowingArray() for k in ("x", "loss", "accuracy")}
        self.epoch = {k: GrowingArray(64) for k in ("x", "loss", "accuracy")}
        self.start = self.last = self.end = None
        self.speeds = []   # samples/s of every batch snapshot (throughput while racing)
        self.dirty = False
        self.curves_dirty = False
        self.curves_drawn = 0.0   # perf_counter of the curves' last redraw

    def add(self, snapshot):
        kind = snapshot.kind
        if kind == "start":
            self.start = snapshot
        elif kind == "batch":
            x = snapshot.step / snapshot.batches_per_epoch
            for key, value in (("x", x), ("loss", snapshot.mean_loss), ("accuracy", 100 * snapshot.mean_accuracy)):
                self.batch[key].append(value)
            self.speeds.append(snapshot.samples_per_second)
            self.last = snapshot
        elif kind == "epoch":
            for key, value in (("x", snapshot.epoch + 1), ("loss", snapshot.val_loss),
                               ("accuracy", 100 * snapshot.val_accuracy)):
                self.epoch[key].append(value)
        elif kind == "end":
            self.end = snapshot
        self.dirty = True
        self.curves_dirty = self.curves_dirty or kind in ("batch", "epoch")


def setup_a_choices(root=None):
    """[(title, TrainConfig)]: every preset, then the settings of each readable recorded run."""
    choices = [(f"Preset: {p.title}", p.config) for p in PRESETS.values()]
    for summary in reversed(list_runs(root)):
        if summary.problem is None:
            try:
                config = TrainConfig.from_dict(open_run(summary.path).settings["config"])
            except Exception:   # a record with settings this version cannot read is simply not offered
                continue
            choices.append((f"Run: {summary.name} ({summary.created[:16].replace('T', ' ')})", config))
    return choices


class RaceWindow(QWidget):
    def __init__(self, config_b, dataset, parent=None, root=None, choices=None, setup_b=None):
        """choices: [(title, config)] or [(title, config, network)] for A (default: the presets and
        recorded runs); setup_b: (title, network) naming B and the network it starts from (default:
        "the form's settings", new weights). A transfer race (gui/my_drawings) gives both."""
        super().__init__(parent, Qt.Window)
        self.setWindowTitle("Race two set-ups on identical batches")
        fit_to_screen(self, 1400, 900)   # or less: within the available screen (gui/ground/screen_fit.py)
        self.config_b, self.dataset = config_b, dataset
        self.title_b, self.network_b = setup_b or ("the form's settings", None)
        self.session = None
        self._lane_of = [0, 1]
        self.lanes = [Lane(), Lane()]
        self.choices = list(choices) if choices is not None else setup_a_choices(root)
        self._build()
        self._timer = QTimer(self)
        self._timer.setInterval(REDRAW_MS)
        self._timer.timeout.connect(self.redraw)
        self._on_choice()

    def _build(self):
        self.a_combo = QComboBox()
        for title, *_ in self.choices:
            self.a_combo.addItem(title)
        self.a_combo.currentIndexChanged.connect(lambda _: self._on_choice())
        self.b_label = QLabel(f"<b>B</b> ({self.title_b}): {describe(self.config_b)}")
        self.b_label.setWordWrap(True)
        self.note = QLabel("")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        self.start_button = QPushButton("Start race")
        self.start_button.clicked.connect(self.start)
        self.stop_all_button = QPushButton("Stop both")
        self.stop_all_button.clicked.connect(lambda: self.session and self.session.stop_all())
        grid = QGridLayout()
        grid.addWidget(QLabel("<b>A</b>:"), 0, 0)
        grid.addWidget(self.a_combo, 0, 1)
        grid.addWidget(self.start_button, 0, 2)
        grid.addWidget(self.stop_all_button, 0, 3)
        grid.addWidget(self.b_label, 1, 0, 1, 4)
        grid.addWidget(self.note, 2, 0, 1, 4)
        grid.setColumnStretch(1, 1)

        self.bars, self.lane_labels, self.stop_buttons = [], [], []
        lanes = QGridLayout()
        for lane, letter in enumerate("AB"):
            colour = COLOURS[lane]
            title = QLabel(f"<span style='color:rgb{colour}; font-weight:700'>■ {letter}</span>")
            bar = QProgressBar()
            bar.setRange(0, 1)
            bar.setValue(0)
            label = QLabel("waiting")
            label.setMinimumWidth(360)
            stop = QPushButton(f"Stop {letter}")
            stop.clicked.connect(lambda _=False, lane=lane: self.stop(lane))
            for col, widget in enumerate((title, bar, label, stop)):
                lanes.addWidget(widget, lane, col)
            self.bars.append(bar)
            self.lane_labels.append(label)
            self.stop_buttons.append(stop)
        lanes.setColumnStretch(1, 1)

        self.plots, self.curves = {}, {}
        plot_row = QHBoxLayout()
        for kind in ("loss", "accuracy"):
            plot = self.plots[kind] = pg.PlotWidget()
            theme.style_plot(plot.getPlotItem(), kind.capitalize(), "epoch", "accuracy (%)" if kind == "accuracy" else kind)
            plot.getPlotItem().getAxis("left").enableAutoSIPrefix(False)   # never 'accuracy (x0.001)'
            # loss falls, accuracy rises: each legend sits where its curves are not
            plot.getPlotItem().addLegend(offset=(-10, 10) if kind == "loss" else (-10, -40), labelTextSize="9pt")
            for lane, letter in enumerate("AB"):
                colour = COLOURS[lane]
                self.curves[lane, kind, "train"] = plot.plot(pen=theme.pen(colour, 2), name=f"{letter} train",
                                                             connect="finite")
                self.curves[lane, kind, "val"] = plot.plot(
                    pen=pg.mkPen(color=colour, width=1.5, style=Qt.DashLine), symbol="s", symbolSize=8,
                    symbolBrush=theme.brush(colour), symbolPen=None, name=f"{letter} validation")
            plot_row.addWidget(plot)
        self._empty_accuracy_range()
        layout = QVBoxLayout(self)
        layout.addLayout(grid)
        layout.addLayout(lanes)
        layout.addLayout(plot_row, 1)
        self._update_buttons()

    @property
    def config_a(self):
        return dataclasses.replace(self.choices[self.a_combo.currentIndex()][1])

    @property
    def network_a(self):
        """The network set-up A starts from (None: new weights from its config)."""
        choice = self.choices[self.a_combo.currentIndex()]
        return choice[2] if len(choice) > 2 else None

    def _empty_accuracy_range(self):
        """0-100 % until the first figures arrive (an empty plot would show 0-1 under a % axis)."""
        self.plots["accuracy"].setYRange(0, 100, padding=0)

    def _on_choice(self, a=None):
        """Say what A is (the chosen set-up, or ``a``: the one racing when start was given one)."""
        a = a or self.config_a
        note = race_note(a, self.config_b)
        self.a_combo.setToolTip(describe(a))
        self.note.setText(f"A: {describe(a)}. Both use B's data seed ({self.config_b.seed}) and split, so they "
                          f"see the same examples in the same order; each starts from its own initial weights. "
                          + note)

    # ----- racing ----------------------------------------------------------------------------
    def start(self, config_a=None, solo=False):
        """Start the race (A = config_a or the chosen set-up); returns the RaceSession. solo: B
        alone, in the same window and threads (the baseline of bench/bench_gui.py --race)."""
        if self.session is not None and self.session.is_running:
            return self.session
        configs = [self.config_b] if solo else [config_a or self.config_a, self.config_b]
        if config_a is not None:
            self._on_choice(config_a)   # the note describes the A that races, not the list's choice
        networks = [self.network_b] if solo else [None if config_a else self.network_a, self.network_b]
        self._lane_of = [1] if solo else [0, 1]   # session lane -> window lane (A 0, B 1)
        self.lanes = [Lane(), Lane()]
        for curve in self.curves.values():
            curve.setData([], [])
        self._empty_accuracy_range()
        for index, (lane, bar) in enumerate(zip(self.lanes, self.bars)):   # nothing of the last race stays
            bar.setRange(0, 1)
            bar.setValue(0)
            lane.dirty = index in self._lane_of
            if not lane.dirty:
                self.lane_labels[index].setText("not in this race")
        self.session = RaceSession(configs, self.dataset, self, networks)
        self.session.snapshot.connect(self._on_snapshot)
        self.session.failed.connect(
            lambda lane, message: self.lane_labels[self._lane_of[lane]].setText(f"failed: {message}"))
        self.session.lane_finished.connect(lambda _: self._update_buttons())
        self.session.finished.connect(self._on_finished)
        self.session.start()
        self._timer.start()
        self._update_buttons()
        return self.session

    def _on_snapshot(self, session_lane, snapshot):
        self.lanes[self._lane_of[session_lane]].add(snapshot)
        if snapshot.kind == "start":   # a racer is ready: every lane's "waiting" line may change
            for lane in self.lanes:
                lane.dirty = True

    def stop(self, lane):
        """Stop racer 0 (A) or 1 (B); the other goes on."""
        if self.session is not None and lane in self._lane_of:
            self.session.stop(self._lane_of.index(lane))

    def _on_finished(self):
        self._timer.stop()
        self.redraw(force=True)
        self._update_buttons()

    def redraw(self, force=False):
        """Timer slot: each lane's progress if it changed, its curves at most every CURVES_SECONDS
        (force, or the lane's end: now)."""
        now = time.perf_counter()
        for lane_index, lane in enumerate(self.lanes):
            if not lane.dirty:
                continue
            lane.dirty = False
            if lane.curves_dirty and (force or lane.end is not None or now - lane.curves_drawn >= CURVES_SECONDS):
                lane.curves_dirty, lane.curves_drawn = False, now
                self.plots["accuracy"].getViewBox().enableAutoRange(axis="y")   # data: follow it
                for kind in ("loss", "accuracy"):
                    self.curves[lane_index, kind, "train"].setData(lane.batch["x"].view(), lane.batch[kind].view())
                    self.curves[lane_index, kind, "val"].setData(lane.epoch["x"].view(), lane.epoch[kind].view())
            elif lane.curves_dirty:
                lane.dirty = True   # its curves are due at a later tick
            self._show_progress(lane_index, lane)

    def _show_progress(self, index, lane):
        bar, label = self.bars[index], self.lane_labels[index]
        if lane.start is not None:
            bar.setRange(0, max(1, lane.start.total_steps))
        if lane.last is not None:
            bar.setValue(lane.last.step)
            text = (f"epoch {lane.last.epoch + 1}, step {lane.last.step:,}, "
                    f"{lane.last.samples_per_second:,.0f} samples/s")
        elif lane.start is None:
            text = "preparing the data…"
        elif self.session is not None and self.session.released:
            text = "training: the first figures come in a moment…"
        else:   # held before its first batch (gui/training/race.py: a fair start)
            text = "ready: waits for the other racer"
        if lane.end is not None:
            if lane.end.reason == "finished":
                bar.setValue(bar.maximum())
            text = f"{lane.end.reason}: {lane.end.samples_per_second:,.0f} samples/s over the run"
            if len(lane.epoch["accuracy"]):
                text += f", validation accuracy {lane.epoch['accuracy'].last():.2f}%"
        label.setText(text)

    def _update_buttons(self):
        running = self.session is not None and self.session.is_running
        self.start_button.setEnabled(not running)
        self.a_combo.setEnabled(not running)
        self.stop_all_button.setEnabled(running)
        for lane, button in enumerate(self.stop_buttons):
            button.setEnabled(running and lane in self._lane_of
                              and self.session.lane_running(self._lane_of.index(lane)))

    def closeEvent(self, event):
        self._timer.stop()
        if self.session is not None:
            self.session.shutdown()
        super().closeEvent(event)


def describe(config):
    """One line: network, activation, optimiser, rate, batch, epochs, seed."""
    network = config.layers or "-".join(map(str, config.hidden_sizes)) or "no hidden layer"
    rate = "" if config.optimizer in ("cg", "lbfgs") else f" lr {config.learning_rate:g},"
    return (f"{network} {config.activation}, {config.optimizer}{rate} batch {config.batch_size}, "
            f"{config.epochs} epochs, seed {config.seed}")
