"""The network editor's table: one row per layer with its output shape, parameters and
multiply-adds per image (numbers from core.nn.layer_spec.describe_stack), and the words for
each layer. Qt-free helpers first, then the table widget (gui.training.layer_stack_editor uses it).
"""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QAbstractItemView, QHeaderView, QTableWidget, QTableWidgetItem

from core.errors import ConfigError
from core.nn.layer_spec import LayerSpec, describe_stack
from gui.ground import theme

COLUMNS = ("Layer", "Output", "Params", "Mult-adds")


def layer_title(spec, last=False):
    """Words for one layer: 'conv8 5x5' (8 filters of 5x5; 'conv8 5x5v' with 'valid' padding),
    'pool 2x2' (max), 'output 10'."""
    if spec.kind == "conv":
        return f"conv{spec.size} {spec.kernel}x{spec.kernel}" + ("v" if spec.padding == "valid" else "")
    if spec.kind == "pool":
        return f"pool {spec.size}x{spec.size}"
    if spec.kind == "dense":
        return f"output {spec.size}" if last else f"dense {spec.size}"
    if spec.kind == "dropout":
        return f"dropout {spec.rate:g}"
    return "flatten"


def layer_words(spec, last=False):
    """A sentence for a layer's tooltip."""
    if spec.kind == "conv":
        pad = ("'valid' padding: no zeros around, the map shrinks by " f"{spec.kernel - 1}" if spec.padding == "valid"
               else "'same' padding: zeros around, the map keeps its size")
        return f"{spec.size} filters of {spec.kernel}x{spec.kernel}, {pad}"
    if spec.kind == "pool":
        return f"max pooling: the largest value of every {spec.size}x{spec.size} window (stride {spec.size})"
    if spec.kind == "dense":
        return f"the output layer: {spec.size} units, one per class" if last else f"a fully connected layer of {spec.size} units"
    if spec.kind == "dropout":
        return f"drops {spec.rate:.0%} of the values at random while training (nothing when predicting)"
    return "flattens the maps into one vector"


def compact(number):
    """1234 -> '1,234'; 1234567 -> '1.23M' (the table is narrow; the tooltip has every digit)."""
    if number >= 1_000_000:
        return f"{number / 1e6:.3g}M"
    if number >= 100_000:
        return f"{number / 1e3:.0f}k"
    return f"{number:,}"


def rows_and_fault(specs, input_shape):
    """(rows of the longest prefix that makes sense, index of the first layer at fault or None).
    A prefix is judged by closing it with a one-unit dense layer (describe_stack wants an output)."""
    try:
        return describe_stack(specs, input_shape), None   # it fits; something else is wrong (the output)
    except ConfigError:
        pass
    for end in range(len(specs)):
        try:
            describe_stack(list(specs[:end + 1]) + [LayerSpec("dense", 1)], input_shape)
        except ConfigError:
            good = describe_stack(list(specs[:end]) + [LayerSpec("dense", 1)], input_shape)[:-1] if end else []
            return good, end
    return describe_stack(list(specs) + [LayerSpec("dense", 1)], input_shape)[:-1], None


class StackTable(QTableWidget):
    """Row 0 is the input (not selectable); row i + 1 is layer i of the stack."""

    def __init__(self, parent=None):
        super().__init__(0, len(COLUMNS), parent)
        self.setHorizontalHeaderLabels(COLUMNS)
        self.verticalHeader().setVisible(False)
        self.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setEditTriggers(QAbstractItemView.NoEditTriggers)
        self.setWordWrap(False)
        self.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 8)   # compact rows
        header = self.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.Stretch)
        for column in range(1, len(COLUMNS)):
            header.setSectionResizeMode(column, QHeaderView.ResizeToContents)

    def selected_index(self):
        """Index into specs of the selected layer, or -1 (the input row is not a layer)."""
        rows = self.selectionModel().selectedRows() if self.selectionModel() else []
        return rows[0].row() - 1 if rows and rows[0].row() >= 1 else -1

    def fill(self, shape, specs, rows, fault=None, problem=""):
        """Rows for the input (shape (H, W, C)) and every spec; rows: the StackRows known (fewer
        than specs when the stack is invalid: the rest show '—'); fault: index of the layer at
        fault (red, its tooltip the problem)."""
        self.blockSignals(True)
        selected = self.selected_index()
        self.setRowCount(len(specs) + 1)
        self._set_row(0, ["input", "x".join(map(str, shape)), "", ""], selectable=False)
        for index, spec in enumerate(specs):
            row = rows[index] if index < len(rows) else None
            cells = [layer_title(spec, last=index == len(specs) - 1),
                     row.shape_text if row else "—", compact(row.n_params) if row else "",
                     compact(row.mult_adds) if row else ""]
            tips = [layer_words(spec, last=index == len(specs) - 1), "", f"{row.n_params:,} parameters" if row else "",
                    f"{row.mult_adds:,} multiply-adds per image" if row else ""]
            self._set_row(index + 1, cells, tips=tips, bad=index == fault, problem=problem)
        self.blockSignals(False)
        if 0 <= selected < len(specs):
            self.selectRow(selected + 1)
        height = self.horizontalHeader().height() + 2 * self.frameWidth()
        height += sum(self.rowHeight(r) for r in range(self.rowCount()))
        self.setFixedHeight(min(height, 12 * self.verticalHeader().defaultSectionSize()))

    def _set_row(self, row, cells, tips=None, selectable=True, bad=False, problem=""):
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            if column:
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            if not selectable:
                item.setFlags(Qt.ItemIsEnabled)
            if tips and tips[column]:
                item.setToolTip(tips[column])
            if bad:
                theme.mark_cell(item, "problem_row")
                item.setToolTip(problem)
            self.setItem(row, column, item)
