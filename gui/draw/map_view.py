"""Small image views for the Draw tab's "look inside" pages, created once and updated in place.

- SignedMapView: an (H, W) map of signed values in a diverging colour map (blue - white - red)
  with a symmetric range (-m, m), m = the largest |value|, so white is always exactly 0 and the
  colours of two maps mean the same sign; a colour bar with the range; optionally the outline
  of the input's ink drawn on top (the pixel edges between at least and less than half ink), so
  the map can be read against the drawing without hiding either. The outline is a few NumPy
  comparisons drawn as one line item; pyqtgraph's IsocurveItem (marching squares in Python)
  took 10-40 ms of the GUI thread per map.
- InkImageView: an (H, W) input image in [0, 1], light ink on black like the network's input.

Both keep their pyqtgraph items and update them with setImage(..., autoLevels=False). blank()
empties them (not clear(): GraphicsLayoutWidget binds clear to removing every item), the colour
bar too: a bar left with the previous map's range would say a blank map has values.
"""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt

from gui.ground import theme

OUTLINE_LEVEL = 0.5


def outline_segments(image, level):
    """(x, y) float arrays, consecutive pairs being the ends of one segment: the pixel edges
    between a pixel >= level and a neighbour < level (or the border), in image coordinates
    (pixel (r, c) spans x in [c, c + 1], y in [r, r + 1])."""
    inside = np.pad(np.asarray(image) >= level, 1)
    rows, cols = np.nonzero(inside[1:-1, 1:] != inside[1:-1, :-1])       # vertical edges at x = col
    down_rows, down_cols = np.nonzero(inside[1:, 1:-1] != inside[:-1, 1:-1])   # horizontal edges at y = row
    x = np.concatenate([np.repeat(cols, 2), np.stack([down_cols, down_cols + 1], 1).ravel()]).astype(float)
    y = np.concatenate([np.stack([rows, rows + 1], 1).ravel(), np.repeat(down_rows, 2)]).astype(float)
    return x, y


def _image_box(widget, size):
    widget.setBackground(theme.colours().plot_bg)   # swapped on a switch (plot_restyle)
    widget.ci.layout.setContentsMargins(0, 0, 0, 0)
    view = widget.addViewBox(row=0, col=0, lockAspect=True, enableMouse=False, invertY=True)
    view.setMenuEnabled(False)
    view.setDefaultPadding(0.0)
    widget.setMinimumSize(size, size)
    widget.setFocusPolicy(Qt.NoFocus)
    return view


class SignedMapView(pg.GraphicsLayoutWidget):
    def __init__(self, size=200, colour_bar=True, outline=True, parent=None):
        super().__init__(parent)
        self.view = _image_box(self, size)
        self.image = pg.ImageItem(np.zeros((28, 28)))
        theme.use_colour_map(self.image, "diverging")
        self.image.setLevels((-1.0, 1.0))
        self.view.addItem(self.image)
        self.outline = pg.PlotCurveItem(pen=theme.pen(theme.colours().rgb("outline"), 1.5, 200), connect="pairs") if outline else None
        if self.outline is not None:
            self.view.addItem(self.outline)
        self.colour_bar = None
        if colour_bar:
            self.colour_bar = pg.ColorBarItem(values=(-1.0, 1.0), colorMap=theme.colour_map("diverging"),
                                              interactive=False, width=14, orientation="vertical")
            theme.use_colour_map(self.colour_bar, "diverging")
            theme.plain_numbers(self.colour_bar)   # a PlotItem: its axis reads -1 to 1, never with a factor
            self.addItem(self.colour_bar, row=0, col=1)
            # the end labels (±1.0) are centred on the bar's ends: half a line above and below it,
            # which the widget's edge cut off with no margin
            half_line = self.fontMetrics().height() // 2 + 5   # + the frame and the label box's padding
            self.ci.layout.setContentsMargins(0, half_line, 0, half_line)
        self.values = None        # (H, W) float64 shown, or None
        self.limit = 1.0          # m: the range is (-m, m)

    def set_map(self, values, ink=None):
        """Show values (H, W) with the symmetric range; ink (H, W) in [0, 1] draws its outline."""
        values = np.asarray(values, np.float64)
        self.values = values
        largest = float(np.abs(values).max()) if values.size else 0.0
        self.limit = largest if largest > 0 else 1.0
        self.image.setImage(values, autoLevels=False, levels=(-self.limit, self.limit))
        if self.colour_bar is not None:
            self.colour_bar.setLevels((-self.limit, self.limit))
            self.colour_bar.setVisible(True)
        if self.outline is not None:
            self.outline.setData(*outline_segments(np.zeros((0, 0)) if ink is None else ink, OUTLINE_LEVEL))
        self.view.setRange(xRange=(0, values.shape[1]), yRange=(0, values.shape[0]), padding=0)

    def blank(self):
        """No map: a neutral image, no outline, the colour bar hidden (its range was the last map's)."""
        self.values, self.limit = None, 1.0
        self.image.setImage(np.zeros((28, 28)), autoLevels=False, levels=(-1.0, 1.0))
        if self.colour_bar is not None:
            self.colour_bar.setLevels((-1.0, 1.0))
            self.colour_bar.setVisible(False)
        if self.outline is not None:
            self.outline.setData(*outline_segments(np.zeros((0, 0)), OUTLINE_LEVEL))


class InkImageView(pg.GraphicsLayoutWidget):
    def __init__(self, size=120, parent=None):
        super().__init__(parent)
        self.view = _image_box(self, size)
        self.image = pg.ImageItem(np.zeros((28, 28)))
        self.image.setLevels((0.0, 1.0))
        self.view.addItem(self.image)
        self.values = None

    def set_image(self, image01):
        image01 = np.asarray(image01, np.float64)
        self.values = image01
        self.image.setImage(image01, autoLevels=False, levels=(0.0, 1.0))
        self.view.setRange(xRange=(0, image01.shape[1]), yRange=(0, image01.shape[0]), padding=0)

    def blank(self):
        self.values = None
        self.image.setImage(np.zeros((28, 28)), autoLevels=False, levels=(0.0, 1.0))
