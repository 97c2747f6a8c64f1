"""Per-layer health: weight RMS, gradient RMS and update/weight ratio, plus a weight histogram.

The ratio |update| / |weights| of one optimiser step is the classic learning-rate sanity check
(about 1e-3 is healthy; 1e-1 means the weights are being rewritten every step, 1e-6 that
nothing moves). The histogram shows the chosen layer's weights from the latest network copy.
"""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtWidgets import (QAbstractItemView, QComboBox, QHBoxLayout, QHeaderView, QLabel, QTableWidget,
                             QTableWidgetItem, QVBoxLayout, QWidget)
from PyQt5.QtCore import Qt

from gui import theme

COLUMNS = ("layer", "shape", "W rms", "grad rms", "update/W")
N_BINS = 60


def ratio_hint(ratio):
    """A plain-words reading of the update/weight ratio."""
    if not np.isfinite(ratio) or ratio == 0:
        return "no update"
    if ratio > 3e-2:
        return "large: learning rate may be too high"
    if ratio < 1e-5:
        return "tiny: learning rate may be too low"
    return "healthy range"


class LayerStatsView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.NoSelection)
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        self.table.setMaximumHeight(130)
        self.layer_combo = QComboBox()
        self.layer_combo.currentIndexChanged.connect(lambda _: self.refresh_histogram())
        self.histogram = pg.PlotWidget()
        theme.style_plot(self.histogram.getPlotItem(), None, "weight value", "count")
        self.histogram.setMinimumHeight(140)
        self.bars = pg.PlotDataItem(stepMode="center", fillLevel=0, pen=theme.pen(theme.PURPLE, 1.5),
                                    brush=theme.brush(theme.PURPLE, 90))
        self.histogram.addItem(self.bars)
        title = QHBoxLayout()
        title.addWidget(QLabel("Weight histogram of"))
        title.addWidget(self.layer_combo)
        title.addStretch(1)
        self.hint = QLabel("update / weight ≈ 1e-3 per step is the usual healthy range.")
        self.hint.setObjectName("hint")
        self.hint.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.table)
        layout.addWidget(self.hint)
        layout.addLayout(title)
        layout.addWidget(self.histogram, 1)
        self.network = None

    def set_stats(self, layer_stats, network=None):
        """layer_stats: tuple of core.snapshots.LayerStats; network gives the shapes."""
        if self.table.rowCount() != len(layer_stats):
            self.table.setRowCount(len(layer_stats))
        shapes = [W.shape for W in network.weights] if network is not None else [None] * len(layer_stats)
        for row, stats in enumerate(layer_stats):
            shape = shapes[row] if row < len(shapes) and shapes[row] else ""
            values = (stats.name, "x".join(map(str, shape)) if shape else "", f"{stats.weight_rms:.4g}",
                      f"{stats.grad_rms:.3g}", f"{stats.update_ratio:.2e}")
            for col, text in enumerate(values):
                item = self.table.item(row, col)
                if item is None:
                    item = QTableWidgetItem()
                    item.setTextAlignment(Qt.AlignCenter)
                    self.table.setItem(row, col, item)
                item.setText(text)
            self.table.item(row, 4).setToolTip(ratio_hint(stats.update_ratio))

    def set_network(self, network):
        """Keep the latest network copy and redraw the histogram of the chosen layer."""
        self.network = network
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
        self.bars.setData([], [])
        self.network = None
