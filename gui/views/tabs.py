"""The centre tabs: Training, Weights, Evaluation, Data, Draw. Builds widgets only, no logic."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import (QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter, QTabWidget, QVBoxLayout,
                             QWidget)

from gui.views.confusion_view import ConfusionView
from gui.data.data_view import DataView
from gui.draw.draw_panel import DrawPanel
from gui.my_digits.panel import MyDigitsPanel
from gui.views.gallery import Gallery
from gui.views.invariance_view import InvarianceView
from gui.views.layer_stats_view import LayerStatsView
from gui.views.plots import TrainingPlots
from gui.views.report_table import ReportTable
from gui.views.weights_view import WeightGrid


class CentreTabs(QTabWidget):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.training = TrainingPlots()
        self.addTab(self.training, "Training")

        self.weights = WeightGrid()
        self.layer_stats = LayerStatsView()
        weights_page = QSplitter(Qt.Horizontal)
        weights_page.addWidget(_titled("First-layer weights (hover or click a tile)", self.weights))
        weights_page.addWidget(_titled("Layer statistics", self.layer_stats))
        weights_page.setSizes([600, 460])   # the stats table's five columns fit without scrolling
        weights_page.setStretchFactor(0, 1)
        self.addTab(weights_page, "Weights")

        self.confusion = ConfusionView()
        self.report = ReportTable()
        self.gallery = Gallery()
        self.gallery.setMinimumWidth(220)   # the window must fit 1400 px with the left panel
        self.report.setMinimumWidth(220)
        self.show_all_button = QPushButton("Show all misclassified")
        gallery_box = QWidget()
        gallery_layout = QVBoxLayout(gallery_box)
        gallery_layout.setContentsMargins(0, 0, 0, 0)
        gallery_layout.addWidget(self.gallery, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.show_all_button)
        gallery_layout.addLayout(row)
        right = QSplitter(Qt.Vertical)
        right.addWidget(_titled("Per-class precision / recall / F1 (validation)", self.report))
        right.addWidget(gallery_box)
        right.setSizes([330, 400])
        evaluation_page = QSplitter(Qt.Horizontal)
        evaluation_page.addWidget(_titled("Confusion matrix (validation)", self.confusion))
        evaluation_page.addWidget(right)
        evaluation_page.setSizes([580, 380])   # the matrix gets a near-square area at 1400x900
        evaluation_page.setStretchFactor(0, 1)
        # below: how accuracy holds up when the digits move or turn (dense vs convolutional)
        self.invariance = InvarianceView()
        evaluation_column = QSplitter(Qt.Vertical)
        evaluation_column.addWidget(evaluation_page)
        evaluation_column.addWidget(_titled("Invariance: validation accuracy of shifted and rotated digits",
                                            self.invariance))
        evaluation_column.setSizes([520, 330])
        evaluation_column.setStretchFactor(0, 1)
        self.addTab(evaluation_column, "Evaluation")

        self.data = DataView()
        self.addTab(self.data, "Data")

        self.draw_panel = DrawPanel()
        self.my_digits = MyDigitsPanel(self.draw_panel)   # issue 11: keep drawings as My digits
        draw_page = QSplitter(Qt.Vertical)
        draw_page.addWidget(self.draw_panel)
        my_digits_scroll = QScrollArea()   # so the window can still shrink to small screens
        my_digits_scroll.setWidgetResizable(True)
        my_digits_scroll.setFrameShape(QScrollArea.NoFrame)
        my_digits_scroll.setWidget(self.my_digits)
        my_digits_scroll.setMinimumHeight(40)
        draw_page.addWidget(my_digits_scroll)
        draw_page.setSizes([560, 260])
        draw_page.setStretchFactor(0, 1)
        self.addTab(draw_page, "Draw")


def _titled(title, widget):
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 8, 8, 8)
    label = QLabel(f"<b>{title}</b>")
    label.setWordWrap(True)
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return box
