"""Restyle the pyqtgraph plots already on screen when the theme switches.

pyqtgraph reads its background and foreground options when a widget or item is made, so a live
switch walks every GraphicsView and swaps what was drawn in one of the old theme's colours for
the same role's colour in the new theme: backgrounds, axes (ticks, labels, grid), titles, legend
labels, text items, and outline pens (markers, the selected-tile frame). Colours that are not
a theme role (the curve colours, the same in both themes) are left alone. Colour-mapped images
are re-mapped by theme.apply_theme (theme.use_colour_map).
"""
import pyqtgraph as pg
from PyQt5.QtGui import QColor, QPen
from PyQt5.QtWidgets import QApplication, QGraphicsRectItem


def _role_map(old, new):
    """'#rrggbb' of the old theme -> QColor of the new one, for every colour role (the first
    role wins where two share a colour, so text maps to text)."""
    swaps = {}
    for role, value in old.as_dict().items():
        if isinstance(value, str) and value.startswith("#"):
            swaps.setdefault(value.lower(), QColor(getattr(new, role)))
    return swaps


def _swap(colour, swaps):
    """The new theme's colour for a QColor of the old theme (alpha kept), or None."""
    found = swaps.get(QColor(colour).name().lower())
    if found is None:
        return None
    found = QColor(found)
    found.setAlpha(QColor(colour).alpha())
    return found


def _swap_pen(pen, swaps):
    colour = _swap(pen.color(), swaps)
    if colour is None:
        return None
    pen = QPen(pen)
    pen.setColor(colour)
    return pen


def restyle_graphics(old, new):
    """Every open plot from theme ``old`` to theme ``new`` (two theme_colours.Colours)."""
    swaps = _role_map(old, new)
    for widget in QApplication.allWidgets():
        if isinstance(widget, pg.GraphicsView):
            restyle_view(widget, swaps)


def restyle_view(view, swaps):
    background = _swap(view.backgroundBrush().color(), swaps)
    if background is not None:   # a view with its own background (feature maps' gaps) keeps it
        view.setBackground(background)
    scene = view.scene()
    if scene is None:
        return
    for item in scene.items():
        restyle_item(item, swaps)


def restyle_item(item, swaps):
    if isinstance(item, pg.AxisItem):
        pen, text_pen = _swap_pen(item.pen(), swaps), _swap_pen(item.textPen(), swaps)
        if pen is not None:
            item.setPen(pen)
        if text_pen is not None:
            item.setTextPen(text_pen)
    elif isinstance(item, pg.LegendItem):
        colour = item.opts.get("labelTextColor")
        if colour is not None and _swap(colour, swaps) is not None:
            item.setLabelTextColor(_swap(colour, swaps))
        background = _swap(item.opts["brush"].color(), swaps)
        if background is not None:
            item.setBrush(background)
        for _sample, label in item.items:
            label.setText(label.text)   # a label without its own colour takes the new foreground
    elif isinstance(item, pg.LabelItem):
        colour = item.opts.get("color")
        if colour is None:
            item.setText(item.text)
        elif _swap(pg.mkColor(colour), swaps) is not None:
            item.setText(item.text, color=_swap(pg.mkColor(colour), swaps).name())
    elif isinstance(item, pg.TextItem):
        colour = _swap(item.color, swaps)
        if colour is not None:
            item.setColor(colour)
    elif isinstance(item, (QGraphicsRectItem, pg.InfiniteLine)):
        new_pen = _swap_pen(item.pen, swaps) if isinstance(item, pg.InfiniteLine) else _swap_pen(item.pen(), swaps)
        if new_pen is not None:
            item.setPen(new_pen)
    elif isinstance(item, pg.ScatterPlotItem):
        new_pen = _swap_pen(pg.mkPen(item.opts["pen"]), swaps)
        if new_pen is not None:
            item.setPen(new_pen)
