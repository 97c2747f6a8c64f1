"""Runs > Compare runs…: tick two or more recorded runs (until the Runs panel offers its own
selection); readable records only, newest first."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QDialog, QDialogButtonBox, QLabel, QListWidget, QListWidgetItem, QVBoxLayout

from core.records.reader import list_runs
from gui.ground.screen_fit import fit_to_screen


class PickRunsDialog(QDialog):
    def __init__(self, parent=None, root=None):
        super().__init__(parent)
        self.setWindowTitle("Compare runs")
        fit_to_screen(self, 560, 420)
        self.list = QListWidget()
        usable = [s for s in reversed(list_runs(root)) if s.problem is None and s.epochs > 0]
        for summary in usable:
            best = f"{summary.best_val_accuracy:.2%}" if summary.best_val_accuracy is not None else "—"
            item = QListWidgetItem(f"{summary.name}  ·  {summary.dataset}, {summary.network}, {summary.epochs} "
                                   f"epochs, best {best}  ·  {summary.created[:16].replace('T', ' ')}")
            item.setData(Qt.UserRole, summary.id)
            item.setFlags(item.flags() | Qt.ItemIsUserCheckable)
            item.setCheckState(Qt.Unchecked)
            self.list.addItem(item)
        hint = QLabel("Tick two or more runs (the first ticked is A)." if usable else
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
        self._on_changed(None)

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
