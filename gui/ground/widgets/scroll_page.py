"""A page shown in a QScrollArea that takes the area's visible size instead of growing with its
text, and scrolls rather than cut a word-wrapped label or slide one over its neighbours."""
from PyQt5.QtCore import QEvent, QTimer
from PyQt5.QtWidgets import QLabel, QWidget


class ScrollAreaPage(QWidget):
    """A QWidget that never asks for height-for-width: in a scroll area (LookInside's pages), its
    word-wrapped labels would otherwise size it by heightForWidth, taller than the area. QScrollArea
    asks the layout, so heightForWidth answers -1 too.

    With FIT_WRAPPED_LABELS (Fool it), its word-wrapped labels' minimum heights follow their
    widths (the lines their text needs at the width the layout gave them). Else the page's minimum
    counts one line each: a vertical box layout still gives such a label its whole height, so on
    a short page it took the height from the images and wrapped captions slid over them, or the
    layout cut the label itself. (Off for Evidence: at 1280x720 its page would scroll.)"""

    FIT_WRAPPED_LABELS = False

    def __init__(self, parent=None):
        super().__init__(parent)
        self._fit_pending = False

    def hasHeightForWidth(self):
        return False

    def heightForWidth(self, width):
        return -1

    def event(self, event):
        handled = super().event(event)
        # a resize or a label's new text re-lays the page out: measure the labels after that
        if (self.FIT_WRAPPED_LABELS and event.type() in (QEvent.Resize, QEvent.LayoutRequest, QEvent.Show)
                and not self._fit_pending):
            self._fit_pending = True
            QTimer.singleShot(0, self.fit_wrapped_labels)
        return handled

    def fit_wrapped_labels(self):
        """Each visible word-wrapped label at least as tall as its text at its width. Converges: a
        label's width comes from the columns' stretch, never from its height."""
        self._fit_pending = False
        for label in self.findChildren(QLabel):
            if label.wordWrap() and label.isVisibleTo(self) and label.width() > 0:
                needed = text_height(label, label.width())
                if label.minimumHeight() != needed:
                    label.setMinimumHeight(needed)


_probe = None


def text_height(label, width):
    """The height ``label``'s text needs at ``width``. Measured on a twin: QLabel.heightForWidth
    never answers less than the label's own minimum height, so a once-raised minimum would stick."""
    global _probe
    if _probe is None:
        _probe = QLabel()
        _probe.setWordWrap(True)
    _probe.setObjectName(label.objectName())   # the same style sheet rules (padding of a notice)
    _probe.setFont(label.font())
    _probe.setTextFormat(label.textFormat())
    _probe.setMargin(label.margin())
    _probe.setIndent(label.indent())
    _probe.setContentsMargins(label.contentsMargins())
    _probe.setText(label.text())
    return max(0, _probe.heightForWidth(width))
