"""First-layer weights as a grid of small images, one tile per hidden unit.

Unit j's tile is column j of W1 (n_inputs, n_units) reshaped to the image shape (H, W), so it
shows which pixels excite (red) or inhibit (blue) that unit. All tiles are packed into one
mosaic drawn by a single ImageItem: one texture upload per refresh instead of n_units.
Levels are symmetric (-m, +m) with m = max |w|, so white always means zero.
"""

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import QRectF, pyqtSignal
from PyQt5.QtGui import QPen
from PyQt5.QtWidgets import QGraphicsRectItem, QLabel, QVBoxLayout, QWidget

from core.figures.weights import symmetric_limit
from gui.ground import theme
from gui.ground.pictures import GAP, tile_mosaic

EMPTY_CAPTION = "Weights appear when training starts or a model is loaded."

class WeightGrid(QWidget):
    """The mosaic plus a caption naming the hovered or clicked unit."""

    unit_selected = pyqtSignal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.graphics = pg.GraphicsLayoutWidget()
        self.view = self.graphics.addViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.image = pg.ImageItem(axisOrder="row-major")
        theme.use_colour_map(self.image, "diverging")
        self.view.addItem(self.image)
        self.highlight = QGraphicsRectItem()
        self.highlight.setPen(QPen(theme.qcolor("outline"), 0))   # swapped on a theme switch (plot_restyle)
        self.highlight.setVisible(False)
        self.view.addItem(self.highlight)
        self.caption = QLabel(EMPTY_CAPTION)
        self.caption.setObjectName("hint")
        self.scale_label = QLabel("")
        self.scale_label.setObjectName("hint")
        self.scale_label.setWordWrap(True)
        self.caption.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.caption)
        layout.addWidget(self.scale_label)
        self.tiles = np.zeros((0, 1, 1), np.float32)   # (n_units, H, W) of the last refresh
        self.columns = 1
        self.selected_unit = -1
        self.kind = "hidden unit"
        self.graphics.scene().sigMouseMoved.connect(self._on_mouse_moved)
        self.graphics.scene().sigMouseClicked.connect(self._on_mouse_clicked)

    def set_weights(self, first_weights, image_shape, output_layer=False):
        """first_weights: (n_inputs, n_units) W1; image_shape: (H, W) with H*W == n_inputs."""
        height, width = image_shape
        tiles = np.asarray(first_weights, np.float32).T.reshape(-1, height, width)
        self.set_tiles(tiles, "output unit" if output_layer else "hidden unit")

    def set_tiles(self, tiles, kind="hidden unit"):
        """tiles: (n_units, H, W) float."""
        self.tiles, self.kind = tiles, kind
        mosaic, self.columns = tile_mosaic(tiles)
        # 99.5th percentile of |w|, not the max: a few outlier weights would wash every tile out
        limit = symmetric_limit(tiles)
        first = self.image.image is None or self.image.image.shape != mosaic.shape
        self.image.setImage(mosaic, autoLevels=False, levels=(-limit, limit))
        if first:
            self.view.autoRange(padding=0.01)
        n, height, width = tiles.shape
        units = kind if n == 1 else f"{kind}s"
        if self.caption.text().startswith("Weights appear"):
            self.caption.setText("Hover or click a tile to name its unit.")
        self.scale_label.setText(f"{n} {units}, {height}x{width} each · colour scale ±{limit:.3g} "
                                 f"(99.5th percentile of |w|; blue negative, white 0, red positive)")
        if 0 <= self.selected_unit < n:
            self._describe(self.selected_unit, selected=True)

    def clear(self):
        """Forget the network: its tiles, the selected unit and the captions describing them."""
        self.tiles = np.zeros((0, 1, 1), np.float32)
        self.image.clear()
        self.highlight.setVisible(False)
        self.selected_unit = -1
        self.caption.setText(EMPTY_CAPTION)   # never "Selected hidden unit 38" of the last network
        self.scale_label.setText("")

    def unit_at(self, x, y):
        """Unit index under mosaic pixel coordinates (x, y), or -1 (gap or outside)."""
        n, height, width = self.tiles.shape
        if n == 0 or x < 0 or y < 0:
            return -1
        col, row = int(x // (width + GAP)), int(y // (height + GAP))
        if col >= self.columns or x - col * (width + GAP) >= width or y - row * (height + GAP) >= height:
            return -1
        unit = row * self.columns + col
        return unit if unit < n else -1

    def describe_unit(self, unit):
        tile = self.tiles[unit]
        return (f"{self.kind} {unit}: |w| max {np.max(np.abs(tile)):.3g}, "
                f"mean {np.mean(tile):+.3g}, rms {np.sqrt(np.mean(tile * tile)):.3g}")

    def _describe(self, unit, selected=False):
        self.caption.setText(("Selected " if selected else "") + self.describe_unit(unit))

    def _scene_to_unit(self, scene_pos):
        point = self.view.mapSceneToView(scene_pos)
        return self.unit_at(point.x(), point.y())

    def _on_mouse_moved(self, scene_pos):
        unit = self._scene_to_unit(scene_pos)
        if unit >= 0:
            self._describe(unit)
        elif 0 <= self.selected_unit < len(self.tiles):
            self._describe(self.selected_unit, selected=True)

    def _on_mouse_clicked(self, event):
        self.select_unit(self._scene_to_unit(event.scenePos()))

    def select_unit(self, unit):
        if unit < 0 or unit >= len(self.tiles):
            return
        self.selected_unit = unit
        _, height, width = self.tiles.shape
        row, col = divmod(unit, self.columns)
        self.highlight.setRect(QRectF(col * (width + GAP) - 0.5, row * (height + GAP) - 0.5, width + 1, height + 1))
        self.highlight.setVisible(True)
        self._describe(unit, selected=True)
        self.unit_selected.emit(unit)
