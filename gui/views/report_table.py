"""Per-class precision / recall / F1 / support, from the validation confusion matrix."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from core.evaluation.metrics import classification_report
from gui.ground import theme

COLUMNS = ("class", "prec.", "recall", "F1", "n")


class ReportTable(QTableWidget):
    """One row per class, then macro and weighted averages and the accuracy."""

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setAlternatingRowColors(True)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)
        # the class column holds "weighted avg" and "not 0": sized to its text, never elided
        self.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
        self.horizontalHeader().setMinimumSectionSize(40)
        # rows as tall as the text needs (the style's default is ~31 px): 13 rows fit a laptop
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)
        self.report = None

    def set_confusion(self, confusion, class_names):
        """confusion: (n_classes, n_classes) counts, rows true, columns predicted."""
        report = self.report = classification_report(confusion, list(class_names))
        rows = [(c["name"], c["precision"], c["recall"], c["f1"], c["support"]) for c in report["classes"]]
        support = sum(c["support"] for c in report["classes"])
        for key, label in (("macro_avg", "macro avg"), ("weighted_avg", "weighted avg")):
            avg = report[key]
            rows.append((label, avg["precision"], avg["recall"], avg["f1"], support))
        rows.append(("accuracy", None, None, report["accuracy"], support))
        self.setRowCount(len(rows))
        worst = min(range(len(report["classes"])), key=lambda i: report["classes"][i]["f1"]) if report["classes"] else -1
        for r, row in enumerate(rows):
            for c, value in enumerate(row):
                text = value if isinstance(value, str) else ("" if value is None else
                                                             (str(value) if c == 4 else f"{value:.3f}"))
                item = QTableWidgetItem(text)
                item.setTextAlignment(Qt.AlignCenter if c else Qt.AlignLeft | Qt.AlignVCenter)
                if r == worst:
                    theme.mark_cell(item, "problem_row")
                    item.setToolTip("the class with the lowest F1")
                if r >= len(report["classes"]):
                    font = item.font()
                    font.setBold(True)
                    item.setFont(font)
                self.setItem(r, c, item)
