"""The filters of every convolution layer, live, one layer at a time (a selector picks it).

The first conv layer reads the image itself, so its filters (C_out, 1, k, k) are shown as little
images in a square-ish grid, like the first-layer tiles of a dense network. A deeper layer reads
C_in channels: its filters are shown as a grid, one row per output filter and one column per
input channel, each cell the k x k kernel that filter applies to that channel (summed over the
columns of a row, they make the filter's response).

Drawing is cheap enough for the redraw scheduler's few Hz: one ImageItem (one texture upload)
for the whole mosaic, created once; setImage with autoLevels=False and a symmetric range
(-m, +m), m the 99.5th percentile of |w| in the layer, so white is always zero.

WeightsPane switches the Weights tab's left side between this view (networks with conv layers)
and gui.views.weights_view.WeightGrid (fully connected networks, as before).
"""

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QComboBox, QHBoxLayout, QLabel, QStackedWidget, QVBoxLayout, QWidget

from core.figures.weights import symmetric_limit
from gui.ground import theme
from gui.ground.pictures import GAP, tile_mosaic


def filter_mosaic(filters, gap=GAP):
    """(C_out, C_in, k, k) -> (mosaic 2-D, columns). C_in == 1: a square-ish grid of C_out tiles;
    else rows = output filters, columns = input channels."""
    n_out, n_in, k, _ = filters.shape
    if n_in == 1:
        return tile_mosaic(filters[:, 0], gap=gap)
    padded = np.zeros((n_out, n_in, k + gap, k + gap), np.float32)
    padded[:, :, :k, :k] = filters
    mosaic = padded.transpose(0, 2, 1, 3).reshape(n_out * (k + gap), n_in * (k + gap))
    return mosaic[:-gap or None, :-gap or None], n_in


class ConvFiltersView(QWidget):
    """Layer selector + filter mosaic + caption. ``filters``: [(name, (C_out, C_in, k, k))] of the
    last network; ``tiles``: the shown layer's filters; ``mosaic``: the image drawn. A click on a
    kernel emits filter_selected(conv layer index from 0, output filter)."""
    filter_selected = pyqtSignal(int, int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip("Which convolution layer's filters to show")
        self.graphics = pg.GraphicsLayoutWidget()
        self.plot = self.graphics.addPlot()
        theme.plain_numbers(self.plot)
        self.plot.setMenuEnabled(False)
        self.plot.setMouseEnabled(False, False)
        self.plot.hideButtons()
        self.plot.invertY(True)
        self.plot.setAspectLocked(True)
        self.image = pg.ImageItem(axisOrder="row-major")
        theme.use_colour_map(self.image, "diverging")
        self.plot.addItem(self.image)
        self.caption = QLabel("Filters appear when a network with convolution layers trains or is loaded.")
        self.caption.setObjectName("hint")
        self.caption.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Layer"))
        top.addWidget(self.layer_combo, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.caption)
        self.filters, self.tiles, self.mosaic, self.columns = [], None, None, 1
        self._shape = None
        self.summary = ""
        self.layer_combo.currentIndexChanged.connect(lambda _: self.draw())
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.graphics.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def set_network(self, network):
        """Take every conv layer's filters from network (a few small copies) and redraw."""
        self.set_filters(network.conv_filters())

    def set_filters(self, filters):
        """filters: [(layer name, (C_out, C_in, k, k))]."""
        names = [name for name, _ in filters]
        if names != [name for name, _ in self.filters]:
            current = self.layer_combo.currentIndex()
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            for name, weights in filters:
                n_out, n_in, k, _ = weights.shape
                self.layer_combo.addItem(f"{name}: {n_out} filters of {k}x{k} on {n_in} channel{'s' * (n_in > 1)}")
            self.layer_combo.setCurrentIndex(current if 0 <= current < len(filters) else 0)
            self.layer_combo.blockSignals(False)
        self.filters = filters
        self.draw()

    def draw(self):
        index = self.layer_combo.currentIndex()
        if not 0 <= index < len(self.filters):
            return
        name, tiles = self.filters[index]
        self.tiles = tiles
        self.mosaic, self.columns = filter_mosaic(tiles)
        limit = symmetric_limit(tiles)
        self.image.setImage(self.mosaic, autoLevels=False, levels=(-limit, limit))
        if self._shape != (index, tiles.shape):
            self._shape = (index, tiles.shape)
            self._label_axes(tiles.shape)
            self.plot.autoRange(padding=0.02)
        n_out, n_in, k, _ = tiles.shape
        layout = ("rows: output filters, columns: input channels" if n_in > 1
                  else "one tile per filter, on the image itself")
        self.summary = (f"{name}: {n_out} filters of {k}x{k} ({layout}) · colour scale ±{limit:.3g} "
                        f"(99.5th percentile of |w|; blue negative, white 0, red positive). Hover a kernel to name it.")
        self.caption.setText(self.summary)

    def cell_at(self, x, y):
        """(output filter, input channel) under mosaic coordinates (x, y), or None (gap, outside)."""
        if self.tiles is None or x < 0 or y < 0:
            return None
        n_out, n_in, k, _ = self.tiles.shape
        col, row = int(x // (k + GAP)), int(y // (k + GAP))
        if x - col * (k + GAP) >= k or y - row * (k + GAP) >= k or col >= self.columns:
            return None
        if n_in == 1:
            unit = row * self.columns + col
            return (unit, 0) if unit < n_out else None
        return (row, col) if row < n_out else None

    def _on_mouse_moved(self, scene_pos):
        point = self.plot.vb.mapSceneToView(scene_pos)
        cell = self.cell_at(point.x(), point.y())
        if cell is None:
            self.caption.setText(self.summary)
            return
        kernel = self.tiles[cell]
        channel = f", input channel {cell[1]}" if self.tiles.shape[1] > 1 else ""
        self.caption.setText(f"filter {cell[0]}{channel}: weights from {kernel.min():+.3g} to {kernel.max():+.3g}, "
                             f"sum {kernel.sum():+.3g} (a positive sum answers to bright areas, "
                             f"a near-zero sum to edges)")

    def _on_mouse_clicked(self, event):
        point = self.plot.vb.mapSceneToView(event.scenePos())
        cell = self.cell_at(point.x(), point.y())
        if cell is not None:
            self.select_filter(self.layer_combo.currentIndex(), cell[0])

    def select_filter(self, layer_index, output_filter):
        """Show conv layer ``layer_index`` and announce its filter ``output_filter`` (a click does this)."""
        if self.layer_combo.currentIndex() != layer_index:
            self.layer_combo.setCurrentIndex(layer_index)
        self.filter_selected.emit(layer_index, output_filter)

    def _label_axes(self, shape):
        n_out, n_in, k, _ = shape
        deep = n_in > 1
        for side in ("left", "bottom"):
            self.plot.showAxis(side, deep)
        if deep:   # a tick at the middle of every row / column (every other one when crowded)
            step = (k + GAP)
            left = [(row * step + (k - 1) / 2, str(row)) for row in range(0, n_out, 1 if n_out <= 32 else 2)]
            bottom = [(col * step + (k - 1) / 2, str(col)) for col in range(0, n_in, 1 if n_in <= 32 else 2)]
            self.plot.getAxis("left").setTicks([left, []])
            self.plot.getAxis("bottom").setTicks([bottom, []])
            self.plot.setLabel("left", "output filter")
            self.plot.setLabel("bottom", "input channel")

    def clear(self):
        self.filters, self.tiles, self.mosaic, self._shape = [], None, None, None
        self.layer_combo.clear()
        self.image.clear()


class WeightsPane(QStackedWidget):
    """The Weights tab's left side: dense first-layer tiles (page 0) or conv filters (page 1)."""

    def __init__(self, grid_page, grid, filters_page, filters, parent=None):
        super().__init__(parent)
        self.grid, self.filters = grid, filters
        self.addWidget(grid_page)
        self.addWidget(filters_page)

    def show_conv(self, network):
        """Show network's conv filters and return True, or False when it has no conv layer (the
        caller draws the dense tiles as before)."""
        has_conv = any(getattr(layer, "kind", "") == "conv" for layer in network.layers)
        self.setCurrentIndex(1 if has_conv else 0)
        if has_conv:
            self.filters.set_network(network)
        return has_conv

    def shown_graphics(self):
        """The plot shown (File > Export > weights saves it)."""
        return self.filters.graphics if self.currentIndex() == 1 else self.grid.graphics

    def clear(self):
        self.filters.clear()
        self.setCurrentIndex(0)
