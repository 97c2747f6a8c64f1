"""Wires the neuron card and the embedding map into the main window (one line there).

    window.inspect = InspectController(window.services, window.tabs, window.snapshot_received)
    window.inspect.open_card(layer_number, unit)    # for any view listing units (conv filters...)

- a click on a weight tile (Weights tab) opens the card of that unit (a conv first layer: the
  filter the tile belongs to); so does a click on a conv filter or on a cell of the unit list
  (Weights tab, gui.inspect.unit_list: every hidden layer, deeper dense layers too), which
  shares the card's NeuronLab (CardComputer): listing a layer warms the cards of its units;
- the card and the map follow the model the window shows: refreshed at every epoch end and the
  end of a run (snapshot_received), and when a model file is opened (model_changed);
- the Draw tab's prepared drawing moves the star on the map (DrawPanel.drawing_prepared);
- shutdown() stops their workers when the window closes.
"""
from PyQt5.QtCore import QObject

from gui.inspect.card_data import CardComputer
from gui.inspect.context import context_from_shown
from gui.inspect.embedding_view import EmbeddingView
from gui.inspect.neuron_card import NeuronCardWindow


class InspectController(QObject):
    """Given the window's services (the model shown, the data, the status line), the centre tabs
    (it adds the Map tab; tiles, filters and the unit list open cards) and the snapshot signal."""

    def __init__(self, services, tabs, snapshots):
        super().__init__(services.parent)
        self.services = services
        self.card = None              # NeuronCardWindow, made at the first click
        self.computer = CardComputer()   # one NeuronLab for the card and the unit list
        self.map = EmbeddingView(self.context)
        tabs.addTab(self.map, "Map")
        tabs.weights.unit_selected.connect(self.open_tile)
        # conv layers come first in every stack, so conv layer i is hidden layer i + 1
        tabs.conv_filters.filter_selected.connect(lambda layer, unit: self.open_card(layer + 1, unit))
        self.units = tabs.unit_list
        self.units.bind(self.context, self.computer)
        self.units.unit_clicked.connect(self.open_card)
        snapshots.connect(self._on_snapshot)
        tabs.draw_panel.drawing_prepared.connect(self.map.set_drawing)

    def context(self):
        return context_from_shown(self.services.shown_model(), self.services.dataset())

    def open_card(self, layer_number, unit):
        """Open (or switch) the card to unit ``unit`` (from 0) of hidden layer ``layer_number``
        (from 1, as the layer list names them); returns the card window."""
        if self.card is None:
            self.card = NeuronCardWindow(self.context, self.services.parent, self.computer)
        self.card.open_card(layer_number, unit)
        return self.card

    def open_tile(self, tile):
        """A Weights-tab tile was clicked: its unit's card (tiles of a conv first layer are
        filter x input channel, so tile // C_in is the filter)."""
        network = self.services.shown_model().network
        if network is None:
            return None
        if network.first_layer_kind == "conv":
            in_channels = network.conv_filters()[0][1].shape[1]
            return self.open_card(1, tile // in_channels)
        if len(network.weights) == 1:
            self.services.show_status("These tiles are output units: a network without hidden "
                                                "layers has no hidden unit to open a card for.")
            return None
        return self.open_card(1, tile)

    def model_changed(self):
        """The window shows other weights (an epoch ended, a model was opened)."""
        if self.card is not None and self.card.isVisible():
            self.card.refresh()
        self.map.model_changed()
        network = self.services.shown_model().network
        if network is not None:
            self.units.set_network(network)

    def _on_snapshot(self, snapshot):
        if snapshot.kind in ("epoch", "end"):
            self.model_changed()
        elif not self.units.layers and self.services.shown_model().network is not None:
            self.units.set_network(self.services.shown_model().network)   # the layers from the first weights on

    def shutdown(self):
        self.units.shutdown()
        if self.card is not None:
            self.card.shutdown()
            self.card.close()
        self.map.shutdown()
