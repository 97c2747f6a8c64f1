"""The map tab's widgets and plot items, created once (embedding_view.py feeds them)."""
from html import escape

import pyqtgraph as pg
from PyQt5.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QProgressBar, QPushButton, QVBoxLayout,
                             QWidget)

from gui.inspect.map_dots import DotStyles
from gui.inspect.pictures import DIGIT_COLOURS, DIGIT_SYMBOLS, ImageTile
from gui.ground import theme

SIDE_WIDTH = 230
# the map's symbols (pictures.DIGIT_SYMBOLS) as text, for the legend
SYMBOL_TEXT = {"o": "●", "s": "■", "t": "▼", "d": "◆", "star": "★", "h": "⬢", "t1": "▲", "p": "⬟", "x": "✖",
               "+": "✚"}


def legend_html(names=tuple(str(d) for d in range(10))):
    """Rows of five: a coloured symbol and the label's name (the digits, or a project's classes;
    past ten the colours and shapes repeat, as the dots' do)."""
    per_row = 5 if all(len(str(name)) <= 2 for name in names) else 2   # names longer than digits: two a row
    cells = []
    for label, name in enumerate(names):
        (r, g, b), symbol = DIGIT_COLOURS[label % len(DIGIT_COLOURS)], DIGIT_SYMBOLS[label % len(DIGIT_SYMBOLS)]
        cells.append(f'<td style="padding-right:8px"><span style="color:#{r:02x}{g:02x}{b:02x}; font-size:13pt">'
                     f'{SYMBOL_TEXT[symbol]}</span>&nbsp;{escape(str(name))}</td>')
    rows = "".join(f"<tr>{''.join(cells[i:i + per_row])}</tr>" for i in range(0, len(cells), per_row))
    return f"<table cellspacing=0>{rows}</table>"


def name_legend(view, names):
    """The legend names the labels shown: the digits, or a drawings project's classes."""
    if getattr(view, "legend_names", None) != tuple(names):
        view.legend_names = tuple(names)
        digits = list(names) == [str(d) for d in range(10)]
        view.legend.setText(legend_html(names))
        view.legend_title.setText(f"<b>{'Digit' if digits else 'Class'}</b> (colour and shape)")


def _wrapped(text="", hint=False):
    label = QLabel(text)
    label.setWordWrap(True)
    if hint:
        label.setObjectName("hint")
    return label


def build_map_layout(view):
    view.layer_combo = QComboBox()
    view.layer_combo.setToolTip("The hidden layer whose activations place the images")
    view.tsne_button = QPushButton("Run t-SNE")
    view.tsne_button.setToolTip("A t-SNE layout (scikit-learn) of the same images: groups stand out more "
                                "than with PCA; takes seconds, in the background")
    view.pca_button = QPushButton("Show PCA")
    view.pca_button.setEnabled(False)
    view.progress = QProgressBar()
    view.progress.setRange(0, 100)
    view.progress.setMaximumWidth(160)
    view.progress.setVisible(False)
    view.status = _wrapped("The map appears when training starts or a model is opened.")
    controls = QHBoxLayout()
    controls.addWidget(QLabel("Layer"))
    controls.addWidget(view.layer_combo)
    controls.addWidget(view.tsne_button)
    controls.addWidget(view.pca_button)
    controls.addWidget(view.progress)
    controls.addWidget(view.status, 1)

    view.plot = pg.PlotWidget()
    view.plot.setMenuEnabled(False)
    view.plot.hideButtons()
    item = view.plot.getPlotItem()
    theme.style_plot(item)
    item.hideAxis("left")
    item.hideAxis("bottom")
    view.pinned_marker = pg.ScatterPlotItem(symbol="o", size=18, brush=None, pen=pg.mkPen(theme.colours().outline, width=2.5))
    view.pinned_marker.setZValue(9)
    view.plot.addItem(view.pinned_marker)
    view.marker = pg.ScatterPlotItem(symbol="star", size=26, brush=pg.mkBrush(255, 215, 0),
                                     pen=pg.mkPen(theme.colours().outline, width=2))
    view.marker.setZValue(10)
    view.plot.addItem(view.marker)
    view.marker_label = pg.TextItem("your drawing", color=(20, 20, 20), anchor=(-0.15, 1.1),
                                    fill=pg.mkBrush(255, 255, 255, 200))
    view.marker_label.setZValue(11)
    view.marker_label.setVisible(False)
    view.plot.addItem(view.marker_label)
    # the legend lives beside the plot, so it never hides points: the same colour and shape
    view.legend = QLabel(legend_html())
    view.legend.setToolTip("Colour and shape of each digit's dots")
    # ONE item for all dots, each styled by its digit (DotStyles, resolved once per subset, then
    # the dots only move): every Python<->Qt crossing of a paint, a bounds update or a hover can
    # wait up to a GIL switch interval behind the training thread, and ten items (one per digit)
    # cost ten times the crossings of one (bench/bench_map_draw.py)
    view.dot_styles = DotStyles()
    view.dots = pg.ScatterPlotItem(size=7, hoverable=True, hoverPen=pg.mkPen(theme.colours().outline, width=2), hoverSize=11,
                                   tip=None)
    view.plot.addItem(view.dots)

    view.hover_tile = ImageTile(size=112)
    view.hover_tile.setVisible(False)        # until a dot is hovered
    view.hover_text = _wrapped("Hover a dot to see its image.")
    view.pinned_tile = ImageTile(size=112)
    view.pinned_text = _wrapped("Click a dot to keep it here with the network's answer.")
    view.pinned_index = None
    view.explain = _wrapped("", hint=True)
    side = QWidget()
    side.setFixedWidth(SIDE_WIDTH)
    column = QVBoxLayout(side)
    column.setContentsMargins(4, 0, 0, 0)
    view.legend_title = _wrapped("<b>Digit</b> (colour and shape)")
    column.addWidget(view.legend_title)
    column.addWidget(view.legend)
    for widget in (view.hover_tile, view.hover_text, view.pinned_tile, view.pinned_text):
        column.addWidget(widget)
    column.addSpacing(8)
    column.addWidget(view.explain)
    column.addStretch(1)

    body = QHBoxLayout()
    body.addWidget(view.plot, 1)
    body.addWidget(side)
    layout = QVBoxLayout(view)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addLayout(controls)
    layout.addLayout(body, 1)
