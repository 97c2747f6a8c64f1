"""The centre tabs: Training, Weights, Evaluation, Data, Draw. Builds widgets only, no logic."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import (QWIDGETSIZE_MAX, QFrame, QHBoxLayout, QLabel, QPushButton, QScrollArea, QSplitter, QTabWidget,
                             QVBoxLayout, QWidget)

from gui.ground.widgets.confusion_view import ConfusionView
from gui.views.conv_filters_view import ConvFiltersView, WeightsPane
from gui.data.data_view import DataView
from gui.draw.draw_panel import DrawPanel
from gui.inspect.unit_list import UnitList
from gui.my_digits.panel import MyDigitsPanel
from gui.views.gallery import Gallery
from gui.views.invariance_view import InvarianceView
from gui.views.layer_stats_view import LayerStatsView
from gui.views.plots import TrainingPlots
from gui.views.report_table import ReportTable
from gui.views.weights_view import WeightGrid


class CentreTabs(QTabWidget):
    def setCurrentWidget(self, widget):
        """The Draw tab's page is the scroll area around the draw panel: either one selects it."""
        super().setCurrentWidget(self.draw_page if widget is getattr(self, "draw_panel", None) else widget)

    def show_tab(self, title):
        """Bring the tab called ``title`` (as its tab reads, e.g. "Draw") to the front; returns its page."""
        titles = [self.tabText(i).replace("&", "") for i in range(self.count())]
        if title not in titles:
            raise KeyError(f"no tab {title!r}; the tabs are: {', '.join(titles)}")
        self.setCurrentIndex(titles.index(title))
        return self.currentWidget()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.training = TrainingPlots()
        self.addTab(self.training, "Training")

        self.weights = WeightGrid()
        self.layer_stats = LayerStatsView()
        weights_page = QSplitter(Qt.Horizontal)
        self.conv_filters = ConvFiltersView()   # cnngui: networks with conv layers show their filters
        self.weights_pane = WeightsPane(_titled("First-layer weights (hover or click a tile)", self.weights), self.weights,
                                        _titled("Convolution filters", self.conv_filters), self.conv_filters)
        weights_page.addWidget(self.weights_pane)
        # unit list: every hidden unit of every layer, a click opens its card (gui/inspect/unit_list.py)
        self.unit_list = UnitList()
        stats_and_units = QSplitter(Qt.Vertical)
        stats_and_units.addWidget(_titled("Layer statistics", self.layer_stats))
        stats_and_units.addWidget(_titled("Hidden units (click one for its neuron card)", self.unit_list))
        stats_and_units.setSizes([420, 420])   # the histogram shrinks well; 128 units fit
        weights_page.addWidget(stats_and_units)
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
        right.setSizes([420, 300])   # the table's 10 class rows before the gallery's second row
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
        # a shorter window takes height from both (from the matrix and table first): at
        # 1366x768 the table showed 2 rows and the gallery one when only the top shrank
        evaluation_column.setSizes([560, 260])
        evaluation_column.setStretchFactor(0, 3)
        evaluation_column.setStretchFactor(1, 2)
        self.addTab(evaluation_column, "Evaluation")

        self.data = DataView()
        self.addTab(self.data, "Data")

        self.draw_panel = DrawPanel()
        # the canvas on top, My digits below; both scroll when the window is short
        self.my_digits = MyDigitsPanel(self.draw_panel)   # keep drawings as My digits (gui/my_digits)
        self.my_digits_scroll = _scrolling(self.my_digits)
        self.my_digits_scroll.setMinimumHeight(40)
        self.draw_page = QSplitter(Qt.Vertical)
        self.draw_page.addWidget(_scrolling(self.draw_panel))
        self.draw_page.addWidget(self.my_digits_scroll)
        self.draw_page.setStretchFactor(0, 1)
        self.draw_page.setStretchFactor(1, 0)
        self._share_draw_page()
        self.my_digits.changed.connect(self._share_draw_page)
        self.addTab(self.draw_page, "Draw")

    def _share_draw_page(self):
        """An empty My digits gets only its header and buttons (its height is capped: the canvas
        and the Evidence pages take the rest); once digits are kept, a third of the page."""
        empty = self.my_digits.gallery.isHidden()
        header = self.my_digits.minimumSizeHint().height() + 2
        self.my_digits_scroll.setMaximumHeight(header if empty else QWIDGETSIZE_MAX)
        total = max(sum(self.draw_page.sizes()), 600)
        share = header if empty else max(header, total // 3)
        self.draw_page.setSizes([total - share, share])


def _titled(title, widget):
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(8, 8, 8, 8)
    label = QLabel(f"<b>{title}</b>")
    label.setWordWrap(True)
    layout.addWidget(label)
    layout.addWidget(widget, 1)
    return box


def _scrolling(widget):
    """widget in a frameless scroll area that only scrolls when the window is too small for it."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.NoFrame)
    return area
