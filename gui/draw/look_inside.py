"""LookInside: the Draw tab's "ask the model why" area under the canvas, two pages fed by the
panel's predictions:

  Evidence   which pixels pushed the answer, and why not another digit (gui.draw.evidence_view)
  Fool it    a small change that makes the network answer another digit (gui.draw.fool_view)

    panel.look_inside = LookInside(panel)     # connects itself to panel.predicted and the canvas
    layout.addWidget(under(top_row_layout, panel.look_inside))   # canvas and answer above, these below

"Draw on top" hands the changed image to the canvas as a background layer (DrawingCanvas.
set_background); the panel then prepares its input as background + new ink (core.drawing.layered).
"""
from PyQt5.QtCore import QSize, Qt
from PyQt5.QtWidgets import QApplication, QFrame, QScrollArea, QSplitter, QTabWidget, QWidget

from gui.draw.evidence_view import EvidenceView
from gui.draw.fool_view import FoolView

PREFERRED_HEIGHT = 312   # px: room for the map and Fool it's images with their words; the canvas takes the rest
MIN_HEIGHT = 40          # px: on a short window (640 px) the pages scroll rather than push the window taller


class LookInside(QTabWidget):
    def __init__(self, panel, parent=None):
        super().__init__(parent)
        self.panel = panel
        self.evidence = EvidenceView()
        self.fool = FoolView()
        self.addTab(self._scrolling(self.evidence), "Evidence")
        self.addTab(self._scrolling(self.fool), "Fool it")
        panel.predicted.connect(self._on_prediction)
        QApplication.instance().aboutToQuit.connect(self.shutdown)
        self.fool.draw_on_top.connect(panel.canvas.set_background)

    @staticmethod
    def _scrolling(page):
        """page in a scroll area that gives it the visible size, scrolling only below its minimum
        (the pages say hasHeightForWidth False: QScrollArea would size them by heightForWidth)."""
        area = QScrollArea()
        area.setWidget(page)
        area.setWidgetResizable(True)
        area.setFrameShape(QFrame.NoFrame)
        return area

    def minimumSizeHint(self):
        return QSize(super().minimumSizeHint().width(), MIN_HEIGHT)

    def hasHeightForWidth(self):
        """No: the pages' wrapped labels would otherwise make the panel's layout give this column
        the height they want at some narrow width, squeezing the canvas and the answer above."""
        return False

    def _on_prediction(self, probabilities):
        panel = self.panel
        image = None if probabilities is None else panel.last_image
        self.evidence.show_drawing(panel.network, panel.metadata, image,
                                   unread="" if probabilities is not None else panel.unread_reason)
        self.fool.show_drawing(panel.network, panel.metadata, image, probabilities)

    def shutdown(self, milliseconds=2000):
        """Wait for running computations (closing the window)."""
        return self.evidence.wait(milliseconds) and self.fool.wait(milliseconds)


def under(top_layout, look_inside):
    """A vertical splitter: top_layout (the canvas and the answer) above look_inside. A splitter,
    not a box layout: the canvas row holds word-wrapped labels (height-for-width), and with those
    QBoxLayout shares the height by size hints, ignoring stretch factors, so the canvas row took
    everything. The splitter starts the top at its preferred height and look_inside at the rest,
    and lets the user drag the boundary."""
    top = QWidget()
    top.setLayout(top_layout)
    splitter = QSplitter(Qt.Vertical)
    splitter.setChildrenCollapsible(False)
    splitter.addWidget(top)
    splitter.addWidget(look_inside)
    # the answer above gets the height it asks for, the pages the rest (on a 720 px screen the
    # pages were squeezed to ~45 px); a taller window grows both
    splitter.setStretchFactor(0, 1)
    splitter.setStretchFactor(1, 2)
    # the layout's own minimum: the splitter alone squeezed the bars below theirs (wrapped labels)
    top.setMinimumHeight(top_layout.totalMinimumSize().height())
    splitter.setSizes([top.minimumHeight(), PREFERRED_HEIGHT])
    splitter.setHandleWidth(9)   # easy to see and to grab (resources/style.qss colours it)
    return splitter
