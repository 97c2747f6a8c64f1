"""A glance at the data: a grid of training images (one row per class) and counts per class."""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QLabel, QSplitter, QVBoxLayout, QWidget

from gui.data.augment_preview import AugmentPreview
from gui.ground import theme
from gui.ground.pictures import tile_mosaic

LEGEND_HEADROOM = 1.35   # y range over the tallest bar: the legend's room
PER_CLASS = 12


def sample_grid(images, labels, n_classes, per_class=PER_CLASS, seed=0):
    """(n_classes*per_class, H, W) images, class c's examples in row c (blank if too few)."""
    rng = np.random.default_rng(seed)
    height, width = images.shape[1:]
    tiles = np.zeros((n_classes * per_class, height, width), np.float32)
    for c in range(n_classes):
        members = np.flatnonzero(labels == c)
        chosen = rng.choice(members, size=min(per_class, len(members)), replace=False) if len(members) else []
        for k, index in enumerate(chosen):
            tiles[c * per_class + k] = images[index]
    return tiles


class DataView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.info = QLabel("No data loaded yet.")
        self.info.setWordWrap(True)
        self.grid = pg.PlotWidget()
        item = self.grid.getPlotItem()
        theme.style_plot(item, "Training examples (one row per class)")
        item.showGrid(x=False, y=False)
        item.invertY(True)
        item.setAspectLocked(True)
        item.hideAxis("bottom")
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        self.image = pg.ImageItem(axisOrder="row-major")
        ink_map = pg.colormap.get("CET-L1")
        ink_map.reverse()   # ink (255) dark on a white background, like paper
        self.image.setColorMap(ink_map)
        item.addItem(self.image)
        self.counts = pg.PlotWidget()
        theme.style_plot(self.counts.getPlotItem(), "Examples per class", "class", "count")
        self.train_bars = pg.BarGraphItem(x=[], height=[], width=0.4, brush=theme.brush(theme.BLUE), name="train")
        self.test_bars = pg.BarGraphItem(x=[], height=[], width=0.4, brush=theme.brush(theme.ORANGE), name="test")
        # Named items join the legend when added to the plot: adding them by hand too listed each twice.
        self.legend = self.counts.getPlotItem().addLegend(offset=(-10, 10), labelTextSize="9pt")
        self.counts.addItem(self.train_bars)
        self.counts.addItem(self.test_bars)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.grid)
        splitter.addWidget(self.counts)
        splitter.setSizes([600, 400])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(self.info)
        layout.addWidget(splitter, 1)
        self.augment_preview = AugmentPreview()   # the same examples, plain and augmented
        layout.addWidget(self.augment_preview)
        self.train_counts = np.zeros(0, np.int64)

    def set_dataset(self, dataset, notice=None):
        n = dataset.n_classes
        height, width = dataset.image_shape
        tiles = sample_grid(dataset.train_images, dataset.train_labels, n)
        mosaic, _ = tile_mosaic(tiles, columns=PER_CLASS)
        self.image.setImage(mosaic, autoLevels=False, levels=(0, 255))
        item = self.grid.getPlotItem()
        item.getAxis("left").setTicks([[(c * (height + 1) + height / 2, dataset.class_names[c]) for c in range(n)]])
        item.setRange(xRange=(0, mosaic.shape[1]), yRange=(0, mosaic.shape[0]), padding=0.02)
        self.augment_preview.set_dataset(dataset)
        self.train_counts = np.bincount(dataset.train_labels, minlength=n)
        test_counts = np.bincount(dataset.test_labels, minlength=n)
        x = np.arange(n)
        self.train_bars.setOpts(x=x - 0.2, height=self.train_counts, width=0.4)
        self.test_bars.setOpts(x=x + 0.2, height=test_counts, width=0.4)
        self.counts.getPlotItem().getAxis("bottom").setTicks([[(i, name) for i, name in enumerate(dataset.class_names)]])
        plot = self.counts.getPlotItem()
        plot.autoRange()
        # headroom above the tallest bar for the legend (top right), which sat over the bars
        tallest = max(int(self.train_counts.max(initial=0)), int(test_counts.max(initial=0)), 1)
        plot.setYRange(0, tallest * LEGEND_HEADROOM, padding=0)
        text = (f"<b>{dataset.name}</b> — {dataset.source}<br>{len(dataset.train_labels):,} training and "
                f"{len(dataset.test_labels):,} test images of {height}x{width} pixels, {n} classes.")
        if notice:
            text += "<br>" + theme.span(notice, "notice_text")
        self.info.setText(text)
