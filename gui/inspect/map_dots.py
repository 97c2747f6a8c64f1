"""The map's dots: every validation image of the map in ONE pyqtgraph ScatterPlotItem, styled by
its digit, placed without pyqtgraph's per-point Python loops.

    styles = DotStyles()                          # one brush, pen and symbol per digit, made once
    place_dots(dots, xy, digits, styles)          # (k, 2) positions, (k,) digits; point i has data i

Why one item and not one per digit: while training, every return of the GUI thread from Qt to
Python (each paint, bounds query and hover of an item) can wait up to a GIL switch interval
behind the training thread, so ten items cost about ten times the waits of one
(bench/bench_map_draw.py: a new map's frame 40 -> 15 ms with a busy thread). Why not
setData: for a new subset it resolves every point's brush, pen and atlas entry in Python (8 ms
for 2,000 points); place_dots looks the ten styles up once and indexes them by digit. The same
subset (every epoch, PCA and t-SNE, another layer) only moves: x and y written in place.
reference_place_dots is the readable setData version, which the tests hold place_dots to.
"""
import numpy as np
import pyqtgraph as pg

from gui.inspect.pictures import DIGIT_COLOURS, DIGIT_SYMBOLS


class DotStyles:
    """One brush, pen and symbol per digit, created once: per-point arrays then index these
    few objects, so pyqtgraph's symbol atlas holds ten entries (plus the hover style).

        brushes, pens, symbols = styles.for_digits(digits)    # (k,) object arrays each
    """

    def __init__(self):
        self.brushes = np.array([pg.mkBrush(*colour, 210) for colour in DIGIT_COLOURS], dtype=object)
        self.pens = np.array([pg.mkPen(tuple(int(v * 0.6) for v in colour), width=0.8)
                              for colour in DIGIT_COLOURS], dtype=object)
        self.symbols = np.array(DIGIT_SYMBOLS, dtype=object)

    def for_digits(self, digits):
        digits = np.asarray(digits) % len(DIGIT_COLOURS)
        return self.brushes[digits], self.pens[digits], self.symbols[digits]

    def atlas_rects(self, dots, dtype):
        """(10,) records of ``dtype`` (x, y, w, h): where each digit's symbol sits in the
        ScatterPlotItem ``dots``' symbol atlas (drawn into it if new), at the item's size."""
        size = dots.opts["size"]
        rects = dots.fragmentAtlas[[(symbol, size, pen, brush)
                                    for symbol, pen, brush in zip(self.symbols, self.pens, self.brushes)]]
        return np.array([tuple(rect) for rect in rects], dtype=dtype)


def place_dots(dots, xy, digits, styles):
    """Show points xy (k, 2) of digits (k,) in the ScatterPlotItem ``dots``; point i carries
    data i, its index in the map. Returns True when the dots were styled anew (a new subset).

    The same digits as before (every epoch, t-SNE and PCA, another layer: the subset is fixed)
    only move: x and y are written in place and the item told, as ScatterPlotItem.addPoints
    does. A new subset is written as pyqtgraph's point records directly, each point's place in
    the symbol atlas looked up once per digit (styles.atlas_rects) instead of setData's per-point
    Python loops over 2,000 brushes, pens and atlas keys (8 ms, quiet machine);
    reference_place_dots is the plain setData it must equal (tests)."""
    data, shown = dots.data, getattr(dots, "digits", None)
    if shown is not None and len(data) == len(digits) and np.array_equal(shown, digits):
        data["x"], data["y"] = xy[:, 0], xy[:, 1]
        restyled = False
    else:
        brushes, pens, symbols = styles.for_digits(digits)
        records = np.empty(len(digits), dtype=data.dtype)      # object fields start as None
        records["x"], records["y"] = xy[:, 0], xy[:, 1]
        records["size"] = -1                                     # the item's size
        records["symbol"], records["pen"], records["brush"] = symbols, pens, brushes
        records["visible"], records["hovered"] = True, False
        records["data"] = np.arange(len(digits))
        records["sourceRect"] = styles.atlas_rects(dots, records.dtype["sourceRect"])[digits]
        dots.data = records
        dots.digits = np.array(digits, copy=True)
        dots.updateSpots()                 # nothing left to resolve; the spot size for the bounds
        restyled = True
    dots.prepareGeometryChange()
    dots.informViewBoundsChanged()
    dots.bounds = [None, None]
    dots.invalidate()
    dots.sigPlotChanged.emit(dots)
    return restyled


def reference_place_dots(dots, xy, digits, styles):
    """What place_dots does for a new subset, through pyqtgraph's public setData (slower)."""
    brushes, pens, symbols = styles.for_digits(digits)
    dots.setData(x=xy[:, 0], y=xy[:, 1], data=np.arange(len(digits)), brush=list(brushes), pen=list(pens),
                 symbol=symbols)
    dots.digits = np.array(digits, copy=True)
