"""Per-layer health: weight RMS, gradient RMS and update/weight ratio, plus a weight histogram.

The ratio |update| / |weights| of one optimiser step is the classic learning-rate sanity check
(about 1e-3 at a good starting rate; 1e-1 means the weights are being rewritten every step, 1e-6
that nothing moves). The update is proportional to the learning rate, so as a schedule lowers the
rate the ratio falls with it: 3e-5 at the end of a cosine schedule is expected, not a fault. The
hint and the readings are relative to the current rate (``rate_fraction``: the current learning
rate over the starting one). The histogram shows the chosen layer's weights from the latest
network copy.
"""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtWidgets import (QAbstractItemView, QComboBox, QFrame, QHBoxLayout, QHeaderView, QLabel, QScrollArea,
                             QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)
from PyQt5.QtCore import QSize, Qt

from core.training.snapshots import LayerStats
from gui.ground import theme

# short headers that fit a narrow pane; the tooltips say what each column means
COLUMNS = ("layer", "shape", "W rms", "∇ rms", "upd/W")
COLUMN_TIPS = (
    "Weight matrix (W1 is the first layer)",
    "Inputs x outputs of the weight matrix",
    "Root-mean-square of the weights",
    "Root-mean-square of the last mini-batch gradient of the weights",
    "Ratio |update| / |weights| of the last optimiser step (about 1e-3 at the starting learning rate; "
    "it falls as the learning rate is lowered)",
)
NOT_AVAILABLE = "n/a"
NOT_AVAILABLE_TIP = ("not reported by this trainer (full-batch CG / L-BFGS has no mini-batch gradient: "
                     "a line search evaluates the whole training set several times per iteration)")
LOADED_TIP = ("not known for a model opened from a file: the gradient and the update exist only while a "
              "model trains (train it further to see them)")
N_BINS = 60
MAX_VISIBLE_ROWS = 6   # deeper networks scroll inside the table
HISTOGRAM_MIN_HEIGHT = 120   # px: its axis title ("count") still fits beside it


def compact_number(value):
    """At most 3 significant digits in few characters: 0.0673, 0.25, 1.15e-3, 2.5e+4, 0, inf;
    NaN (a figure the trainer does not report, e.g. full-batch gradients) is 'n/a'."""
    value = float(value)
    if np.isnan(value):
        return NOT_AVAILABLE
    if not np.isfinite(value):
        return str(value)
    if value == 0:
        return "0"
    if 1e-2 <= abs(value) < 1e3:
        return f"{value:.3g}"
    mantissa, exponent = f"{value:.2e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    return f"{mantissa}e{int(exponent):+d}".replace("e+", "e")


DEFAULT_HINT = ("update / weight ≈ 1e-3 per step is usual at the starting learning rate; it falls with "
                "the rate as a schedule lowers it.")


def ratio_hint(ratio, rate_fraction=1.0):
    """A plain-words reading of the update/weight ratio, relative to the current learning rate
    (rate_fraction: current rate / starting rate; the update scales with it)."""
    if not np.isfinite(ratio) or ratio == 0:
        return "no update"
    scale = rate_fraction if rate_fraction and np.isfinite(rate_fraction) and rate_fraction > 0 else 1.0
    # Only "tiny" moves with the schedule: a lowered rate makes small updates normal, but never
    # makes a large one fine (and with momentum the update lags the rate's fall).
    if ratio > 3e-2:
        return "large: learning rate may be too high"
    if ratio < 1e-5 * scale:
        return "tiny: learning rate may be too low"
    return "usual range" + (" for the lowered learning rate" if scale < 0.5 else "")


def rate_hint(rate_fraction):
    """The hint under the table: what update / weight should be now, given the schedule."""
    if rate_fraction is None or not np.isfinite(rate_fraction) or rate_fraction >= 0.5:
        return DEFAULT_HINT
    return (f"update / weight ≈ 1e-3 per step is a rule of thumb at the starting learning rate. The "
            f"schedule has lowered the rate to {rate_fraction:.0%} of its start, so smaller ratios are "
            f"expected now (with momentum they fall a little later than the rate).")


class _Histogram(pg.PlotWidget):
    """A plot that asks for its least height only: the scroll area sizes its content by the
    preferred heights (the hint wraps: height for width), and a plot's 480 px made the pane scroll
    where the histogram could simply have been shorter."""

    def sizeHint(self):
        return QSize(super().sizeHint().width(), HISTOGRAM_MIN_HEIGHT)


class LayerStatsView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        for col, tip in enumerate(COLUMN_TIPS):
            self.table.horizontalHeaderItem(col).setToolTip(tip)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        header = self.table.horizontalHeader()
        # every column as wide as its widest cell (header included); spare width is shared out
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setMinimumSectionSize(36)
        self.table.setHorizontalScrollBarPolicy(Qt.ScrollBarAsNeeded)
        self._fit_height()
        self.layer_combo = QComboBox()
        self.layer_combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.layer_combo.currentIndexChanged.connect(lambda _: self.refresh_histogram())
        self.histogram = _Histogram()
        theme.style_plot(self.histogram.getPlotItem(), None, "weight value", "count")
        self.histogram.setMinimumHeight(HISTOGRAM_MIN_HEIGHT)
        self.bars = pg.PlotDataItem(stepMode="center", fillLevel=0, pen=theme.pen(theme.PURPLE, 1.5),
                                    brush=theme.brush(theme.PURPLE, 90))
        self.histogram.addItem(self.bars)
        title = QHBoxLayout()
        title.addWidget(QLabel("Weight histogram of"))
        title.addWidget(self.layer_combo)
        title.addStretch(1)
        self.hint = QLabel(DEFAULT_HINT)
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        # The table (fixed to its rows' height), the hint, the histogram's title and the histogram
        # in a scroll area: a pane shorter than they need scrolls them. Squeezed below their least
        # height instead (the Weights tab at 1366x768 with a 4-layer CNN), the hint was drawn over
        # the table's last row.
        content = QWidget()
        layout = QVBoxLayout(content)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        layout.addLayout(title)
        layout.addWidget(self.histogram, 1)
        self.scroll = QScrollArea()
        self.scroll.setWidget(content)
        self.scroll.setWidgetResizable(True)   # as tall as the pane when it has the room
        self.scroll.setFrameShape(QFrame.NoFrame)
        self.scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)   # the table scrolls its own columns
        outer = QVBoxLayout(self)
        outer.setContentsMargins(0, 0, 0, 0)
        outer.addWidget(self.scroll)
        self.network = None
        self._drawn_network = None   # the network the histogram shows (it may lag while hidden)

    def show_weights_only(self, network):
        """A model opened from a file: the weight RMS of every layer from its weights; the
        gradient and update columns say why they are empty (no training step to measure)."""
        stats = tuple(LayerStats(f"W{i + 1}", float(np.sqrt(np.mean(np.square(W, dtype=np.float64)))),
                                 float("nan"), float("nan")) for i, W in enumerate(network.weights))
        self.set_stats(stats, network, missing_tip=LOADED_TIP)
        self.hint.setText("A model opened from a file: its weights only. Gradients and updates appear "
                          "while a model trains.")

    def set_stats(self, layer_stats, network=None, missing_tip=NOT_AVAILABLE_TIP, rate_fraction=None):
        """layer_stats: tuple of core.training.snapshots.LayerStats; network gives the shapes;
        missing_tip says why a figure is n/a; rate_fraction: current / starting learning rate."""
        self.hint.setText(rate_hint(rate_fraction))
        if self.table.rowCount() != len(layer_stats):
            self.table.setRowCount(len(layer_stats))
        shapes = [W.shape for W in network.weights] if network is not None else [None] * len(layer_stats)
        for row, stats in enumerate(layer_stats):
            shape = shapes[row] if row < len(shapes) and shapes[row] else ""
            values = (stats.name, "×".join(map(str, shape)) if shape else "", compact_number(stats.weight_rms),
                      compact_number(stats.grad_rms), compact_number(stats.update_ratio))
            exact = ("", "", f"{stats.weight_rms:.6g}", f"{stats.grad_rms:.6g}", f"{stats.update_ratio:.6g}")
            for col, text in enumerate(values):
                item = self.table.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignCenter)
                    self.table.setItem(row, col, item)
                item.setText(text)
                if text == NOT_AVAILABLE:
                    item.setToolTip(f"{COLUMN_TIPS[col]}: {missing_tip}")
                elif exact[col]:
                    item.setToolTip(f"{COLUMN_TIPS[col]}: {exact[col]}")
            if np.isfinite(stats.update_ratio):
                self.table.item(row, 4).setToolTip(f"update / weight = {exact[4]}: "
                                                   f"{ratio_hint(stats.update_ratio, rate_fraction)}")
        self._fit_columns()
        self._fit_height()

    def _fit_columns(self):
        """Columns at least as wide as their contents; what is left of the width shared evenly."""
        self.table.resizeColumnsToContents()
        n = self.table.columnCount()
        needed = [self.table.columnWidth(c) for c in range(n)]
        spare = self.table.viewport().width() - sum(needed)
        for col, width in enumerate(needed):
            self.table.setColumnWidth(col, width + max(0, spare) // n)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        self._fit_columns()
        self._fit_height()
        if event.oldSize().width() != event.size().width():
            self.updateGeometry()   # the hint wraps anew: another least height

    def sizeHint(self):
        return self.scroll.widget().sizeHint()   # a splitter shares its room by this: as much as before

    def minimumSizeHint(self):
        """The content's least size at this width (the hint wraps), asked for as before the scroll
        area; given less, the pane scrolls instead of overprinting."""
        content = self.scroll.widget()
        least = content.minimumSizeHint()
        width = self.scroll.viewport().width()
        if width > 0 and content.hasHeightForWidth():
            least.setHeight(max(least.height(), content.heightForWidth(width)))
        frame = max(0, self.scroll.height() - self.scroll.viewport().height())   # the style's border
        return least + QSize(frame, frame)

    def _fit_height(self):
        """As tall as the header and the rows (up to MAX_VISIBLE_ROWS): no blank rows below them,
        and room for the horizontal scroll bar when the columns are wider than the table."""
        rows = min(self.table.rowCount(), MAX_VISIBLE_ROWS)
        height = self.table.horizontalHeader().sizeHint().height() + 2 * self.table.frameWidth()
        height += sum(self.table.rowHeight(r) for r in range(rows)) if rows else self.table.verticalHeader().defaultSectionSize()
        columns = sum(self.table.columnWidth(c) for c in range(self.table.columnCount()))
        if not self.isVisible() or columns > self.table.width() - 2 * self.table.frameWidth():
            height += self.table.horizontalScrollBar().sizeHint().height()   # it shows (or may: not laid out yet)
        if self.table.height() != height or self.table.minimumHeight() != height:
            self.table.setFixedHeight(height)
            self.updateGeometry()   # the pane around asks for the new height (sizeHint: the content's)

    def set_network(self, network, draw=True):
        """Keep the latest network copy and redraw the histogram of the chosen layer. With
        draw=False (nobody is looking) only the copy is kept; the histogram is drawn from it
        when the view is shown."""
        self.network = network
        if draw:
            self._draw_network()

    def showEvent(self, event):
        super().showEvent(event)
        if self.network is not None and self.network is not self._drawn_network:
            self._draw_network()

    def _draw_network(self):
        network = self._drawn_network = self.network
        names = [f"W{i + 1} ({W.shape[0]}x{W.shape[1]})" for i, W in enumerate(network.weights)]
        if [self.layer_combo.itemText(i) for i in range(self.layer_combo.count())] != names:
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems(names)
            self.layer_combo.blockSignals(False)
        self.refresh_histogram()

    def refresh_histogram(self):
        if self.network is None:
            return
        index = max(0, self.layer_combo.currentIndex())
        weights = self.network.weights[index].ravel()
        finite = weights[np.isfinite(weights)]
        if finite.size == 0:
            return
        counts, edges = np.histogram(finite, bins=N_BINS)
        self.bars.setData(edges, counts)

    def clear(self):
        self.table.setRowCount(0)
        self.hint.setText(DEFAULT_HINT)
        self._fit_height()
        self.bars.setData([], [])
        self.network = self._drawn_network = None
