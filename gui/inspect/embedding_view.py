"""The "Map" tab: the validation images placed in 2-D by what a hidden layer makes of them.

    view = EmbeddingView(context_provider)    # context_provider() -> InspectContext (or raises)
    view.model_changed()                      # new weights (epoch end, opened model)
    view.run_tsne(); view.cancel_tsne()
    view.set_drawing(image01)                 # the Draw tab's prepared drawing, or None

One dot per image of a fixed subset (n_points, stratified by a seed), coloured and shaped by
its digit. PCA (core.analysis.embedding, NumPy) is recomputed in a worker whenever the model
changes while the tab is shown (or when it is next shown); t-SNE (scikit-learn) runs on
request in a child process (gui.inspect.tsne_process: no GIL shared with the window; Cancel ends it
at once), with progress per stage. Hover shows an image in the
side panel, a click pins it there with the network's answer. The drawing is a black star:
projected with the PCA basis, or on a t-SNE map at the mean of its 10 nearest images in
activation space (t-SNE has no projection for new points).

The GUI thread only draws, and as little as it can, because while training each return from
Qt to Python may wait for the training thread's GIL turn (bench/bench_map_draw.py): all dots
are one plot item that only moves each epoch (gui/inspect/map_dots.py), the view's transform is
set before the paint (one paint per map, not two or three), and what did not change is not
redrawn (the Draw tab's repeated "no drawing", the same hovered dot on every mouse move).

Over 300 lines: the scatter, its hover/click inset and the drawing marker are one view; the
computations live in gui/inspect/map_data.py and core/analysis/embedding.py.
"""
from html import escape

import numpy as np
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QWidget

from core.analysis.embedding import Cancelled, subset
from core.analysis.probe import hidden_layers
from gui.ground.latest_job import LatestJob
from gui.inspect.map_data import compute_map, drawing_features, place_drawing, tsne_layout
from gui.inspect.map_dots import place_dots
from gui.inspect.map_layout import build_map_layout, name_legend
from gui.inspect.pictures import DIGIT_COLOURS
from gui.ground import theme
from gui.ground.errors import describe_error

N_POINTS = 2000


class EmbeddingView(QWidget):
    map_ready = pyqtSignal(object)        # MapData, once drawn
    tsne_finished = pyqtSignal(str)       # 'done', 'cancelled' or 'failed'
    marker_moved = pyqtSignal(object)     # (2,) position of the drawing, or None

    def __init__(self, context_provider, n_points=N_POINTS, parent=None):
        super().__init__(parent)
        self.context_provider = context_provider
        self.n_points = n_points
        self.data = None              # MapData of the PCA map
        self.tsne = None              # (layout (k, 2), MapData it was made from) or None
        self.showing_tsne = False
        self.stale = False
        self.drawing = None           # (H, W) [0, 1] image of the Draw tab, or None
        self.marker_xy = None
        self._hover_shown = None      # (map index, id of its MapData) shown as "Hovered"
        self._subset_key = self._indices = None
        self._layer_names = ()
        self.pca_jobs = LatestJob(self)
        self.tsne_jobs = LatestJob(self)
        build_map_layout(self)
        self.pca_jobs.done.connect(self._on_map)
        self.pca_jobs.failed.connect(lambda error, _: self._set_status(describe_error(error), error=True))
        self.tsne_jobs.done.connect(self._on_tsne)
        self.tsne_jobs.failed.connect(self._on_tsne_failed)
        self.tsne_jobs.progress.connect(self._on_tsne_progress)
        self.tsne_button.clicked.connect(self._tsne_clicked)
        self.pca_button.clicked.connect(self.show_pca)
        self.layer_combo.currentIndexChanged.connect(lambda _: self.recompute())
        self.dots.digits = np.empty(0, np.int64)      # the digit of each dot (place_dots)
        self.dots.sigHovered.connect(self._on_hovered)
        self.dots.sigClicked.connect(self._on_clicked)

    # ----- model and layout -----------------------------------------------------------------
    def model_changed(self):
        """New weights: recompute now if the tab is visible, else when it is next shown."""
        if self.isVisible():
            self.recompute()
        else:
            self.stale = True

    def showEvent(self, event):
        super().showEvent(event)
        if self.stale or self.data is None:
            self.recompute()

    def recompute(self):
        """PCA of the chosen layer on the current model, in the worker."""
        self.stale = False
        try:
            context = self.context_provider()
        except Exception as error:
            self._set_status(describe_error(error), error=True)
            return
        names = tuple(f"{h.number}: {h.name} ({h.units} {'filters' if h.is_conv else 'units'})"
                      for h in hidden_layers(context.network))
        if not names:
            self._set_status("This network has no hidden layer: its inputs go straight to the outputs, so "
                             "there is nothing in between to map.", error=True)
            return
        if names != self._layer_names:
            self._layer_names = names
            self.layer_combo.blockSignals(True)
            self.layer_combo.clear()
            self.layer_combo.addItems(names)
            self.layer_combo.setCurrentIndex(len(names) - 1)    # the last hidden layer by default
            self.layer_combo.blockSignals(False)
        key = (context.data_key, len(context.images), self.n_points)
        if key != self._subset_key:
            self._subset_key, self._indices = key, subset(context.digits, self.n_points)
        layer, indices = self.layer_combo.currentIndex() + 1, self._indices
        if self.tsne is not None and self.tsne[1].layer != layer:
            self.show_pca()           # a t-SNE of another layer answers another question
        self.pca_jobs.submit(lambda report, cancelled: compute_map(context, layer, indices), layer)

    def _on_map(self, data, layer):
        if layer != self.layer_combo.currentIndex() + 1:
            return
        self.data = data
        if not self.showing_tsne:
            self._draw(data.pca.points, data)
        self._describe()
        self.map_ready.emit(data)

    def show_pca(self):
        self.showing_tsne = False
        self.tsne = None if self.tsne_jobs.busy else self.tsne
        if self.data is not None:
            self._draw(self.data.pca.points, self.data)
            self._describe()
        self.pca_button.setEnabled(False)

    # ----- t-SNE ------------------------------------------------------------------------------
    def _tsne_clicked(self):
        if self.tsne_jobs.busy:
            self.cancel_tsne()
        else:
            self.run_tsne()

    def run_tsne(self):
        if self.data is None:
            self._set_status("The map is not ready yet.", error=True)
            return
        data = self.data
        self.tsne_button.setText("Cancel t-SNE")
        self.progress.setValue(0)
        self.progress.setVisible(True)
        self._set_status(f"t-SNE of {len(data.indices):,} images (layer {data.layer}) in the background: the "
                         f"window stays usable; Cancel stops it after the current stage.")
        self.tsne_jobs.submit(lambda report, cancelled: tsne_layout(data, lambda f: report(f), cancelled), data)

    def cancel_tsne(self):
        if not self.tsne_jobs.busy:
            return
        self.tsne_jobs.cancel()
        self._tsne_ended("cancelled", "t-SNE cancelled; the PCA map stays.")

    def _on_tsne_progress(self, values, _):
        self.progress.setValue(int(round(100 * values[0])))

    def _on_tsne(self, layout, data):
        self.tsne, self.showing_tsne = (layout, data), True
        self._draw(layout, data)
        self._describe()
        self._tsne_ended("done")

    def _on_tsne_failed(self, error, _):
        if isinstance(error, Cancelled):
            self._tsne_ended("cancelled", "t-SNE cancelled; the PCA map stays.")
        else:
            self._tsne_ended("failed", describe_error(error), error=True)

    def _tsne_ended(self, how, message=None, error=False):
        self.tsne_button.setText("Run t-SNE")
        self.progress.setVisible(False)
        self.pca_button.setEnabled(self.showing_tsne)
        if message:
            self._set_status(message, error=error)
        self.tsne_finished.emit(how)

    # ----- drawing ------------------------------------------------------------------------------
    def _draw(self, points, data):
        name_legend(self, data.class_names)
        place_dots(self.dots, points, data.digits % len(DIGIT_COLOURS), self.dot_styles)
        # the range from the points themselves: ViewBox.autoRange asks every item (~13 ms)
        low, high = points.min(axis=0), points.max(axis=0)
        box = self.plot.getPlotItem().getViewBox()
        box.setRange(xRange=(low[0], high[0]), yRange=(low[1], high[1]), padding=0.04)
        # the new transform now, not in the paint (ViewBox.prepareForPaint): moved there, it
        # changes the items' geometry mid-paint and the plot is painted two or three times
        box.updateMatrix()
        self._place_marker()
        self._ring_pinned()

    def set_drawing(self, image01):
        """The user's prepared drawing (H, W) in [0, 1], or None: moves the star."""
        self.drawing = image01
        self._place_marker()

    def points(self):
        """(k, 2) positions drawn, in map order, and (k,) digit of each (tests, the bench)."""
        layout, data = self._shown()
        if data is None:
            return np.empty((0, 2)), np.empty(0, np.int64)
        x, y = self.dots.getData()
        return np.c_[x, y], np.asarray(self.dots.digits, np.int64)

    def _shown(self):
        return self.tsne if self.showing_tsne and self.tsne is not None else (None, self.data)

    def _place_marker(self):
        layout, data = self._shown()
        xy = None
        if self.drawing is not None and data is not None:
            try:
                xy = place_drawing(data, layout, drawing_features(data, self.drawing))
            except Exception:      # a drawing of another size than the model takes: no marker
                xy = None
        if xy is None and self.marker_xy is None:
            return        # the Draw tab repeats "no drawing" at every weights refresh: nothing to redraw
        self.marker_xy = xy
        if xy is None:
            self.marker.setData([], [])
            self.marker_label.setVisible(False)
        else:
            self.marker.setData([xy[0]], [xy[1]])
            self.marker_label.setPos(xy[0], xy[1])
            self.marker_label.setVisible(True)
        self.marker_moved.emit(xy)

    def _describe(self):
        layout, data = self._shown()
        if data is None:
            return
        where = f"layer {data.layer} ({data.layer_name}) of the {data.source}"
        if layout is None:
            share = data.pca.explained
            text = (f"PCA of {where}: {len(data.indices):,} validation images. The axes are the two directions "
                    f"along which the activations vary most ({100 * share[0]:.0f}% and {100 * share[1]:.0f}% of "
                    f"the variance). The star is your drawing, projected the same way.")
        else:
            text = (f"t-SNE of {where}: near images had near activations; distances between far-apart groups "
                    f"mean little. Your drawing (star) sits at the mean of its 10 nearest images in activation "
                    f"space (t-SNE cannot place new points).")
            if self.data is not None and self.data is not data:
                text += " The model has changed since: “Show PCA” for the live map."
        self.explain.setText(text)
        self._set_status("Hover a dot to see the image; click to keep it here.")

    def _image_text(self, index):
        layout, data = self._shown()
        i = int(data.indices[index])
        word = "digit" if list(data.class_names) == [str(d) for d in range(10)] else "class"
        return i, (f"validation image #{i}: {word} <b>{escape(data.label_name(data.digits[index]))}</b>, the network "
                   f"says <b>{escape(data.answer_name(data.predictions[index]))}</b> "
                   f"({100 * data.confidence[index]:.0f}%)")

    def _on_hovered(self, item, points, event):
        data = self._shown()[1]
        if len(points) and data is not None:
            index = int(points[0].data())
            if self._hover_shown == (index, id(data)):
                return         # pyqtgraph reports every mouse move; the panel already shows this one
            self._hover_shown = (index, id(data))
            _, text = self._image_text(index)
            self.hover_tile.show_image(data.images[index], "", "")
            self.hover_tile.setVisible(True)
            self.hover_text.setText("Hovered: " + text)

    def _on_clicked(self, item, points, event):
        if len(points) and self._shown()[1] is not None:
            self.pin(int(points[0].data()))

    def pin(self, index):
        """Show map point ``index`` (into the subset) in the 'clicked' panel with its prediction."""
        _, text = self._image_text(index)
        self.pinned_tile.show_image(self._shown()[1].images[index], "", "")
        self.pinned_text.setText("Clicked: " + text)
        self.pinned_index = index
        self._ring_pinned()

    def _ring_pinned(self):
        index = self.pinned_index
        layout, data = self._shown()
        if index is None or data is None or index >= len(data.indices):
            if len(self.pinned_marker.data):
                self.pinned_marker.setData([], [])
            return
        xy = (layout if layout is not None else data.pca.points)[index]
        self.pinned_marker.setData([xy[0]], [xy[1]])

    def _set_status(self, text, error=False):
        self.status.setText(text)
        style = theme.error_style() if error else ""
        if self.status.styleSheet() != style:       # setting a style sheet re-polishes the label
            self.status.setStyleSheet(style)

    def shutdown(self, milliseconds=15000):
        """Stop both workers and wait for them (closing the window)."""
        self.tsne_jobs.cancel()
        return self.pca_jobs.shutdown(milliseconds) & self.tsne_jobs.shutdown(milliseconds)
