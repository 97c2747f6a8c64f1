"""Validation confusion matrix with numbers in the cells; click a cell to see its examples.

Rows are true classes, columns predicted ones. "Row-normalised" divides each row by its total,
so a cell reads as "fraction of true-class examples predicted as this class" (the diagonal is
the recall). The n*n text items are created once per matrix size and only re-texted.
"""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import pyqtSignal
from PyQt5.QtWidgets import QCheckBox, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from core.drawing.non_digits import short_name

from core.evaluation.metrics import row_normalised
from gui.ground import theme
from gui.ground.pictures import make_matrix_plot


class ConfusionView(QWidget):
    """cell_clicked(true_class, predicted_class) when the user clicks a cell."""

    cell_clicked = pyqtSignal(int, int)
    EMPTY_SUMMARY = "The confusion matrix appears after the first epoch."

    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot, item = make_matrix_plot()
        self.image = pg.ImageItem(axisOrder="row-major")
        theme.use_colour_map(self.image, "sequential")
        theme.on_change(self._on_theme)   # the cell texts' colours follow the map
        item.addItem(self.image)
        self.normalise_box = QCheckBox("row-normalised (recall per cell)")
        self.normalise_box.toggled.connect(lambda _: self._redraw())
        self.summary = QLabel(self.EMPTY_SUMMARY)
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        top = QHBoxLayout()
        top.addWidget(self.normalise_box)
        top.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)
        self.confusion = None
        self.class_names = []
        self.texts = []
        self.plot.scene().sigMouseClicked.connect(self._on_click)
        # build the 10x10 cell labels now, not at the end of the first epoch mid-run
        self._build(10, [str(d) for d in range(10)])

    def set_confusion(self, confusion, class_names):
        """confusion: (n, n) int counts; class_names: n labels for the axes."""
        self.confusion = np.asarray(confusion)
        n = len(self.confusion)
        if len(self.texts) != n * n or list(class_names) != self.class_names:
            self._build(n, list(class_names))
        self._redraw()

    def _build(self, n, class_names):
        item = self.plot.getPlotItem()
        for text in self.texts:
            item.removeItem(text)
        self.class_names = class_names
        self.texts = []
        self._shown = [None] * (n * n)   # (text, colour) each cell shows: set again only when it changes
        for row in range(n):
            for col in range(n):
                text = pg.TextItem("", anchor=(0.5, 0.5))
                text.setPos(col + 0.5, row + 0.5)
                item.addItem(text)
                self.texts.append(text)
        ticks = [[(i + 0.5, name) for i, name in enumerate(class_names)]]
        # under a column a long name ("not a digit") would crowd out its neighbours: its short one
        item.getAxis("bottom").setTicks([[(i + 0.5, short_name(name)) for i, name in enumerate(class_names)]])
        item.getAxis("left").setTicks(ticks)
        item.setRange(xRange=(0, n), yRange=(0, n), padding=0)

    def displayed_values(self):
        """(n, n) what the cells show: counts, or row fractions when normalised."""
        if self.normalise_box.isChecked():
            return row_normalised(self.confusion)
        return self.confusion.astype(np.float64)

    def _redraw(self):
        if self.confusion is None:
            return
        values = self.displayed_values()
        normalised = self.normalise_box.isChecked()
        top = 1.0 if normalised else max(1.0, float(values.max()))
        # sqrt scale for counts: the diagonal dwarfs the errors otherwise
        shown = values if normalised else np.sqrt(values)
        self.image.setImage(shown, autoLevels=False, levels=(0, top if normalised else np.sqrt(top)))
        n = len(values)
        small = n > 12
        fractions = (values / top) if normalised else np.sqrt(values / top)
        shades = theme.colour_map("sequential").map(np.clip(fractions, 0, 1).ravel(), mode="byte").reshape(n, n, -1)
        for index, text in enumerate(self.texts):
            row, col = divmod(index, n)
            value = values[row, col]
            label = (f"{value:.2f}" if value else "0") if normalised else str(int(value))
            # white or dark text, whichever reads on the cell's colour in this theme's map
            shown = (label if not small or value else "", theme.readable_on(shades[row, col]))
            if self._shown[index] != shown:   # most cells keep their count from one epoch to the next
                self._shown[index] = shown
                text.setText(shown[0], color=shown[1])
        total = int(self.confusion.sum())
        correct = int(np.trace(self.confusion))
        self.summary.setText(f"{total} validation examples, {correct} correct ({100 * correct / max(total, 1):.1f}%), "
                             f"{total - correct} errors. Click a cell to see its examples.")

    def _on_theme(self, _colours):
        self._shown = [None] * len(self.texts)   # every cell drawn again in the new theme
        self._redraw()

    def _on_click(self, event):
        if self.confusion is None:
            return
        point = self.plot.getPlotItem().vb.mapSceneToView(event.scenePos())
        n = len(self.confusion)
        col, row = int(np.floor(point.x())), int(np.floor(point.y()))
        if 0 <= row < n and 0 <= col < n:
            self.cell_clicked.emit(row, col)

    def clear(self):
        self.confusion = None
        self.image.clear()
        for text in self.texts:
            text.setText("")
        self._shown = [None] * len(self.texts)
        self.summary.setText(self.EMPTY_SUMMARY)   # no count of an earlier matrix under an empty one
