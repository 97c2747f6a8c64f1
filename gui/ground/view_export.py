"""A view as a picture: PNG at 1x, 2x or 3x its size on screen, SVG where the view is a plot, or
copied to the clipboard. Any widget, for any feature (File > Export view... and the right-click
menu are built on it in gui/shell/view_exports.py).

PNG: the widget painted into an image of scale times its size with that device pixel ratio, so
text, lines and plots are drawn at the higher resolution (not a screenshot blown up); pictures
made of pixels (weight tiles) get sharper-edged cells. SVG: pyqtgraph's SVGExporter on the view's
one plot (a view that is not a single pyqtgraph plot has none). Files are written atomically.
"""
import pyqtgraph as pg
import pyqtgraph.exporters  # noqa: F401 (pg.exporters is not imported by pyqtgraph itself)
from PyQt5.QtCore import QBuffer, QByteArray, QIODevice, QMimeData, QPoint, QRect, QRectF, Qt
from PyQt5.QtGui import QImage, QPainter
from PyQt5.QtWidgets import QApplication, QGraphicsView, QWidget

from core.errors import DigitLabError
from core.storage.atomic import atomic_write

SCALES = (1, 2, 3)
OVERLAYS = ("explainButton",)   # object names of help overlays (the ? buttons): not part of a picture


def widget_image(widget, scale=1):
    """QImage of widget as it is drawn, scale (1, 2, 3) times its size in pixels.

    The widget is painted through a painter scaled by ``scale`` (text and shapes at the higher
    resolution); a QGraphicsView (every pyqtgraph plot) ignores that scale when painted as a
    child widget, so each visible one is painted again into its place from its scene."""
    if scale not in SCALES:
        raise DigitLabError(f"a picture is 1, 2 or 3 times the view's size, not {scale}")
    size = widget.size()
    if size.width() < 1 or size.height() < 1 or not widget.isVisible():
        raise DigitLabError("this view is not on screen; show its tab first")
    if scale != 1 and isinstance(widget, pg.PlotWidget):
        return _plot_image(widget, scale)
    image = QImage(size.width() * scale, size.height() * scale, QImage.Format_ARGB32)
    image.fill(widget.palette().window().color())
    painter = QPainter(image)
    painter.setRenderHint(QPainter.Antialiasing)
    painter.setRenderHint(QPainter.TextAntialiasing)
    painter.scale(scale, scale)
    overlays = [child for child in widget.findChildren(QWidget) if child.objectName() in OVERLAYS and child.isVisible()]
    for child in overlays:
        child.setVisible(False)
    widget.render(painter)
    if scale != 1:
        views = [widget] if isinstance(widget, QGraphicsView) else widget.findChildren(QGraphicsView)
        for view in views:
            viewport = view.viewport()
            if not viewport.isVisible() or viewport.width() < 1:
                continue
            corner = viewport.mapTo(widget, QPoint(0, 0)) if view is not widget else viewport.pos()
            area = QRect(corner, viewport.size()).intersected(widget.rect())
            painter.save()
            painter.setClipRect(area)
            painter.fillRect(QRect(corner, viewport.size()), view.backgroundBrush())
            view.render(painter, QRectF(corner.x(), corner.y(), viewport.width(), viewport.height()),
                        viewport.rect())
            painter.restore()
    painter.end()
    for child in overlays:
        child.setVisible(True)
    return image


def _plot_image(widget, scale):
    """A PlotWidget at ``scale`` through pyqtgraph's own ImageExporter, which lays the plot out
    again at the larger size: painting its view through a scaled painter zoomed the scene in,
    cut the x-axis title and showed a strip of whatever lay below it (a 1366x768 walkthrough)."""
    exporter = pg.exporters.ImageExporter(widget.getPlotItem())
    exporter.parameters()["width"] = widget.width() * scale
    image = exporter.export(toBytes=True)
    target = widget.size() * scale
    if image.size() != target:   # the exporter rounds the height it derives from the width
        image = image.scaled(target, Qt.IgnoreAspectRatio, Qt.SmoothTransformation)
    return image.convertToFormat(QImage.Format_ARGB32)


def png_bytes(image):
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise DigitLabError("the picture could not be encoded as PNG")
    buffer.close()
    return bytes(data)


def plot_item(widget):
    """The pyqtgraph item to export as SVG: the widget's one plot (a PlotWidget's PlotItem, a
    GraphicsLayoutWidget's layout), or None when the widget holds no pyqtgraph view or several."""
    views = [widget] if isinstance(widget, pg.GraphicsView) else widget.findChildren(pg.GraphicsView)
    views = [view for view in views if view.isVisible()] or views
    if len(views) != 1:
        return None
    view = views[0]
    if isinstance(view, pg.PlotWidget):
        return view.getPlotItem()
    if isinstance(view, pg.GraphicsLayoutWidget):
        return view.ci
    return view.scene()


def svg_bytes(widget):
    """The widget's plot as SVG (bytes); DigitLabError if it is not a plot."""
    item = plot_item(widget)
    if item is None:
        raise DigitLabError("this view is a picture, not a single plot: save it as PNG")
    return pg.exporters.SVGExporter(item).export(toBytes=True)


def _write(path, data):
    try:
        with atomic_write(path) as handle:
            handle.write(data)
    except OSError as error:
        raise DigitLabError(f"cannot write {path}: {error.strerror or error}") from None
    return path


def save_view(widget, path, scale=1):
    """Write widget to path: .svg as SVG, anything else as PNG at ``scale``. Returns the path."""
    path = str(path)
    if path.lower().endswith(".svg"):
        return _write(path, svg_bytes(widget))
    if not path.lower().endswith(".png"):
        raise DigitLabError(f"{path}: name the picture .png (or .svg for a plot)")
    return _write(path, png_bytes(widget_image(widget, scale)))


def copy_view(widget, scale=1, with_svg=False):
    """Put the widget's picture on the clipboard (with_svg: its plot's SVG too, so a drawing
    program can paste the vectors). Returns the QImage."""
    image = widget_image(widget, scale)
    data = QMimeData()
    data.setImageData(image)
    if with_svg and plot_item(widget) is not None:
        data.setData("image/svg+xml", QByteArray(svg_bytes(widget)))
    QApplication.clipboard().setMimeData(data)
    return image
