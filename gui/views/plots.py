"""Loss and accuracy curves, live: items are created once and fed with setData from buffers.
x is the optimisation step for every curve, so per-epoch points sit where the epoch ended, in line with the
mini-batch curves. Long curves are peak-downsampled and clipped to the view: a redraw stays cheap however
many points a run has. A range the program fixes keeps room for a marker at its edges (with_margin)."""
import math

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QCheckBox, QGraphicsItem, QHBoxLayout, QLabel, QSlider, QVBoxLayout, QWidget

from gui.ground import theme
from gui.ground.widgets.buffers import EmaTracker

EPOCH_MARKER_SIZE = 7   # px across an epoch point's marker
MARKER_MARGIN = EPOCH_MARKER_SIZE // 2 + 3   # px kept free inside a fixed range's edges: a marker stays whole


def with_margin(low, high, pixels, margin=MARKER_MARGIN):
    """The view range drawing low..high ``margin`` px inside a view ``pixels`` long (a marker at an end whole)."""
    pad = (high - low) * (margin / (pixels - 2 * margin) if pixels > 4 * margin else 0.02)
    return low - pad, high + pad


class _FixedSpans(pg.PlotWidget):
    """x (and y) fixed to a span of data, shown with_margin, again on each resize (unless the learner zoomed)."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self._spans, self._applied = {}, {}     # axis -> (low, high) of the data; -> the view range set
        self.getPlotItem().vb.sigResized.connect(lambda _vb: self._apply_spans(only_if_unchanged=True))

    def set_span(self, axis, low, high):
        self.getPlotItem().enableAutoRange(axis=axis, enable=False)
        self._spans[axis] = (float(low), float(high))
        self._apply_spans(axes=(axis,))

    def _apply_spans(self, axes=("x", "y"), only_if_unchanged=False):
        vb = self.getPlotItem().vb
        shown = dict(zip("xy", vb.viewRange()))
        for axis in (a for a in axes if a in self._spans):
            if only_if_unchanged and not np.allclose(shown[axis], self._applied.get(axis, shown[axis]), rtol=1e-9):
                continue
            pixels = vb.width() if axis == "x" else vb.height()
            low, high = self._applied[axis] = with_margin(*self._spans[axis], pixels)
            (vb.setXRange if axis == "x" else vb.setYRange)(low, high, padding=0)


def _cached_legend(plot_item, **kwargs):
    """A legend cached as a pixmap: it would otherwise be re-rendered on every curve update."""
    legend = plot_item.addLegend(**kwargs)
    legend.setCacheMode(QGraphicsItem.DeviceCoordinateCache)
    return legend


def cache_axes(plot_item):
    """Keep each axis (ticks, labels and its grid lines) as a pixmap, redrawn only when the axis changes
    (its range, size or log mode: pyqtgraph calls update() then). Without it every curve update replays
    all four axes' pictures, a third of a plot's repaint, on the GUI thread and under the GIL the
    training thread needs (bench/bench_gui.py)."""
    for name in ("left", "bottom", "top", "right"):
        plot_item.getAxis(name).setCacheMode(QGraphicsItem.DeviceCoordinateCache)


def _fast_curve(plot_item, **kwargs):
    curve = plot_item.plot(**kwargs)
    curve.setDownsampling(auto=True, method="peak")
    curve.setClipToView(True)
    return curve


def _markers_from_the_start(curve):
    """The curve's marker style given to its scatter now, not with the first data: the legend's sample
    is drawn from the scatter (else in the theme's grey until an epoch point arrives)."""
    scatter, opts = curve.scatter, curve.opts
    if opts.get("symbol") is not None:
        for set_, key in ((scatter.setSymbol, "symbol"), (scatter.setSize, "symbolSize"),
                          (scatter.setPen, "symbolPen"), (scatter.setBrush, "symbolBrush")):
            set_(opts[key], update=False)
    return curve


def _epoch_curve(plot_item, color, name, symbol):
    return _markers_from_the_start(plot_item.plot(
        pen=theme.pen(color, 2), symbol=symbol, symbolSize=EPOCH_MARKER_SIZE, symbolPen=theme.pen(color, 1),
        symbolBrush=theme.brush(color), name=name, connect="finite"))


class LossPlot(_FixedSpans):
    """Mini-batch loss (raw, faint) + EMA-smoothed, and per-epoch train / validation loss."""

    def __init__(self, parent=None):
        super().__init__(parent)
        item = self.getPlotItem()
        theme.style_plot(item, "Loss", "step (mini-batches)", "loss")
        cache_axes(item)
        _cached_legend(item, offset=(-10, 10), labelTextSize="9pt")
        # the faint raw curve has the most segments: drawing it without antialiasing halves its cost
        self.raw_curve = _fast_curve(item, pen=theme.pen(theme.BLUE, 1, alpha=70), name="mini-batch",
                                     connect="finite", antialias=False)
        self.smooth_curve = _fast_curve(item, pen=theme.pen(theme.BLUE, 2.2), name="smoothed", connect="finite")
        self.train_curve = _epoch_curve(item, theme.ORANGE, "train (mean over the epoch)", "o")
        self.val_curve = _epoch_curve(item, theme.GREEN, "validation (end of epoch)", "s")
        self.ema = EmaTracker(0.9)
        self._n_smoothed = 0

    def set_smoothing(self, alpha, state):
        self.ema.recompute(state.batch["loss"].view(), alpha)
        self._n_smoothed = len(self.ema.values)
        self.refresh_batches(state)

    def refresh_batches(self, state):
        steps, losses = state.batch["step"].view(), state.batch["loss"].view()
        for value in losses[self._n_smoothed:]:   # only the new points: O(1) per snapshot
            self.ema.append(value)
        self._n_smoothed = len(losses)
        self.raw_curve.setData(steps, losses)
        self.smooth_curve.setData(steps, self.ema.values.view())

    def refresh_epochs(self, state):
        steps = state.epochs["step"].view()
        self.train_curve.setData(steps, state.epochs["train_loss"].view())
        self.val_curve.setData(steps, state.epochs["val_loss"].view())

    def set_log_scale(self, enabled):
        self.getPlotItem().setLogMode(y=enabled)

    def clear_data(self):
        self.ema.clear()
        self._n_smoothed = 0
        for curve in (self.raw_curve, self.smooth_curve, self.train_curve, self.val_curve):
            curve.setData([], [])


ACCURACY_STEPS = (0.5, 1, 2, 5, 10, 20)   # % grid the accuracy y range snaps to
MIN_ACCURACY_SPAN = 4.0                   # % shown at least (one point is not a range)


def accuracy_range(low, high):
    """A y range in % around data from low to high: padded by 8% of the span (at least 0.5 points),
    snapped outwards to a step that suits the span, within 0..100 (still while the data moves a little)."""
    span = max(high - low, 1.0)
    pad = max(0.5, 0.08 * span)
    step = next((s for s in ACCURACY_STEPS if span + 2 * pad <= 8 * s), ACCURACY_STEPS[-1])
    bottom = max(0.0, math.floor((low - pad) / step) * step)
    top = min(100.0, math.ceil((high + pad) / step) * step)
    if top - bottom < MIN_ACCURACY_SPAN:   # e.g. everything at 100 %: still show a band below it
        missing = math.ceil((MIN_ACCURACY_SPAN - (top - bottom)) / step) * step
        bottom, top = bottom - missing / 2, top + missing / 2
        bottom, top = (0.0, top - bottom) if bottom < 0 else (bottom, top)
        bottom, top = (bottom - (top - 100.0), 100.0) if top > 100 else (bottom, top)
    return float(bottom), float(top)


class AccuracyPlot(_FixedSpans):
    """Running mini-batch accuracy (faint) and per-epoch train / validation accuracy, in %, plus
    test accuracy per epoch when the run records it (history 'test_accuracy')."""

    TEST_NAME = "test (epoch)"

    def __init__(self, parent=None):
        super().__init__(parent)
        item = self.getPlotItem()
        theme.style_plot(item, "Accuracy", "step (mini-batches)", "accuracy (%)")
        cache_axes(item)
        self.legend = _cached_legend(item, offset=(-10, -10), labelTextSize="9pt")
        self.batch_curve = _fast_curve(item, pen=theme.pen(theme.BLUE, 1.2, alpha=110), name="mini-batch (running)")
        self.train_curve = _epoch_curve(item, theme.ORANGE, "train (mean over the epoch)", "o")
        self.val_curve = _epoch_curve(item, theme.GREEN, "validation (end of epoch)", "s")
        # unnamed, so the legend lists it only while a run records test accuracy
        self.test_curve = _epoch_curve(item, theme.PURPLE, None, "t")
        self.test_in_legend = False
        self.extra_curves = []   # per-epoch curves added by others (My digits), counted in fit_y_range
        self.y_range = None       # 0-100 % until data arrives; then the range follows it (fit_y_range)
        self.set_span("y", 0, 100)

    def add_extra_curve(self, **style):
        """A per-epoch accuracy curve of another feature (My digits: y in %), drawn on this plot and
        counted when the y range is fitted; returns the PlotDataItem to feed with setData."""
        curve = _markers_from_the_start(self.getPlotItem().plot(**style))
        self.extra_curves.append(curve)
        return curve

    def refresh_batches(self, state):
        self.batch_curve.setData(state.batch["step"].view(), 100.0 * state.batch["accuracy"].view())
        self.fit_y_range(state, widen_only=True)

    def refresh_epochs(self, state):
        steps = state.epochs["step"].view()
        self.train_curve.setData(steps, 100.0 * state.epochs["train_accuracy"].view())
        self.val_curve.setData(steps, 100.0 * state.epochs["val_accuracy"].view())
        if state.has_test_curve:
            self.test_curve.setData(steps, 100.0 * state.epochs["test_accuracy"].view())
            if not self.test_in_legend:
                self.legend.addItem(self.test_curve, self.TEST_NAME)
                self.test_in_legend = True
        self.fit_y_range(state, widen_only=False)

    def fit_y_range(self, state, widen_only):
        """Zoom y to where the accuracies are, so 97 vs 98 % is visible. Before the first epoch ends,
        every mini-batch point counts; afterwards the per-epoch points and the second half of the mini-batch
        curve (the early climb from chance level would otherwise squash the rest). Between epochs the range
        only widens; at each epoch end it is fitted afresh: the axis moves rarely, never jitters per redraw."""
        batch_steps = state.batch["step"].view()
        batch = 100.0 * state.batch["accuracy"].view()
        epochs = 100.0 * np.concatenate([state.epochs[key].view()
                                         for key in ("train_accuracy", "val_accuracy", "test_accuracy")]
                                        + [np.asarray(c.yData if c.yData is not None else [], float) / 100.0
                                           for c in self.extra_curves])
        if len(epochs) and len(batch_steps):
            batch = batch[batch_steps >= 0.5 * batch_steps[-1]]
        values = np.concatenate([batch, epochs])
        values = values[np.isfinite(values)]
        if values.size == 0:
            return
        bottom, top = accuracy_range(float(values.min()), float(values.max()))
        if widen_only and self.y_range is not None:
            bottom, top = min(bottom, self.y_range[0]), max(top, self.y_range[1])
        if (bottom, top) != self.y_range:
            self.y_range = (bottom, top)
            self.set_span("y", bottom, top)

    def clear_data(self):
        for curve in (self.batch_curve, self.train_curve, self.val_curve, self.test_curve):
            curve.setData([], [])
        if self.test_in_legend:
            self.legend.removeItem(self.test_curve)
            self.test_in_legend = False
        self.y_range = None
        self.set_span("y", 0, 100)


class TrainingPlots(QWidget):
    """The 'Training' tab body: smoothing slider + log toggle above the two plots."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.loss_plot = LossPlot()
        self.accuracy_plot = AccuracyPlot()
        self.smoothing_slider = QSlider(Qt.Horizontal)
        self.smoothing_slider.setRange(0, 99)
        self.smoothing_slider.setValue(90)
        self.smoothing_slider.setFixedWidth(180)
        self.smoothing_slider.setToolTip("Exponential moving average weight for the smoothed loss curve")
        self.smoothing_label = QLabel("0.90")
        self.log_box = QCheckBox("log scale")
        controls = QHBoxLayout()
        for widget in (QLabel("Loss smoothing"), self.smoothing_slider, self.smoothing_label):
            controls.addWidget(widget)
        controls.addSpacing(16)
        controls.addWidget(self.log_box)
        controls.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(controls)
        for plot in (self.loss_plot, self.accuracy_plot):
            layout.addWidget(plot, 1)
        self.log_box.toggled.connect(self.loss_plot.set_log_scale)
        self._state = None
        self.smoothing_slider.valueChanged.connect(self._on_smoothing)

    @property
    def smoothing(self):
        return self.smoothing_slider.value() / 100.0

    def _on_smoothing(self, value):
        self.smoothing_label.setText(f"{value / 100:.2f}")
        if self._state is not None:
            self.loss_plot.set_smoothing(value / 100.0, self._state)
        else:
            self.loss_plot.ema.alpha = value / 100.0

    def refresh(self, state, changed):
        self._state = state
        for plot in (self.loss_plot, self.accuracy_plot):
            if "batch" in changed:
                plot.refresh_batches(state)
            if "epoch" in changed:
                plot.refresh_epochs(state)

    def set_full_batch(self, full_batch):
        """Full-batch runs (cg / lbfgs): a step is an optimiser iteration over all the data; nothing to smooth."""
        label = "optimiser iteration (full batch)" if full_batch else "step (mini-batches)"
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.getPlotItem().setLabel("bottom", label)
        self.loss_plot.smooth_curve.setVisible(not full_batch)

    def set_step_range(self, total_steps):
        """Fix x to the whole run: the axes then stay put, and repainting them is skipped. The last
        epoch's points sit at the last step: the range keeps room for their markers."""
        for plot in (self.loss_plot, self.accuracy_plot):
            plot.set_span("x", 0, max(1, total_steps))

    def clear_data(self):
        self._state = None
        self.set_step_range(1)   # not the last run's steps: the new run's come with its first snapshot
        self.loss_plot.clear_data()
        self.accuracy_plot.clear_data()
        self.loss_plot.ema.alpha = self.smoothing
