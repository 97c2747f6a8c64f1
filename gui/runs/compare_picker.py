"""Runs > Compare runs…: tick two or more recorded runs (readable records with a finished epoch,
newest first). What tells runs apart comes first, each run in two lines within the dialog's width:

    12-06 21:35  ·  10 epochs  ·  best 99.18%  ·  mnist
    conv8x5,pool2,conv16x5v,pool2,dense128,dense10 relu, adam lr 0.01

The name (often the whole network text, alike for several runs) is elided in its middle to the
list's width, again when it is resized; the whole name, data, network and id are in the
tooltip (the dialog it replaced showed one long line per run: sideways scrolling in its 560 px).
Its API: list, buttons, check, selected_run_ids.
"""
from PyQt5.QtCore import QEvent, Qt
from PyQt5.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from core.records.reader import list_runs
from gui.ground.screen_fit import fit_to_screen
from gui.runs.run_texts import local_time

SEPARATOR = "  ·  "
ITEM_PADDING = 40   # px a line's check box and margins take from the list's width


def line_head(summary):
    """What tells runs apart at a glance: start, epochs, best validation accuracy, data."""
    best = f"{summary.best_val_accuracy:.2%}" if summary.best_val_accuracy is not None else "—"
    epochs = f"{summary.epochs} epoch" + ("" if summary.epochs == 1 else "s")
    return SEPARATOR.join((local_time(summary.created), epochs, f"best {best}", summary.dataset))


def line_tip(summary):
    return "\n".join((summary.name, f"data: {summary.dataset}", f"network: {summary.network}",
                      f"started {local_time(summary.created)}, {summary.epochs} epochs", f"id: {summary.id}"))


class CompareRunsPicker(QDialog):
    def __init__(self, parent=None, root=None):
        super().__init__(parent)
        self.setWindowTitle("Compare runs")
        self.list = QListWidget()
        self.list.setHorizontalScrollBarPolicy(Qt.ScrollBarAlwaysOff)   # each line fits; nothing to the side
        self.list.setAlternatingRowColors(True)   # a run's two lines read as one
        self.summaries = [s for s in reversed(list_runs(root)) if s.problem is None and s.epochs > 0]
        for summary in self.summaries:
            item = QListWidgetItem(line_head(summary))
            item.setData(Qt.UserRole, summary.id)
            item.setToolTip(line_tip(summary))
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.list.addItem(item)
        hint = QLabel("Tick two or more runs (the first ticked is A). Hover a line for its whole name "
                      "and network." if self.summaries else
                      "No recorded runs with a finished epoch yet: train something first.")
        hint.setWordWrap(True)
        self.buttons = QDialogButtonBox(QDialogButtonBox.Ok | QDialogButtonBox.Cancel)
        self.buttons.button(QDialogButtonBox.Ok).setText("Compare")
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        self._order = []
        self.list.itemChanged.connect(self._on_changed)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.buttons)
        fit_to_screen(self, 560, 520)
        self._on_changed(None)
        self._fit_lines()
        self.list.viewport().installEventFilter(self)

    def _fit_lines(self):
        """Each run: its head, and under it the name elided in its middle to the list's width."""
        metrics = self.list.fontMetrics()
        room = self.list.viewport().width() - ITEM_PADDING
        self.list.blockSignals(True)   # a text change is no tick
        for row, summary in enumerate(self.summaries):
            name = metrics.elidedText(summary.name, Qt.ElideMiddle, max(60, room))
            self.list.item(row).setText(line_head(summary) + "\n" + name)
        self.list.blockSignals(False)

    def eventFilter(self, watched, event):
        if watched is self.list.viewport() and event.type() == QEvent.Resize:
            self._fit_lines()   # the dialog resized, or a vertical scroll bar came
        return False

    def _on_changed(self, item):
        if item is not None:
            run_id = item.data(Qt.UserRole)
            if item.checkState() == Qt.Checked and run_id not in self._order:
                self._order.append(run_id)
            elif item.checkState() != Qt.Checked and run_id in self._order:
                self._order.remove(run_id)
        self.buttons.button(QDialogButtonBox.Ok).setEnabled(len(self._order) >= 2)

    def selected_run_ids(self):
        """Ticked run ids in the order they were ticked."""
        return list(self._order)

    def check(self, run_id):
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.data(Qt.UserRole) == run_id:
                item.setCheckState(Qt.Checked)
