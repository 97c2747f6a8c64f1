"""The neuron card's widgets and plot items, created once (neuron_card.py fills them).

Three columns: what comes in (incoming weights over the images that excite the unit most),
what it responds to (mean per digit over the images it ignores), what it does (outgoing
weights over the accuracy with and without it).
"""
import pyqtgraph as pg
from PyQt5.QtWidgets import (QGridLayout, QHBoxLayout, QLabel, QPushButton, QStackedWidget,
                             QVBoxLayout, QWidget)

from gui.inspect.pictures import ImageTile
from gui.ground import theme


def _image_panel():
    graphics = pg.GraphicsLayoutWidget()
    view = graphics.addViewBox(lockAspect=True, invertY=True, enableMenu=False)
    view.setMouseEnabled(False, False)
    image = pg.ImageItem(axisOrder="row-major")
    theme.use_colour_map(image, "diverging")
    view.addItem(image)
    graphics.setMinimumHeight(150)
    return graphics, view, image


def _bar_plot(y_label):
    plot = pg.PlotWidget()
    plot.setMenuEnabled(False)
    plot.setMouseEnabled(False, False)
    plot.hideButtons()
    theme.style_plot(plot.getPlotItem(), x_label="digit", y_label=y_label)
    plot.getAxis("left").enableAutoSIPrefix(False)     # "0.8", not "800 (x0.001)"
    plot.setMinimumHeight(150)
    bars = pg.BarGraphItem(x=[0], height=[0], width=0.7)
    plot.addItem(bars)
    return plot, bars


def _tile_grid(tiles):
    box = QWidget()
    grid = QGridLayout(box)
    grid.setContentsMargins(0, 0, 0, 0)
    grid.setSpacing(2)
    for i, tile in enumerate(tiles):
        grid.addWidget(tile, i // 3, i % 3)
    return box


def _title(text):
    label = QLabel(text)
    label.setWordWrap(True)
    return label


def _column(*parts):
    column = QVBoxLayout()
    for part in parts:
        if isinstance(part, str):
            label = QLabel(part)
            label.setWordWrap(True)
            column.addWidget(label)
        elif isinstance(part, tuple):      # (widget, stretch)
            column.addWidget(*part)
        else:
            column.addWidget(part)
    return column


def _note():
    label = QLabel("")
    label.setObjectName("hint")
    label.setWordWrap(True)
    return label


def build_card_layout(card):
    card.title = QLabel("<b>Neuron card</b>")
    card.title.setStyleSheet("font-size: 13pt;")
    card.status = QLabel("Click a weight tile (Weights tab) to open a unit's card.")
    card.status.setWordWrap(True)
    card.silence_button = QPushButton("Silence this unit")
    card.silence_button.setCheckable(True)
    card.silence_button.setToolTip("Set this unit's output to 0 for every validation image and compare the "
                                   "accuracy (switch it back by pressing again)")
    card.refresh_button = QPushButton("Refresh")
    card.refresh_button.setToolTip("Recompute on the current weights (done by itself at every epoch end)")
    header = QHBoxLayout()
    header.addWidget(card.title, 1)
    header.addWidget(card.silence_button)
    header.addWidget(card.refresh_button)

    _, card.incoming_view, card.incoming_image = incoming = _image_panel()
    card.incoming_graphics = incoming[0]
    card.incoming_note = _note()
    card.top_tiles = [ImageTile() for _ in range(9)]
    card.bottom_tiles = [ImageTile() for _ in range(9)]
    card.bottom_title = QLabel("<b>9 least active</b>")
    card.mean_plot, card.mean_bars = _bar_plot("mean activation")

    card.outgoing_plot, card.outgoing_bars = _bar_plot("weight")
    card.outgoing_plot.getPlotItem().setLabel("bottom", "output unit")
    card.outgoing_plot.addItem(pg.InfiniteLine(pos=0, angle=0, pen=theme.pen(theme.GREY, 1)))
    outgoing_graphics, card.outgoing_view, card.outgoing_image = _image_panel()
    card.outgoing_stack = QStackedWidget()
    card.outgoing_stack.addWidget(card.outgoing_plot)
    card.outgoing_stack.addWidget(outgoing_graphics)
    card.outgoing_note = _note()

    card.accuracy_plot, card.accuracy_before = _bar_plot("accuracy (%)")
    card.accuracy_before.setOpts(brush=theme.brush(theme.BLUE), pen=theme.pen(theme.BLUE, 1))
    card.accuracy_after = pg.BarGraphItem(x=[0], height=[0], width=0.38, brush=theme.brush(theme.ORANGE),
                                          pen=theme.pen(theme.ORANGE, 1))
    card.accuracy_after.setVisible(False)
    card.accuracy_plot.addItem(card.accuracy_after)
    card.accuracy_label = QLabel("")
    card.accuracy_label.setWordWrap(True)

    # titles that say 'digit', or 'class' for a drawings project's card (NeuronCardWindow._name_label_axes)
    card.top_title, card.mean_title, card.accuracy_title = (
        _title(text) for text in ("<b>9 most active</b> (digit · activation)", "<b>Mean activation per digit</b>",
                                  "<b>Validation accuracy per digit</b>"))
    columns = QHBoxLayout()
    columns.addLayout(_column("<b>Incoming weights</b>", (incoming[0], 1), card.incoming_note,
                              card.top_title, _tile_grid(card.top_tiles)), 1)
    columns.addLayout(_column(card.mean_title, (card.mean_plot, 1),
                              card.bottom_title, _tile_grid(card.bottom_tiles)), 1)
    columns.addLayout(_column("<b>Outgoing weights</b>", (card.outgoing_stack, 1), card.outgoing_note,
                              card.accuracy_title, (card.accuracy_plot, 1),
                              card.accuracy_label), 1)
    layout = QVBoxLayout(card)
    layout.addLayout(header)
    layout.addWidget(card.status)
    layout.addLayout(columns, 1)
