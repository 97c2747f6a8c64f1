"""Feature maps: one image as it passes through the network, one row per stage.

    view.show_stages(input_image, stages, caption)   # stages: core.analysis.feature_maps.Stage list

Row 0 is the input the network receives; then every conv / pool stage as a strip of small
images, one per channel (16 to a row, more rows for more channels), and every dense stage as a
row of bars (the output row labelled with the class names). Colours: white is 0 and dark blue
the strongest value of that stage (each stage has its own scale), or blue -
white - red around 0 when a stage has negative values (tanh).

Cheap to redraw several times a second: the plot items are made once per network shape (the
list of stage names and shapes) and each redraw only calls setImage (autoLevels=False, the
stage's own range) on one ImageItem per map stage and setOpts on one BarGraphItem per dense
stage.

The source controls (your drawing, or a validation image chosen by number or at random) sit
above the rows; gui.views.feature_maps_controller decides what to trace and when.
"""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import QRectF, QTimer, pyqtSignal
from PyQt5.QtWidgets import (QButtonGroup, QHBoxLayout, QLabel, QPushButton, QRadioButton, QSpinBox, QVBoxLayout,
                             QWidget)

from gui.ground import theme
from gui.ground.pictures import tile_mosaic

MAPS_PER_ROW = 16
MAP_GAP = 2          # white pixels between maps (white is 0)
TITLE_WIDTH = 170    # px of the column of stage titles
BAR_BRUSH = (40, 80, 150)
BACKGROUND = (228, 231, 236)   # shows between the maps (white is a map's 0)


class FeatureMapsView(QWidget):
    """Source controls + the stage rows. ``shown``: {stage name: values drawn last} (tests);
    ``tiles``: {stage name: (rows, columns) of its mosaic}; signal source_changed()."""

    source_changed = pyqtSignal()
    prepared = pyqtSignal()          # prepare() has made every row

    def __init__(self, parent=None):
        super().__init__(parent)
        self.drawing_radio = QRadioButton("Your drawing (Draw tab)")
        self.validation_radio = QRadioButton("Validation image")
        self.drawing_radio.setChecked(True)
        group = QButtonGroup(self)
        group.addButton(self.drawing_radio)
        group.addButton(self.validation_radio)
        self.index_spin = QSpinBox()
        self.index_spin.setPrefix("# ")
        self.index_spin.setRange(0, 0)
        self.random_button = QPushButton("Random")
        self.caption = QLabel("Draw a digit in the Draw tab, or choose a validation image.")
        self.caption.setWordWrap(True)
        self.scale_note = QLabel("Each channel is one small image: white 0, dark blue the largest value in that "
                                 "layer (each layer has its own scale). Dense layers are bars.")
        self.scale_note.setObjectName("hint")
        self.scale_note.setWordWrap(True)
        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.setBackground(BACKGROUND)
        source = QHBoxLayout()
        source.addWidget(QLabel("Image:"))
        source.addWidget(self.drawing_radio)
        source.addSpacing(12)
        source.addWidget(self.validation_radio)
        source.addWidget(self.index_spin)
        source.addWidget(self.random_button)
        source.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(source)
        layout.addWidget(self.caption)
        layout.addWidget(self.graphics, 1)
        layout.addWidget(self.scale_note)
        self._key = None
        self._building = None       # (structure, generator of build steps) while prepare() runs
        self._step_timer = QTimer(self)          # one build step per turn of the event loop
        self._step_timer.setInterval(0)
        self._step_timer.timeout.connect(self._build_step)
        self._masks = {}
        self.rows = {}      # stage name -> (title LabelItem, ImageItem or BarGraphItem, plot/view box)
        self.shown, self.tiles = {}, {}
        # white (0) to dark navy: ink on paper, with more contrast than the confusion matrix's map
        self._maps_cmap = pg.ColorMap([0.0, 0.5, 1.0], [(255, 255, 255), (107, 164, 214), (8, 40, 100)])
        self._signed_cmap = pg.colormap.get(theme.DIVERGING_MAP)
        self.drawing_radio.toggled.connect(self._on_source)
        self.index_spin.valueChanged.connect(lambda _: self._on_index())
        self.random_button.clicked.connect(self._on_random)
        self._rng = np.random.default_rng()
        self._on_source()

    # ----- source controls ---------------------------------------------------------------------
    @property
    def uses_drawing(self):
        return self.drawing_radio.isChecked()

    def set_validation_count(self, count):
        """How many validation images there are to choose from (0: none, the choice is off)."""
        self.index_spin.setRange(0, max(0, count - 1))
        self.validation_radio.setEnabled(count > 0)
        if count == 0 and not self.uses_drawing:
            self.drawing_radio.setChecked(True)
        self._on_source(emit=False)

    def _on_source(self, *_, emit=True):
        validation = not self.uses_drawing and self.validation_radio.isEnabled()
        self.index_spin.setEnabled(validation)
        self.random_button.setEnabled(self.validation_radio.isEnabled())
        if emit:
            self.source_changed.emit()

    def _on_index(self):
        if not self.uses_drawing:
            self.source_changed.emit()

    def _on_random(self):
        self.validation_radio.setChecked(True)
        self.index_spin.setValue(int(self._rng.integers(0, self.index_spin.maximum() + 1)))
        self.source_changed.emit()

    # ----- drawing -----------------------------------------------------------------------------
    @staticmethod
    def structure(image_shape, stages, class_names=None):
        """What the rows' items depend on: the input shape, every stage's name, kind and shape."""
        return ((tuple(image_shape),) + tuple((s.name, s.kind, s.values.shape) for s in stages),
                tuple(class_names or ()))

    def show_stages(self, image, stages, caption, class_names=None):
        """image (H, W) in [0, 1]: the input; stages: [Stage]; caption: where the image is from."""
        key = self.structure(image.shape, stages, class_names)
        if key != self._key:
            if self._building is not None and self._building[0] == key:
                for _ in self._building[1]:        # prepared in steps but not finished: finish now
                    pass
            else:
                for _ in self._build_steps(image.shape, stages, class_names):
                    pass
            self._key, self._building = key, None
            self._step_timer.stop()
            self.graphics.setUpdatesEnabled(True)
        self.caption.setText(caption)
        self._fill(image, stages)

    def _fill(self, image, stages):
        self._set_maps("input", "input", image[None].astype(np.float32), signed=False)
        for stage in stages:
            if stage.kind == "maps":
                self._set_maps(stage.name, stage.title, stage.values, signed=bool(np.min(stage.values) < 0))
            else:
                self._set_units(stage)

    def prepare(self, image, stages, class_names=None):
        """Make the rows' items for this structure ahead of show_stages, one row per turn of the
        event loop, and fill them once with ``image``'s stages (titles, colour maps, ranges: the
        first drawing then only changes values). Made at once, at the first show, they froze
        the window for 130-250 ms. Does nothing when they are made or being made."""
        key = self.structure(image.shape, stages, class_names)
        if key == self._key or (self._building is not None and self._building[0] == key):
            return
        self._key = None                 # the rows are remade from the first step on

        def steps():
            yield from self._build_steps(image.shape, stages, class_names)
            self._fill(image, stages)
            yield "filled"

        self._building = (key, steps())
        self.graphics.setUpdatesEnabled(False)      # one paint at the end, not one per new row
        self._step_timer.start()

    def is_built(self, image_shape, stages, class_names=None):
        """True when show_stages for this structure only fills the rows' items."""
        return self.structure(image_shape, stages, class_names) == self._key

    @property
    def building(self):
        return self._building is not None

    def _build_step(self):
        if self._building is None:
            self._step_timer.stop()
            return
        key, steps = self._building
        if next(steps, None) is None:        # every row made
            self._step_timer.stop()
            self._key, self._building = key, None
            self.graphics.setUpdatesEnabled(True)
            self.prepared.emit()

    def clear(self):
        self.graphics.clear()
        self._step_timer.stop()
        self.graphics.setUpdatesEnabled(True)
        self.rows, self.shown, self.tiles, self._key, self._building = {}, {}, {}, None, None
        self.caption.setText("Draw a digit in the Draw tab, or choose a validation image.")

    def _build_steps(self, image_shape, stages, class_names):
        """The rows' items, made once per network shape: a generator that makes one row per
        step (prepare runs the steps on timer ticks, show_stages all at once). Each image row
        gets its final range here (the mosaic's size follows from the maps' shape), so the first
        drawing needs no autoRange."""
        self.graphics.clear()
        self.rows, self.tiles, self.shown = {}, {}, {}   # nothing of the previous network's rows stays
        layout = self.graphics.ci.layout
        entries = [("input", "maps", (1,) + tuple(image_shape))] + [(s.name, s.kind, s.values.shape) for s in stages]
        for row, (name, kind, shape) in enumerate(entries):
            yield row
            title = self.graphics.addLabel("", row=row, col=0, justify="left")
            title.setFixedWidth(TITLE_WIDTH)
            if kind == "maps":
                box = self.graphics.addViewBox(row=row, col=1, lockAspect=True, invertY=True, enableMouse=False,
                                               enableMenu=False)
                item = pg.ImageItem(axisOrder="row-major")   # its colour map is set by _set_maps
                box.addItem(item)
                height, width = self._gap_mask(shape, min(shape[0], MAPS_PER_ROW)).shape
                box.setRange(QRectF(0, 0, width, height), padding=0.01)
                lines = -(-shape[0] // MAPS_PER_ROW)
                layout.setRowStretchFactor(row, 2 + lines)
            else:   # a bare ViewBox: a PlotItem (axes, menus) costs ~80 ms to build, this ~8 ms
                box = self.graphics.addViewBox(row=row, col=1, enableMouse=False, enableMenu=False)
                # the ranges are _set_units' (x: one slot per unit): no auto range, which would
                # measure the bars at every change (~8 ms a row at the first drawing)
                box.disableAutoRange()
                box.setXRange(-0.6, shape[0] - 0.4, padding=0)
                item = pg.BarGraphItem(x=[0], height=[0], width=0.8, brush=BAR_BRUSH, pen=None)
                box.addItem(item)
                is_output = name == stages[-1].name
                if is_output and class_names:   # class names under the bars, made once
                    for index, class_name in enumerate(class_names):
                        text = pg.TextItem(str(class_name), color=(40, 40, 40), anchor=(0.5, 0))
                        text.setPos(index, 0)
                        box.addItem(text)
                layout.setRowStretchFactor(row, 2 if is_output else 1)
            self.rows[name] = (title, item, box)
        layout.setColumnStretchFactor(1, 1)
        yield len(entries)

    def _set_maps(self, name, title, maps, signed):
        """maps (C, H, W): one small image per channel, MAPS_PER_ROW to a row."""
        label, item, box = self.rows[name]
        columns = min(len(maps), MAPS_PER_ROW)
        mosaic, _ = tile_mosaic(maps, columns=columns, gap=MAP_GAP)
        mosaic[self._gap_mask(maps.shape, columns)] = np.nan   # transparent: grey lines between maps
        top = float(np.max(np.abs(maps))) if maps.size else 0.0
        top = top if top > 0 and np.isfinite(top) else 1.0
        if getattr(item, "signed", None) != signed:   # setColorMap rebuilds the lookup table: only on change
            item.setColorMap(self._signed_cmap if signed else self._maps_cmap)
            item.signed = signed
        levels = (-top, top) if signed else (0.0, top)
        resized = item.image is not None and item.image.shape != mosaic.shape   # never for one structure
        item.setImage(mosaic, autoLevels=False, levels=levels)
        if resized:
            box.autoRange(padding=0.01)
        self._set_title(label, title, "what the network receives")
        self.shown[name], self.tiles[name] = maps, (-(-len(maps) // columns), columns)

    @staticmethod
    def _set_title(label, title, default=""):
        """'conv1 + relu: 8 maps of 28x28' as two lines; only when it changed (HTML layout costs ~2 ms)."""
        head, _, rest = title.partition(": ")
        text = f"<b>{head}</b><br>{rest or default}"
        if label.text != text:
            label.setText(text, size="9pt")

    def _gap_mask(self, shape, columns):
        """True on the mosaic's gap pixels for maps of shape (C, H, W) (cached per shape)."""
        key = (shape, columns)
        if key not in self._masks:
            self._masks[key] = tile_mosaic(np.ones(shape, np.float32), columns=columns, gap=MAP_GAP)[0] == 0
        return self._masks[key]

    def _set_units(self, stage):
        label, item, box = self.rows[stage.name]
        values = stage.values
        item.setOpts(x=np.arange(len(values)), height=values, width=0.8)
        top = float(np.max(np.abs(values))) if values.size else 1.0
        low = float(min(0.0, np.min(values))) if values.size else 0.0
        high = 1.0 if stage.name == "output" else max(top, 1e-6)
        wanted = (low - (0.22 * high if stage.name == "output" else 0.0), high)   # room for the class names
        shown = getattr(box, "shown_range", None)
        # setRange costs ~1 ms: only when the bars outgrow the range or use less than half of it
        if shown is None or not (shown[0] <= wanted[0] and wanted[1] <= shown[1] and wanted[1] > shown[1] / 2
                                 and wanted[0] >= 2 * shown[0]):
            box.setYRange(*wanted, padding=0.05)
            box.setXRange(-0.6, len(values) - 0.4, padding=0)
            box.shown_range = wanted
        self._set_title(label, stage.title)
        self.shown[stage.name] = values
