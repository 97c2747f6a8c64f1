"""Feeds the Feature maps tab: which image, which network, and when to redraw.

    window.feature_maps = FeatureMapsController(window.services, window.tabs)    # one line in MainWindow

It adds the tab (after Draw) and listens to the Draw tab's ``predicted`` signal, which fires
after every prediction: when the user draws (coalesced by the draw panel's own timer) and
whenever the model changes (the window hands the draw panel every new network copy during
training, ~4 times a second). So one signal covers both "the drawing changed" and "the
weights changed". The network and the preprocessing are the draw panel's, so the maps show
exactly what produced the probabilities in the Draw tab.

Why a tab of its own rather than a panel beside the canvas: the rows need the width (16 maps of
a conv layer side by side, LeNet's 120 bars), and the Draw tab at 1400x900 already splits its
width between canvas and probabilities. The prepared input is shown as the first row, so the
tab stands on its own; drawing updates it live when the user comes back to it.

Cost control (the GUI thread only draws): tracing one image is a fraction of a millisecond for
the presets; drawing is at most MAX_RATE_HZ (a request inside the interval is deferred to its
end by a single-shot timer, so the last state is always drawn), and nothing is traced while the
tab is hidden: showing it draws the latest state once. What the tab is made of (a title, a
view box and an image or bars per layer) is made ahead, while it is hidden, one row per turn of
the event loop (prepare_rows: an empty image traced once per network shape); made at the first
show, all at once, it froze the window for 130-250 ms.
"""
import collections
import time

import numpy as np
from PyQt5.QtCore import QObject, QTimer

from core.analysis.feature_maps import feature_stages
from core.data.normalise import to_float
from core.drawing.model_input import model_input
from gui.views.feature_maps_view import FeatureMapsView
from core.training.snapshots import validation_set

MAX_RATE_HZ = 10


class FeatureMapsController(QObject):
    """Given the window's services (the model shown, the data) and the centre tabs (it adds the
    Feature maps tab and follows the draw panel's predictions)."""

    def __init__(self, services, tabs):
        super().__init__(services.parent)
        self.services, self.tabs = services, tabs
        self.view = FeatureMapsView()
        self.draws = 0                       # redraws done (tests, the benchmark)
        self.redraw_seconds = collections.deque(maxlen=2000)   # duration of each (bench/bench_gui.py)
        self._last_draw = -1.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.redraw)
        tabs.feature_maps = self.view
        tabs.addTab(self.view, "Feature maps")
        tabs.draw_panel.predicted.connect(self.request)
        tabs.currentChanged.connect(lambda _: self.request())
        self.view.source_changed.connect(self.redraw)   # a user's choice shows at once
        self.view.prepared.connect(self.redraw)         # the rows for a new network are made
        self._prepared_for = None                       # the network shape whose rows were asked for

    def request(self, *_):
        """Redraw soon: now if the last redraw is older than 1 / MAX_RATE_HZ, else at that time.
        Hidden: only make the rows for a network of a new shape, in steps (prepare_rows)."""
        if not self.view.isVisible():
            self.prepare_rows()
            return
        if self._timer.isActive():
            return
        wait = self._last_draw + 1.0 / MAX_RATE_HZ - time.perf_counter()
        if wait <= 0:
            self.redraw()
        else:
            self._timer.start(int(wait * 1000) + 1)

    def prepare_rows(self):
        """While the tab is hidden: have the view make its rows' items for the Draw tab's network
        ahead of time, a row per event-loop turn (FeatureMapsView.prepare), so showing the tab
        only fills them: made at the first show, they froze the window for 130-250 ms. Traces
        an empty image once per new network shape; every other call costs a comparison."""
        panel = self.tabs.draw_panel
        network, metadata = panel.network, panel.metadata
        if network is None or metadata is None:
            return
        shape = panel.geometry.out_shape if panel.geometry else tuple(metadata["input_shape"])[:2]
        # while training every weights refresh brings a new copy of the same network: compare shapes
        signature = (network.describe(), tuple(p.shape for p in network.params), tuple(shape),
                     tuple(metadata.get("class_names") or ()), metadata.get("normalisation"))
        if signature == self._prepared_for:
            return
        self._prepared_for = signature
        image = np.zeros(shape, np.float32)
        x = model_input(image, metadata.get("normalisation", "zero_one"))
        if x.shape[1] != network.n_inputs:
            return
        stages = feature_stages(network, x)
        self.view.prepare(image, stages, self._class_names(metadata, network, stages))

    @staticmethod
    def _class_names(metadata, network, stages):
        """The output row's labels, or None when the output is not one unit per class."""
        class_names = list(metadata.get("class_names") or range(network.n_classes))
        return [str(c) for c in class_names] if len(stages[-1].values) == len(class_names) else None

    def validation_images(self):
        """(images (n, H, W) uint8, labels (n,)) of the run or model shown, or None."""
        info = self.services.shown_model().info
        if info is None or getattr(info, "val_images", None) is None or not len(info.val_images):
            return None
        try:
            return validation_set(info, self.services.dataset())
        except (AttributeError, ValueError):
            return None

    def redraw(self):
        self._timer.stop()
        if not self.view.isVisible():
            return   # hidden (or the window is closing): showing the tab draws the latest state
        started = self._last_draw = time.perf_counter()
        self._redraw()
        self.redraw_seconds.append(time.perf_counter() - started)

    def _redraw(self):
        self._last_draw = time.perf_counter()
        panel, view = self.tabs.draw_panel, self.view
        network, metadata = panel.network, panel.metadata
        validation = self.validation_images()
        view.set_validation_count(0 if validation is None else len(validation[0]))
        if network is None or metadata is None:
            view.caption.setText("No model yet: train one or open a model file.")
            return
        normalisation = metadata.get("normalisation", "zero_one")
        if view.uses_drawing:
            image = panel.last_image
            if image is None:
                shape = panel.geometry.out_shape if panel.geometry else tuple(metadata["input_shape"])[:2]
                image = np.zeros(shape, np.float32)
                where = "An empty canvas: draw a digit in the Draw tab to see what each layer makes of it."
            else:
                where = "Your drawing, as the network receives it"
            x = model_input(image, normalisation)
        else:
            images, labels = validation
            index = view.index_spin.value()
            image = images[index].astype(np.float32) / 255.0
            x = to_float(images[index:index + 1], normalisation)
            where = f"Validation image #{index} (a {labels[index]})"
        if x.shape[1] != network.n_inputs:
            view.caption.setText(f"This image has {x.shape[1]} pixels but the model takes {network.n_inputs}.")
            return
        stages = feature_stages(network, x)
        names = self._class_names(metadata, network, stages)
        if not view.is_built(image.shape, stages, names):
            # a network of a new shape: its rows are made in steps (no freeze); prepared -> redraw
            view.prepare(image, stages, names)
            view.caption.setText("Preparing a row for every layer of this network…")
            return
        probabilities = stages[-1].values
        if names is not None:
            best = int(np.argmax(probabilities))
            where += f" · predicted {names[best]} ({probabilities[best]:.0%})"
        view.show_stages(image, stages, f"{where} · model: {panel.source}", names)
        self.draws += 1
