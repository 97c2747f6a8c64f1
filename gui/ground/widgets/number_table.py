"""NumberTable: a read-only table of numbers (a 2-D NumPy array with row and column labels) that
can be copied: Ctrl+C copies the selected cells as tab-separated text (the rectangle around the
selection, empty cells where nothing is selected), copy_all() the whole table with its labels,
ready to paste into a spreadsheet.

A model over the array (QAbstractTableModel), not one QTableWidgetItem per cell: a forward-pass
table of 784 pixels x 64 examples is 50,000 numbers and must appear at once.

    table = NumberTable()
    table.set_table(values (rows, cols), row_labels, column_labels)
"""
import numpy as np
from PyQt5.QtCore import QAbstractTableModel, QModelIndex, Qt
from PyQt5.QtGui import QFont, QKeySequence
from PyQt5.QtWidgets import QAbstractItemView, QApplication, QHeaderView, QTableView

DISPLAY_FORMAT = "{:.6g}"    # what the cells show
COPY_FORMAT = "{:.10g}"      # what is copied: more digits, so a pasted check (W - lr * grad) holds


def format_number(value, template=DISPLAY_FORMAT):
    return template.format(float(value))


class NumberTableModel(QAbstractTableModel):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.values = np.zeros((0, 0))
        self.row_labels, self.column_labels = [], []

    def set_table(self, values, row_labels=None, column_labels=None):
        values = np.atleast_2d(np.asarray(values, np.float64))
        self.beginResetModel()
        self.values = values
        self.row_labels = list(row_labels) if row_labels is not None else [str(i) for i in range(values.shape[0])]
        self.column_labels = (list(column_labels) if column_labels is not None
                              else [str(j) for j in range(values.shape[1])])
        self.endResetModel()

    def rowCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.values.shape[0]

    def columnCount(self, parent=QModelIndex()):
        return 0 if parent.isValid() else self.values.shape[1]

    def data(self, index, role=Qt.DisplayRole):
        if not index.isValid():
            return None
        value = self.values[index.row(), index.column()]
        if role == Qt.DisplayRole:
            return format_number(value)
        if role == Qt.ToolTipRole:
            return repr(float(value))
        if role == Qt.TextAlignmentRole:
            return int(Qt.AlignRight | Qt.AlignVCenter)
        if role == Qt.UserRole:
            return float(value)
        return None

    def headerData(self, section, orientation, role=Qt.DisplayRole):
        if role != Qt.DisplayRole:
            return None
        labels = self.column_labels if orientation == Qt.Horizontal else self.row_labels
        return labels[section] if 0 <= section < len(labels) else None

    # ----- text --------------------------------------------------------------------------------
    def text(self, rows=None, columns=None, cells=None, headers=False):
        """Tab-separated text of rows x columns (default all); cells: {(row, col)} to include
        (others left empty); headers: a first row of column labels and a first column of row labels."""
        rows = range(self.values.shape[0]) if rows is None else rows
        columns = range(self.values.shape[1]) if columns is None else columns
        lines = []
        if headers:
            lines.append("\t".join([""] + [self.column_labels[c] for c in columns]))
        for r in rows:
            fields = [COPY_FORMAT.format(self.values[r, c]) if cells is None or (r, c) in cells else ""
                      for c in columns]
            lines.append("\t".join(([self.row_labels[r]] if headers else []) + fields))
        return "\n".join(lines)


class NumberTable(QTableView):
    def __init__(self, parent=None):
        super().__init__(parent)
        self.table_model = NumberTableModel(self)
        self.setModel(self.table_model)
        self.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setAlternatingRowColors(True)
        font = QFont("monospace")
        font.setStyleHint(QFont.TypeWriter)
        self.setFont(font)
        self.horizontalHeader().setSectionResizeMode(QHeaderView.Interactive)
        self.horizontalHeader().setDefaultSectionSize(96)
        self.verticalHeader().setDefaultSectionSize(22)
        self.setToolTip("Select cells and press Ctrl+C to copy them as tab-separated text")

    def set_table(self, values, row_labels=None, column_labels=None):
        self.table_model.set_table(values, row_labels, column_labels)
        self._fit_columns()

    def _fit_columns(self):
        """Each column as wide as its label or the longest number {:.6g} writes (12 characters,
        e.g. -0.000123457), without Qt visiting every cell (tables have up to ~50,000 numbers)."""
        number = self.fontMetrics().horizontalAdvance("-0.000123457")
        header = self.horizontalHeader().fontMetrics()
        for column, label in enumerate(self.table_model.column_labels):
            self.setColumnWidth(column, max(number, header.horizontalAdvance(label)) + 24)

    def selected_text(self):
        """The selection as tab-separated text (its bounding rectangle; unselected cells empty)."""
        indexes = self.selectionModel().selectedIndexes()
        if not indexes:
            return ""
        cells = {(i.row(), i.column()) for i in indexes}
        rows = range(min(r for r, _ in cells), max(r for r, _ in cells) + 1)
        columns = range(min(c for _, c in cells), max(c for _, c in cells) + 1)
        return self.table_model.text(rows, columns, cells)

    def copy_selection(self):
        text = self.selected_text()
        if text:
            QApplication.clipboard().setText(text)
        return text

    def copy_all(self):
        """The whole table with its row and column labels to the clipboard; returns the text."""
        text = self.table_model.text(headers=True)
        QApplication.clipboard().setText(text)
        return text

    def keyPressEvent(self, event):
        if event.matches(QKeySequence.Copy):
            self.copy_selection()
            event.accept()
            return
        super().keyPressEvent(event)
