"""One page of the step-through dialog: a stage's intro (its formulas), the list of its tables and
the chosen table with a Copy all button. Split from gui/inspect/step_through_dialog.py, which
arranges the pages and walks through them.
"""
from html import escape

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QListWidget, QPushButton, QSplitter, QVBoxLayout, QWidget

from gui.ground.widgets.number_table import NumberTable


class StagePage(QWidget):
    """One stage: what happens (intro), the list of its tables, and the chosen table."""

    def __init__(self, parent=None):
        super().__init__(parent)
        self.stage = None
        self._pending = False          # a stage arrived while hidden: fill on show
        self.intro = QLabel()
        self.intro.setWordWrap(True)
        self.intro.setTextFormat(Qt.RichText)
        self.list = QListWidget()
        self.list.setMinimumWidth(220)
        self.formula = QLabel()
        self.formula.setWordWrap(True)
        self.formula.setTextFormat(Qt.RichText)
        self.formula.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.formula.setObjectName("inset")   # its background is the theme's (resources/style.qss)
        self.formula.setStyleSheet("font-family: monospace; font-size: 11pt; padding: 4px;")
        self.table = NumberTable()
        self.copy_button = QPushButton("Copy all")
        self.copy_button.setToolTip("Copy the whole table with its labels as tab-separated text "
                                    "(Ctrl+C copies the selected cells)")
        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.formula)
        right_layout.addWidget(self.table, 1)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.copy_button)
        right_layout.addLayout(buttons)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.list)
        splitter.addWidget(right)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([260, 900])
        layout = QVBoxLayout(self)
        layout.addWidget(self.intro)
        layout.addWidget(splitter, 1)
        self.list.currentRowChanged.connect(self.show_table)
        self.copy_button.clicked.connect(self.table.copy_all)

    def set_stage(self, stage):
        """Show a Stage (gui.inspect.step_tables), keeping the chosen table's position. A hidden
        page fills itself when it is shown: filling all five at once (a 784 x 64 input table
        among them) kept the GUI thread busy for ~75 ms."""
        self.stage = stage
        self._pending = not self.isVisible()
        if not self._pending:
            self._fill()

    def showEvent(self, event):
        super().showEvent(event)
        if self._pending:
            self._fill()

    def _fill(self):
        self._pending = False
        stage = self.stage
        row = max(self.list.currentRow(), 0)
        self.intro.setText(stage.intro)
        self.list.blockSignals(True)
        self.list.clear()
        self.list.addItems([t.name for t in stage.tables])
        self.list.blockSignals(False)
        self.list.setCurrentRow(min(row, len(stage.tables) - 1))
        self.show_table(self.list.currentRow())

    def show_table(self, row):
        if self.stage is None or not 0 <= row < len(self.stage.tables):
            return
        table = self.stage.tables[row]
        self.formula.setText(escape(table.formula) + (f"<br><i>{escape(table.note)}</i>" if table.note else ""))
        self.table.set_table(table.values, table.row_labels, table.column_labels)

    def clear(self):
        self.stage = None
        self._pending = False
        self.intro.setText("")
        self.list.clear()
        self.formula.setText("")
        self.table.set_table([[]], [], [])
