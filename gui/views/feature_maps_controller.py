"""Feeds the Feature maps tab: which image, which network, and when to redraw.

    window.feature_maps = FeatureMapsController(window)    # one line in MainWindow

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
tab is hidden: showing it draws the latest state once.
"""
import collections
import time

import numpy as np
from PyQt5.QtCore import QObject, QTimer

from core.analysis.feature_maps import feature_stages
from core.data.normalise import to_float
from core.drawing.preprocess import model_input
from gui.views.feature_maps_view import FeatureMapsView
from gui.views.invariance_view import validation_set

MAX_RATE_HZ = 10


class FeatureMapsController(QObject):
    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.view = FeatureMapsView()
        self.draws = 0                       # redraws done (tests, the benchmark)
        self.redraw_seconds = collections.deque(maxlen=2000)   # duration of each (bench/bench_gui.py)
        self._last_draw = -1.0
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.timeout.connect(self.redraw)
        tabs = window.tabs
        tabs.feature_maps = self.view
        tabs.addTab(self.view, "Feature maps")
        tabs.draw_panel.predicted.connect(self.request)
        tabs.currentChanged.connect(lambda _: self.request())
        self.view.source_changed.connect(self.redraw)   # a user's choice shows at once

    def request(self, *_):
        """Redraw soon: now if the last redraw is older than 1 / MAX_RATE_HZ, else at that time."""
        if not self.view.isVisible() or self._timer.isActive():
            return
        wait = self._last_draw + 1.0 / MAX_RATE_HZ - time.perf_counter()
        if wait <= 0:
            self.redraw()
        else:
            self._timer.start(int(wait * 1000) + 1)

    def validation_images(self):
        """(images (n, H, W) uint8, labels (n,)) of the run or model shown, or None."""
        info = self.window.model_info
        if info is None or getattr(info, "val_images", None) is None or not len(info.val_images):
            return None
        try:
            return validation_set(info, self.window.dataset)
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
        panel, view = self.window.tabs.draw_panel, self.view
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
        class_names = list(metadata.get("class_names") or range(network.n_classes))
        probabilities = stages[-1].values
        if len(probabilities) == len(class_names):
            best = int(np.argmax(probabilities))
            where += f" · predicted {class_names[best]} ({probabilities[best]:.0%})"
        names = [str(c) for c in class_names] if len(probabilities) == len(class_names) else None
        view.show_stages(image, stages, f"{where} · model: {panel.source}", names)
        self.draws += 1
