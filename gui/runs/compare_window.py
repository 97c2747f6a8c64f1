"""Compare window: two or more recorded runs side by side.

    window = open_compare(run_ids, dataset, parent)    # what the Runs panel calls

Top: loss and accuracy curves of every run overlaid (train dashed, validation solid, one colour
per run) against epoch, samples seen or training time; the settings that differ (a column per
run, cells that differ from the first run highlighted). Bottom, for a chosen pair A/B: the
difference of their validation confusion matrices (B minus A) and the validation images on
which they disagree. Loading checkpoints and evaluating them runs in a JobWorker thread; the
records themselves (small JSON) are read on the GUI thread when the window opens.
"""
import html

import pyqtgraph as pg
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtGui import QFontMetrics
from PyQt5.QtWidgets import (QComboBox, QHBoxLayout, QHeaderView, QLabel, QSplitter, QTableWidget, QTableWidgetItem,
                             QVBoxLayout, QWidget)

from core.errors import DigitLabError
from core.records.reader import open_run
from gui.runs.compare_data import CURVES, X_AXES, evaluate_runs, metric, settings_table, x_values
from gui.runs.confusion_difference import ConfusionDifferenceView
from gui.runs.disagreement_gallery import DisagreementGallery
from gui.ground import theme
from gui.ground.screen_fit import fit_to_screen
from gui.ground.errors import describe_error
from gui.ground.threads import JobWorker, ThreadHandle

RUN_COLOURS = (theme.BLUE, theme.ORANGE, theme.GREEN, theme.PURPLE, theme.GREY)
LETTERS = "ABCDEFGH"
LEGEND_WIDTH = 840   # px: the legend's names share this much; each is elided in its middle (the end
                     # tells forks and learning rates apart), whole in the tooltip
PAIR_CHARACTERS = 18   # the pair combos' least width in characters: long names are elided, whole in tooltips


def _format(value):
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, (list, tuple)):
        return "x".join(map(str, value)) if value else "—"
    return "—" if value is None else str(value)


class CompareWindow(QWidget):
    """evaluated(RunsEvaluation) once the worker has evaluated every run; failed(message)."""

    evaluated = pyqtSignal(object)
    failed = pyqtSignal(str)

    def __init__(self, records, dataset, parent=None):
        super().__init__(parent, Qt.Window)
        if len(records) < 2:
            raise ValueError("compare needs two or more runs")
        self.records, self.dataset = list(records), dataset
        self.letters = [LETTERS[i % len(LETTERS)] for i in range(len(records))]
        self.evaluation = None
        self.job = None
        self.setWindowTitle("Compare runs — " + " vs ".join(r.name for r in records))
        self._build()
        # after _build: the layout's minimum (long run names elided, never wider) is known, and
        # fit_to_screen lets a minimum win over the screen (gui/ground/screen_fit.py)
        fit_to_screen(self, 1400, 900)
        self.set_x_axis("epoch")
        self._fill_settings()
        self._start_evaluation()

    # ----- layout -------------------------------------------------------------------------
    def _build(self):
        # a long name (a network's whole text) is elided: unbroken, it set the window's least width
        self.legend = QLabel()
        bold = self.legend.font()
        bold.setBold(True)   # the legend's weight (600) or a little more: the elided text never runs over
        metrics = QFontMetrics(bold)
        name_width = max(160, LEGEND_WIDTH // len(self.records))
        self.legend.setText(" &nbsp; ".join(
            f"<span style='color:rgb{colour}; font-weight:600'>■&nbsp;{letter}:&nbsp;"
            f"{html.escape(metrics.elidedText(record.name, Qt.ElideMiddle, name_width))}</span>"
            for letter, colour, record in zip(self.letters, self._colours(), self.records)))
        self.legend.setToolTip(self._names_tip())
        self.legend.setWordWrap(True)
        self.x_combo = QComboBox()
        for key, title in X_AXES.items():
            self.x_combo.addItem(title, key)
        self.x_combo.currentIndexChanged.connect(lambda _: self.set_x_axis(self.x_combo.currentData()))
        top_row = QHBoxLayout()
        top_row.addWidget(self.legend, 1)
        top_row.addWidget(QLabel("x axis:"))
        top_row.addWidget(self.x_combo)

        self.plots, self.curves = {}, {}
        plots_box = QWidget()
        plots_layout = QHBoxLayout(plots_box)
        plots_layout.setContentsMargins(0, 0, 0, 0)
        for kind in ("loss", "accuracy"):
            plot = self.plots[kind] = pg.PlotWidget()
            theme.style_plot(plot.getPlotItem(), kind.capitalize(), "epoch", kind)
            for axis in ("left", "bottom"):   # 'loss (x0.001)' reads badly: plain numbers
                plot.getPlotItem().getAxis(axis).enableAutoSIPrefix(False)
            # loss falls, accuracy rises: each legend goes where its curves are not
            plot.getPlotItem().addLegend(offset=(-10, 10) if kind == "loss" else (-10, -40), labelTextSize="8pt")
            plots_layout.addWidget(plot)
        for i, (letter, colour) in enumerate(zip(self.letters, self._colours())):
            for key, kind, split in CURVES:
                style = Qt.SolidLine if split == "validation" else Qt.DashLine
                pen = pg.mkPen(color=colour, width=2, style=style)
                self.curves[i, key] = self.plots[kind].plot(pen=pen, symbol="o" if split == "validation" else None,
                                                            symbolSize=5, symbolBrush=colour, symbolPen=None,
                                                            name=f"{letter} {split}", connect="finite")
        self.settings = QTableWidget()
        self.settings.setEditTriggers(QTableWidget.NoEditTriggers)
        self.settings.verticalHeader().setDefaultSectionSize(22)
        self.settings.horizontalHeader().setSectionResizeMode(QHeaderView.Stretch)   # every run visible
        self.settings.setWordWrap(True)
        settings_box = _titled("Settings that differ", self.settings)
        top = QSplitter(Qt.Horizontal)
        top.addWidget(plots_box)
        top.addWidget(settings_box)
        top.setSizes([950, 420])

        self.pair_a, self.pair_b = QComboBox(), QComboBox()
        for combo, default in ((self.pair_a, 0), (self.pair_b, 1)):
            # as wide as the row allows, no wider than its least: a long name is elided in the box
            combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
            combo.setMinimumContentsLength(PAIR_CHARACTERS)
            combo.view().setTextElideMode(Qt.ElideMiddle)
            for letter, record in zip(self.letters, self.records):
                combo.addItem(f"{letter}: {record.name}")
                combo.setItemData(combo.count() - 1, f"{letter}: {record.name}", Qt.ToolTipRole)
            combo.setCurrentIndex(default)
            combo.setToolTip(combo.currentText())
            combo.currentIndexChanged.connect(lambda _, combo=combo: combo.setToolTip(combo.currentText()))
            combo.currentIndexChanged.connect(lambda _: self._show_pair())
        pair_row = QHBoxLayout()
        pair_row.addWidget(QLabel("<b>Validation answers of</b>"))
        pair_row.addWidget(self.pair_a, 1)
        pair_row.addWidget(QLabel("<b>against</b>"))
        pair_row.addWidget(self.pair_b, 1)
        self.status = QLabel("Evaluating the runs' final checkpoints on the validation images…")
        self.status.setObjectName("hint")
        self.status.setWordWrap(True)
        self.difference = ConfusionDifferenceView()
        self.gallery = DisagreementGallery()
        bottom = QSplitter(Qt.Horizontal)
        bottom.addWidget(_titled("Confusion matrix difference (validation)", self.difference))
        bottom.addWidget(_titled("Where they disagree", self.gallery))
        bottom.setSizes([560, 800])
        bottom_box = QWidget()
        bottom_layout = QVBoxLayout(bottom_box)
        bottom_layout.setContentsMargins(0, 0, 0, 0)
        bottom_layout.addLayout(pair_row)
        bottom_layout.addWidget(self.status)
        bottom_layout.addWidget(bottom, 1)
        column = QSplitter(Qt.Vertical)
        column.addWidget(top)
        column.addWidget(bottom_box)
        column.setSizes([400, 480])
        layout = QVBoxLayout(self)
        layout.addLayout(top_row)
        layout.addWidget(column, 1)

    def _names_tip(self):
        return "\n".join(f"{letter}: {record.name}" for letter, record in zip(self.letters, self.records))

    def _colours(self):
        return [RUN_COLOURS[i % len(RUN_COLOURS)] for i in range(len(self.records))]

    # ----- curves and settings ------------------------------------------------------------------
    def set_x_axis(self, x_axis):
        """Plot every run's curves against 'epoch', 'samples' or 'time'."""
        index = self.x_combo.findData(x_axis)
        if index != self.x_combo.currentIndex():
            self.x_combo.setCurrentIndex(index)   # comes back here through the signal
            return
        self.x_axis = x_axis
        n_examples = len(self.dataset.train_labels) if self.dataset is not None else 0
        for i, record in enumerate(self.records):
            x = x_values(record, x_axis, n_examples)
            for key, _, _ in CURVES:
                self.curves[i, key].setData(x, metric(record, key))
        for plot in self.plots.values():
            plot.getPlotItem().setLabel("bottom", X_AXES[x_axis])
            plot.getPlotItem().enableAutoRange()

    def curve_count(self, kind):
        """How many curves with data the 'loss' or 'accuracy' plot shows."""
        return sum(1 for (i, key), curve in self.curves.items()
                   if key.endswith(kind) and curve.xData is not None and len(curve.xData))

    def _fill_settings(self):
        table = self.diff = settings_table(self.records)
        widget = self.settings
        widget.setRowCount(len(table))
        widget.setColumnCount(len(self.records))
        widget.setHorizontalHeaderLabels(self.letters)
        widget.setVerticalHeaderLabels(list(table))
        for row, values in enumerate(table.values()):
            for col, value in enumerate(values):
                item = QTableWidgetItem(_format(value))
                item.setToolTip(str(value))
                if col > 0 and value != values[0]:
                    theme.mark_cell(item, "differs_row")   # "this value is not the first run's"
                widget.setItem(row, col, item)
        widget.resizeRowsToContents()
        if not table:
            widget.setRowCount(1)
            widget.setVerticalHeaderLabels([""])
            widget.setItem(0, 0, QTableWidgetItem("the same settings"))

    # ----- evaluation in a worker ---------------------------------------------------------------
    def _start_evaluation(self):
        if self.dataset is None:
            self._on_failed(DigitLabError("load the runs' data to compare their answers on the validation images"))
            return
        records, dataset = self.records, self.dataset
        worker = JobWorker(lambda report, cancelled: evaluate_runs(records, dataset, cancelled))
        worker.done.connect(self._on_evaluated)
        worker.failed.connect(self._on_failed)
        self.job = ThreadHandle(worker).start()

    def _on_evaluated(self, evaluation):
        if evaluation is None:
            return
        self.evaluation = evaluation
        epochs = ", ".join(f"{letter} epoch {e}" for letter, e in zip(self.letters, evaluation.epochs))
        self.status.setText(f"Final checkpoints ({epochs}) on {len(evaluation.labels):,} validation images. "
                            + evaluation.split_note)
        self._show_pair()
        self.evaluated.emit(evaluation)

    def _on_failed(self, error):
        message = describe_error(error) if isinstance(error, BaseException) else str(error)
        self.status.setText(theme.span(f"Cannot compare the answers: {message}", "warning"))
        self.failed.emit(message)

    def _show_pair(self):
        e = self.evaluation
        if e is None:
            return
        a, b = self.pair_a.currentIndex(), self.pair_b.currentIndex()
        name_a, name_b = self.letters[a], self.letters[b]
        self.difference.set_difference(e.confusion_difference(a, b), e.class_names, name_a, name_b)
        self.gallery.show_disagreements(e.images, e.labels, e.predictions[a], e.predictions[b], e.class_names,
                                        name_a, name_b)

    def closeEvent(self, event):
        if self.job is not None and self.job.running:
            self.job.worker.cancel()
            self.job.wait(10000)
        super().closeEvent(event)


def _titled(title, widget):
    box = QWidget()
    layout = QVBoxLayout(box)
    layout.setContentsMargins(4, 4, 4, 4)
    layout.addWidget(QLabel(f"<b>{title}</b>"))
    layout.addWidget(widget, 1)
    return box


def open_compare(run_ids, dataset, parent=None, root=None):
    """Open (show) a CompareWindow for the runs (ids, id starts, names or folders); returns it.
    RunRecordError if a run cannot be read, ValueError for fewer than two runs."""
    records = [open_run(run_id, root) for run_id in run_ids]
    window = CompareWindow(records, dataset, parent)
    window.setAttribute(Qt.WA_DeleteOnClose, True)
    window.show()
    return window
