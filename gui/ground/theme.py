"""The light look: Qt palette + style sheet for widgets, matching pyqtgraph settings for plots.

One place for colours so plots, tables and banners agree. Colours were picked to stay
distinguishable for the common colour-vision deficiencies (blue/orange/green/grey).
"""

import pyqtgraph as pg
from PyQt5.QtGui import QColor, QFont, QPalette

from core.storage.resources import STYLE_SHEET_PATH

STYLE_SHEET = STYLE_SHEET_PATH

# Plot colours (RGB): raw curves use the same hue, faint.
BLUE = (31, 119, 180)
ORANGE = (230, 120, 20)
GREEN = (44, 160, 44)
GREY = (120, 120, 120)
PURPLE = (148, 103, 189)
TEXT = (34, 38, 46)

DIVERGING_MAP = "CET-D1"      # blue - white - red, centred: negative / zero / positive weights
SEQUENTIAL_MAP = "CET-L12"    # white -> blue: counts (confusion matrix)


def pen(color, width=1.5, alpha=255):
    return pg.mkPen(color=(*color, alpha), width=width)


def brush(color, alpha=255):
    return pg.mkBrush(*color, alpha)


def configure_pyqtgraph():
    """White plots with dark text, antialiased lines; row-major images like NumPy."""
    pg.setConfigOptions(background="w", foreground=TEXT, antialias=True, imageAxisOrder="row-major")


def plain_numbers(plot_item):
    """Ticks in the data's own units: pyqtgraph would otherwise rescale small or large values
    and put the factor in the label ("loss (x0.001)" over ticks up to 800 for a loss of 0.8)."""
    for name in ("left", "bottom", "right", "top"):
        plot_item.getAxis(name).enableAutoSIPrefix(False)


def style_plot(plot_item, title=None, x_label=None, y_label=None):
    """Shared axis styling for a PlotItem: grid, readable tick font, labels, plain numbers."""
    font = QFont()
    font.setPointSize(9)
    for name in ("left", "bottom"):
        axis = plot_item.getAxis(name)
        axis.setTickFont(font)
        axis.setTextPen(pg.mkPen(TEXT))
    plain_numbers(plot_item)
    plot_item.showGrid(x=True, y=True, alpha=0.15)
    if title:
        plot_item.setTitle(title, color="#22262e", size="11pt")
    if x_label:
        plot_item.setLabel("bottom", x_label)
    if y_label:
        plot_item.setLabel("left", y_label)


def apply_theme(app):
    """Fusion style, light palette, the app font and resources/style.qss."""
    configure_pyqtgraph()
    app.setStyle("Fusion")
    palette = QPalette()
    palette.setColor(QPalette.Window, QColor(246, 247, 249))
    palette.setColor(QPalette.Base, QColor(255, 255, 255))
    palette.setColor(QPalette.AlternateBase, QColor(243, 245, 248))
    palette.setColor(QPalette.Text, QColor(*TEXT))
    palette.setColor(QPalette.WindowText, QColor(*TEXT))
    palette.setColor(QPalette.ButtonText, QColor(*TEXT))
    palette.setColor(QPalette.Button, QColor(250, 250, 251))
    palette.setColor(QPalette.Highlight, QColor(*BLUE))
    palette.setColor(QPalette.HighlightedText, QColor(255, 255, 255))
    palette.setColor(QPalette.ToolTipBase, QColor(255, 255, 225))
    palette.setColor(QPalette.ToolTipText, QColor(*TEXT))
    # setColor(role, ...) set every colour group: give disabled fields their own grey, or a
    # field the settings do not use (learning rate for cg, epochs under iterations) looks editable
    for role, rgb in ((QPalette.Text, (150, 155, 165)), (QPalette.WindowText, (150, 155, 165)),
                      (QPalette.ButtonText, (150, 155, 165)), (QPalette.Base, (240, 241, 244))):
        palette.setColor(QPalette.Disabled, role, QColor(*rgb))
    app.setPalette(palette)
    font = app.font()
    font.setPointSize(10)
    app.setFont(font)
    if STYLE_SHEET.is_file():
        app.setStyleSheet(STYLE_SHEET.read_text(encoding="utf-8"))
