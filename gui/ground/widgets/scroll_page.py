"""A page shown in a QScrollArea that takes the area's visible size instead of growing with its text."""
from PyQt5.QtWidgets import QWidget


class ScrollAreaPage(QWidget):
    """A QWidget that never asks for height-for-width: in a scroll area (LookInside's pages), its
    word-wrapped labels would otherwise size it by heightForWidth, taller than the area. QScrollArea
    asks the layout, so heightForWidth answers -1 too."""

    def hasHeightForWidth(self):
        return False

    def heightForWidth(self, width):
        return -1
