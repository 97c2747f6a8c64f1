"""Pictures every feature draws the same way: a mosaic of image tiles, an image as an icon, a
list of captioned icons, a class-by-class matrix plot. Shared here so that features (Weights,
Data, neuron cards, galleries, Compare, My digits) never import one another's views.
"""
import math

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import QSize, Qt
from PyQt5.QtGui import QImage, QPixmap
from PyQt5.QtWidgets import QListView, QListWidget

from gui.ground import theme

GAP = 1   # pixels between tiles, filled with 0 (white in the diverging map)
ICON_SIZE = 56


def tile_mosaic(tiles, columns=None, gap=GAP):
    """(n, H, W) tiles -> ((rows*(H+gap)-gap, cols*(W+gap)-gap) mosaic, columns)."""
    n, height, width = tiles.shape
    columns = columns or max(1, math.ceil(math.sqrt(n)))
    rows = math.ceil(n / columns)
    padded = np.zeros((rows * columns, height + gap, width + gap), np.float32)
    padded[:n, :height, :width] = tiles
    mosaic = padded.reshape(rows, columns, height + gap, width + gap).transpose(0, 2, 1, 3)
    mosaic = mosaic.reshape(rows * (height + gap), columns * (width + gap))
    return mosaic[:-gap or None, :-gap or None], columns


def image_to_pixmap(image, size=ICON_SIZE):
    """(H, W) uint8 (0 background, 255 ink) -> QPixmap, ink dark on white, scaled to size."""
    pixels = np.ascontiguousarray(255 - np.asarray(image, np.uint8))
    height, width = pixels.shape
    qimage = QImage(pixels.data, width, height, width, QImage.Format_Grayscale8).copy()
    return QPixmap.fromImage(qimage.scaled(size, size, Qt.KeepAspectRatio, Qt.FastTransformation))


def make_icon_list(grid_width=ICON_SIZE + 40, grid_height=ICON_SIZE + 46):
    """A QListWidget showing captioned image icons in a static grid that reflows with the width
    (every gallery of examples uses one); nothing selectable, captions never elided."""
    icons = QListWidget()
    icons.setViewMode(QListView.IconMode)
    icons.setIconSize(QSize(ICON_SIZE, ICON_SIZE))
    icons.setGridSize(QSize(grid_width, grid_height))
    icons.setWordWrap(False)   # captions are two short lines; wrapping only elided them
    icons.setTextElideMode(Qt.ElideNone)
    icons.setResizeMode(QListView.Adjust)
    icons.setMovement(QListView.Static)
    icons.setUniformItemSizes(True)
    icons.setSelectionMode(QListWidget.NoSelection)
    return icons


def make_matrix_plot():
    """(PlotWidget, its PlotItem) styled for a class-by-class matrix: true classes down the rows
    (the first at the top), predicted classes across, no grid, no mouse panning, and a range the
    caller fixes to the matrix (so text items in the cells never widen it)."""
    widget = pg.PlotWidget()
    item = widget.getPlotItem()
    theme.style_plot(item, None, "predicted class", "true class")
    item.showGrid(x=False, y=False)
    item.setMenuEnabled(False)
    item.setMouseEnabled(x=False, y=False)
    item.hideButtons()
    item.invertY(True)
    # cells fill the pane (no letterbox bands above and below a square in a tall pane)
    item.setAspectLocked(False)
    item.disableAutoRange()
    return widget, item
