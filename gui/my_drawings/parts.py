"""What the My drawings window is given and its fixed choices: the other features' widgets
(Parts, handed over by the shell: a feature imports only the ground and core), the class keys on
the canvas (1-9, then 0 for the tenth class), and the three places a network can start from."""
from dataclasses import dataclass
from typing import Callable, Optional

from PyQt5.QtCore import QEvent, QObject, Qt

KEYS = {getattr(Qt, f"Key_{(index + 1) % 10}"): index for index in range(10)}   # 1..9, then 0
BUTTONS_PER_ROW = 4   # keep buttons per row: narrow enough to leave the main window's left panel in view
TRANSFER_CHOICES = (("scratch", "From scratch (random weights)"),
                    ("frozen", "Digit model's conv layers, frozen"),
                    ("fine-tuned", "Digit model's conv layers, fine-tuned"))
TRAIN_TIP = ("Load the project as the data (a fifth of each class held out as the test set) and train with "
             "every view of the window: curves, matrix, maps, …")
RACE_TIP = "Train from the digit model's conv layers and from scratch side by side, on identical batches"


@dataclass(frozen=True)
class Parts:
    """Other features' widgets this one uses, given by the shell (gui/shell/my_drawings_parts.py:
    a feature imports only the ground and core)."""
    canvas: Callable                         # () -> gui.draw.canvas.DrawingCanvas
    gallery: Callable                        # (store, only_label=i) -> gui.my_digits.gallery.DigitGallery
    race_window: Optional[Callable] = None   # (config_b, dataset, parent, choices=, setup_b=) -> RaceWindow


class ClassKeys(QObject):
    """Event filter on the canvas: a bare 1-9 / 0 keeps the drawing as that class."""

    def __init__(self, keep):
        super().__init__()
        self._keep = keep

    def eventFilter(self, watched, event):
        if event.type() == QEvent.KeyPress and event.key() in KEYS and not (
                event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier)):
            self._keep(KEYS[event.key()])
            return True
        return False
