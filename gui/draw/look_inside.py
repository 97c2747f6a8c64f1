"""LookInside: the Draw tab's "ask the model why" column, two pages fed by the panel's predictions:

  Evidence   which pixels pushed the answer, and why not another digit (gui.draw.evidence_view)
  Fool it    a small change that makes the network answer another digit (gui.draw.fool_view)

    panel.look_inside = LookInside(panel)     # connects itself to panel.predicted and the canvas

"Draw on top" hands the changed image to the canvas as a background layer (DrawingCanvas.
set_background); the panel then prepares its input as background + new ink (core.drawing.layered).
"""
from PyQt5.QtWidgets import QTabWidget

from gui.draw.evidence_view import EvidenceView
from gui.draw.fool_view import FoolView

MIN_HEIGHT = 312   # px: room for the map and Fool it's images with their words; the canvas takes the rest


class LookInside(QTabWidget):
    def __init__(self, panel, parent=None):
        super().__init__(parent)
        self.panel = panel
        self.evidence = EvidenceView()
        self.fool = FoolView()
        self.addTab(self.evidence, "Evidence")
        self.addTab(self.fool, "Fool it")
        self.setMinimumHeight(MIN_HEIGHT)
        panel.predicted.connect(self._on_prediction)
        self.fool.draw_on_top.connect(panel.canvas.set_background)

    def hasHeightForWidth(self):
        """No: the pages' wrapped labels would otherwise make the panel's layout give this column
        the height they want at some narrow width, squeezing the canvas and the answer above."""
        return False

    def _on_prediction(self, probabilities):
        panel = self.panel
        image = None if probabilities is None else panel.last_image
        self.evidence.show_drawing(panel.network, panel.metadata, image)
        self.fool.show_drawing(panel.network, panel.metadata, image, probabilities)

    def shutdown(self, milliseconds=2000):
        """Wait for running computations (closing the window)."""
        return self.evidence.wait(milliseconds) and self.fool.wait(milliseconds)
