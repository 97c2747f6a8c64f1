"""The unit list: every hidden layer, numbered as the app and `main.py neuron --layer L` number
them (1 = the first hidden layer), and a grid of the chosen layer's units; a click opens the card
of that unit. It reaches what the weight tiles cannot: the units of deeper dense layers (the 84
of lenet-5's second dense layer, dense128 of the cnn preset) and, as well, every conv filter.

    units = UnitList()                       # built by gui.shell.tabs (widgets only)
    units.bind(context_provider, computer)   # gui.inspect.inspect_controller: where numbers come from
    units.set_network(network)               # the layers of the model the window shows (cheap)
    units.unit_clicked.connect(open_card)    # (layer from 1, unit from 0)

Each cell is a unit's number on its mean activation over the validation images (white: the
layer's least active unit, dark blue: its most active; a conv filter: the mean of its map, as on
its card); a dead unit (silent on every image) is grey and struck through. The tooltip gives the
mean and the share of images the unit is silent on. The numbers come from the same NeuronLab as
the cards (gui.inspect.card_data.CardComputer, shared): computed in a worker thread when the list
is visible and the weights changed, and listing a layer makes the cards of its units warm.
"""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import QSize, Qt, pyqtSignal
from PyQt5.QtGui import QBrush, QColor
from PyQt5.QtWidgets import (QComboBox, QHBoxLayout, QLabel, QListView, QListWidget, QListWidgetItem, QVBoxLayout,
                             QWidget)

from core.analysis.probe import hidden_layers
from gui.ground.latest_job import LatestJob
from gui.ground import theme
from gui.ground.errors import describe_error

CELL = QSize(40, 24)                     # room for a 4-digit unit number
ORDERS = ("unit number", "most active first", "most often silent first")


def unit_order(summary, order):
    """Unit indices (units,) in the order the user picked (ORDERS); ties keep the unit number."""
    if summary is None or order == 0:
        return np.arange(len(summary.mean_activation)) if summary is not None else None
    key = -summary.mean_activation if order == 1 else -summary.silent_share
    return np.argsort(key, kind="stable")


def shade_range(values):
    """(low, high) of the colour scale: the layer's lowest mean and its 95th percentile (one
    very active unit would otherwise leave every other cell near white)."""
    values = np.nan_to_num(np.asarray(values, np.float64))
    return float(values.min()), float(np.percentile(values, 95))


def shades(values):
    """(units,) values -> (units,) fractions in [0, 1] on the shade_range scale."""
    values = np.nan_to_num(np.asarray(values, np.float64))
    low, high = shade_range(values)
    return np.clip((values - low) / (high - low), 0, 1) if high > low else np.zeros_like(values)


class UnitCells(QListWidget):
    """The grid of cells; Return or Enter on the current cell counts as a click (keyboard users)."""
    key_activated = pyqtSignal(object)       # QListWidgetItem

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key_Return, Qt.Key_Enter) and self.currentItem() is not None:
            self.key_activated.emit(self.currentItem())
            return
        super().keyPressEvent(event)


class UnitList(QWidget):
    unit_clicked = pyqtSignal(int, int)      # hidden layer (from 1), unit (from 0)
    summary_shown = pyqtSignal(object)       # SummaryData, once drawn (tests wait on it)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.layer_combo = QComboBox()
        self.layer_combo.setToolTip("Hidden layers, numbered from 1 (the layer after the input)")
        self.order_combo = QComboBox()
        self.order_combo.addItems(ORDERS)
        self.order_combo.setToolTip("Order of the units in the grid")
        self.cells = UnitCells()
        self.cells.setViewMode(QListView.ListMode)
        self.cells.setFlow(QListView.LeftToRight)
        self.cells.setWrapping(True)
        self.cells.setResizeMode(QListView.Adjust)
        self.cells.setUniformItemSizes(True)
        self.cells.setGridSize(CELL)
        self.cells.setMinimumHeight(2 * CELL.height() + 8)
        self.caption = QLabel("Hidden units appear when training starts or a model is loaded.")
        self.caption.setObjectName("hint")
        self.caption.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(QLabel("Layer"))
        top.addWidget(self.layer_combo, 1)
        top.addWidget(QLabel("order"))
        top.addWidget(self.order_combo)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.cells, 1)
        layout.addWidget(self.caption)
        self.layers = []          # [HiddenLayer] of the network shown
        self.network = None
        self.data = None          # SummaryData drawn (None: numbers only)
        self._drawn_network = None
        self._chosen = 0          # index of the layer the user picked (kept when the list is cleared)
        self._context_provider = self._computer = None
        self._shades = pg.colormap.get(theme.SEQUENTIAL_MAP)   # cells, not an image: light in both themes
        self.jobs = LatestJob(self)
        self.jobs.done.connect(self._on_done)
        self.jobs.failed.connect(self._on_failed)
        self.layer_combo.currentIndexChanged.connect(lambda _: self._layer_changed())
        self.order_combo.currentIndexChanged.connect(lambda _: self._draw_cells())
        self.cells.itemClicked.connect(self._on_clicked)
        self.cells.key_activated.connect(self._on_clicked)

    def bind(self, context_provider, computer):
        """context_provider() -> InspectContext (or raises DigitLabError); computer: CardComputer."""
        self._context_provider, self._computer = context_provider, computer

    # ----- what the list shows --------------------------------------------------------------
    @property
    def layer(self):
        """The chosen hidden layer's number (from 1), or None."""
        index = self.layer_combo.currentIndex()
        return self.layers[index].number if 0 <= index < len(self.layers) else None

    def set_network(self, network):
        """Show network's hidden layers (new weights: the numbers are recomputed when visible)."""
        self.network = network
        layers = hidden_layers(network)
        if [(h.name, h.units) for h in layers] != [(h.name, h.units) for h in self.layers]:
            index = self._chosen      # the layer the user picked last, through new runs too
            self.layers, self.data = layers, None
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            for h in layers:
                what = "filter" if h.is_conv else "unit"
                self.layer_combo.addItem(f"{h.number} · {h.name} · {h.units} {what}{'s' * (h.units != 1)}")
            self.layer_combo.setCurrentIndex(index if 0 <= index < len(layers) else 0)
            self.layer_combo.blockSignals(False)
            self._draw_cells()
        if not layers:
            self.caption.setText("This network has no hidden layer: its inputs go straight to the outputs.")
        self._request()

    def select_layer(self, number):
        """Choose hidden layer ``number`` (from 1); before a network is shown, the layer to
        choose when one is."""
        self._chosen = int(number) - 1
        self.layer_combo.setCurrentIndex(self._chosen)

    def clear(self):
        self.jobs.cancel()
        self.layers, self.network, self.data, self._drawn_network = [], None, None, None
        self.layer_combo.clear()
        self.cells.clear()
        self.caption.setText("Hidden units appear when training starts or a model is loaded.")

    def shutdown(self, milliseconds=10000):
        return self.jobs.shutdown(milliseconds)

    def showEvent(self, event):
        super().showEvent(event)
        self._request()

    # ----- the numbers (worker thread) -----------------------------------------------------------
    def _layer_changed(self):
        self._chosen = max(0, self.layer_combo.currentIndex()) if self.layers else self._chosen
        self.data = None
        self._draw_cells()
        self._drawn_network = None
        self._request()

    def _request(self):
        """Compute the chosen layer's numbers for the network shown, if someone is looking and
        they are not drawn yet."""
        layer, network = self.layer, self.network
        if layer is None or self._computer is None or not self.isVisible() or network is self._drawn_network:
            return
        try:
            context = self._context_provider()
        except Exception as error:       # DigitLabError: no validation images
            self.caption.setText(describe_error(error))
            return
        computer = self._computer
        self._drawn_network = network
        self.caption.setText(f"Measuring layer {layer}'s units on {len(context.images):,} validation images…")
        self.jobs.submit(lambda report, cancelled: computer.summary(context, layer), layer)

    def _on_done(self, data, layer):
        if layer != self.layer:
            return                        # the user picked another layer meanwhile
        self.data = data
        self._draw_cells()
        self.summary_shown.emit(data)

    def _on_failed(self, error, layer):
        self._drawn_network = None        # try again next time
        self.caption.setText(describe_error(error))

    # ----- drawing -------------------------------------------------------------------------------
    def _draw_cells(self):
        self.cells.clear()
        index = self.layer_combo.currentIndex()
        if not 0 <= index < len(self.layers):
            return
        hidden = self.layers[index]
        summary = self.data.summary if self.data is not None else None
        order = unit_order(summary, self.order_combo.currentIndex())
        order = np.arange(hidden.units) if order is None else order
        fractions = shades(summary.mean_activation) if summary is not None else None
        colours = self._shades.map(fractions, mode="qcolor") if fractions is not None else None
        for unit in order:
            item = QListWidgetItem(str(unit))
            item.setData(Qt.UserRole, int(unit))
            item.setTextAlignment(Qt.AlignCenter)
            item.setSizeHint(CELL - QSize(2, 2))
            if summary is not None:
                self._style(item, summary, int(unit), colours[unit], fractions[unit])
            self.cells.addItem(item)
        self.caption.setText(self._describe(hidden, summary))

    def _style(self, item, summary, unit, colour, fraction):
        kind = "filter" if summary.is_conv else "unit"
        mean, silent = summary.mean_activation[unit], summary.silent_share[unit]
        if summary.dead[unit]:
            item.setBackground(QBrush(theme.qcolor("dead_unit")))
            item.setForeground(QBrush(theme.qcolor("dead_unit_text")))
            font = item.font()
            font.setStrikeOut(True)
            item.setFont(font)
            item.setToolTip(f"{kind} {unit} is dead: silent on every one of the {summary.n_images:,} validation "
                            f"images. Click for its card.")
            return
        item.setBackground(QBrush(colour))
        item.setForeground(QBrush(QColor("white") if fraction > 0.55 else QColor(*theme.TEXT)))   # on the light map
        item.setToolTip(f"{kind} {unit}: mean activation {mean:.3g}, silent on {100 * silent:.1f}% of the "
                        f"{summary.n_images:,} validation images. Click for its card.")

    def _describe(self, hidden, summary):
        kind = "filters" if hidden.is_conv else "units"
        if summary is None:
            return f"Layer {hidden.number} ({hidden.name}): {hidden.units} {kind}. Click one to open its card."
        dead = int(summary.dead.sum())
        low, high = shade_range(summary.mean_activation)
        mean_of = " (a filter: the mean of its map)" if hidden.is_conv else ""
        return (f"Layer {hidden.number} ({hidden.name}), {hidden.units} {kind}, {dead} dead (grey) · colour: mean "
                f"activation{mean_of} from {low:.3g} (white) to {high:.3g} or more (dark blue) on "
                f"{summary.n_images:,} validation images, {self.data.source} · click a {kind[:-1]} for its card")

    def _on_clicked(self, item):
        layer = self.layer
        if layer is not None:
            self.unit_clicked.emit(layer, int(item.data(Qt.UserRole)))
