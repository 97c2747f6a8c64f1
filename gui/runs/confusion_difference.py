"""The difference of two validation confusion matrices, B minus A, with numbers in the cells.

Signed, diverging colours centred on zero (blue below zero, exactly white at zero, red above),
with symmetric levels so that +3 and -3 are equally strong. Rows are true classes,
columns predicted ones: a red diagonal cell means B gets more of that class right than A; a red
off-diagonal cell means B makes that mistake more often. Text items are built once per size.
"""
import numpy as np
import pyqtgraph as pg
from PyQt5.QtWidgets import QLabel, QVBoxLayout, QWidget

from gui.ground import theme
from gui.ground.pictures import make_matrix_plot


class ConfusionDifferenceView(QWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.plot, item = make_matrix_plot()
        self.image = pg.ImageItem(axisOrder="row-major")
        # blue - white - red with zero exactly white (an unchanged cell must not look tinted)
        self.image.setColorMap(pg.ColorMap([0.0, 0.5, 1.0], [(33, 102, 172), (255, 255, 255), (178, 24, 43)]))
        item.addItem(self.image)
        self.summary = QLabel("")
        self.summary.setObjectName("hint")
        self.summary.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.plot, 1)
        layout.addWidget(self.summary)
        self.difference = None
        self.texts = []

    def _build(self, n, class_names):
        item = self.plot.getPlotItem()
        for text in self.texts:
            item.removeItem(text)
        self.texts = []
        for row in range(n):
            for col in range(n):
                text = pg.TextItem("", anchor=(0.5, 0.5), color=theme.text_rgb())
                text.setPos(col + 0.5, row + 0.5)
                item.addItem(text)
                self.texts.append(text)
        ticks = [[(i + 0.5, str(name)) for i, name in enumerate(class_names)]]
        item.getAxis("bottom").setTicks(ticks)
        item.getAxis("left").setTicks(ticks)
        item.setRange(xRange=(0, n), yRange=(0, n), padding=0)

    def set_difference(self, difference, class_names, name_a="A", name_b="B"):
        """difference: (n, n) signed counts, B's confusion minus A's."""
        difference = np.asarray(difference)
        n = difference.shape[0]
        if self.difference is None or self.difference.shape != difference.shape:
            self._build(n, class_names)
        self.difference = difference
        limit = max(1, int(np.abs(difference).max()))
        self.image.setImage(difference.astype(float), levels=(-limit, limit))
        self.image.setRect(0, 0, n, n)
        for text, value in zip(self.texts, difference.ravel()):
            text.setText("" if value == 0 else f"{value:+d}")
        diagonal = int(np.trace(difference))
        self.summary.setText(
            f"Cell = {name_b}'s count minus {name_a}'s (red: more in {name_b}, blue: more in {name_a}). "
            f"Diagonal total {diagonal:+d}: {name_b} gets {abs(diagonal)} "
            f"{'more' if diagonal >= 0 else 'fewer'} validation images right.")

    def displayed_texts(self):
        """(n, n) list of the cell texts as shown (for tests)."""
        n = 0 if self.difference is None else self.difference.shape[0]
        return [[self.texts[r * n + c].textItem.toPlainText() for c in range(n)] for r in range(n)]

    def clear(self):
        self.difference = None
        self.image.clear()
        for text in self.texts:
            text.setText("")
        self.summary.setText("")
