"""Calibration: does a confidence of 80% mean right 80% of the time?

Left, a reliability diagram of the latest model on the validation images: 10 confidence bins,
each bar the accuracy of the images whose top probability falls in the bin, its count above it,
the diagonal where a calibrated model's bars would end. Before temperature scaling in blue,
after in orange. Right, the expected calibration error on validation after every epoch, and the
fitted temperature with ECE and NLL before/after. Computations (core.evaluation.calibration) run
in a JobWorker, one at a time, queued in epoch order; the view only draws their results.

Signal temperature_fitted(T, description): the Draw tab's "use calibrated probabilities" uses T.
"""
from dataclasses import dataclass
from typing import Optional

import numpy as np
from PyQt5 import sip
import pyqtgraph as pg
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSplitter, QVBoxLayout, QWidget

from core.data.normalise import to_float
from core.evaluation.calibration import DEFAULT_BINS, calibrate, expected_calibration_error
from gui.ground import theme
from gui.ground.threads import JobWorker, ThreadHandle

COUNT_ROOM_TOP = 1.2   # the y range's top: a count over a bar at 1.0 was cut off at 1.12


@dataclass
class CalibrationResult:
    epoch: Optional[int]      # 1-based epoch for the per-epoch curve, None for a one-off measurement
    name: str                 # which model, for the labels
    report: object            # core CalibrationReport (temperature, before/after bins, NLL)
    ece: float                # before scaling (== report.before.ece)
    n_images: int


def measure(network, images, labels, normalisation, epoch=None, name="model"):
    """CalibrationResult of network on validation images (n, H, W) uint8 with task labels (n,)."""
    inputs = to_float(np.asarray(images).reshape(len(images), -1), normalisation, network.dtype)
    probabilities = network.predict_proba(inputs)
    report = calibrate(probabilities, labels, DEFAULT_BINS)
    return CalibrationResult(epoch, name, report, expected_calibration_error(probabilities, labels), len(labels))


class CalibrationView(QWidget):
    temperature_fitted = pyqtSignal(float, str)
    measured = pyqtSignal(object)   # every CalibrationResult, after it is drawn
    EMPTY_SUMMARY = "The reliability diagram appears after the first epoch (or press Measure)."

    def __init__(self, parent=None):
        super().__init__(parent)
        self.result = None
        self.ece_epochs, self.ece_values = [], []
        self._queue, self._job = [], None
        self._handles = []     # ThreadHandles kept until their QThread has ended
        self._generation = 0   # results of jobs queued before clear() are dropped
        self._closed = False   # after shutdown(): no new measurement starts
        self.measure_button = QPushButton("Measure the current model")
        self.summary = QLabel(self.EMPTY_SUMMARY)
        self.summary.setWordWrap(True)
        self.summary.setTextFormat(Qt.RichText)

        self.diagram = pg.PlotWidget()
        item = self.diagram.getPlotItem()
        theme.style_plot(item, "Reliability (validation, 10 bins)", "confidence (top probability)", "accuracy")
        item.setMouseEnabled(x=False, y=False)
        item.hideButtons()
        item.setXRange(0, 1, padding=0.02)
        item.setYRange(0, COUNT_ROOM_TOP, padding=0)   # room above a full bar for its count
        item.addLegend(offset=(10, 10), labelTextSize="9pt")
        centres = (np.arange(DEFAULT_BINS) + 0.5) / DEFAULT_BINS
        self.before_bars = pg.BarGraphItem(x=centres - 0.02, height=np.zeros(DEFAULT_BINS), width=0.04,
                                           brush=theme.brush(theme.BLUE, 200), pen=None, name="before scaling")
        self.after_bars = pg.BarGraphItem(x=centres + 0.02, height=np.zeros(DEFAULT_BINS), width=0.04,
                                          brush=theme.brush(theme.ORANGE, 200), pen=None, name="after scaling")
        item.addItem(self.before_bars)
        item.addItem(self.after_bars)
        item.plot([0, 1], [0, 1], pen=pg.mkPen((*theme.GREY, 200), width=1.5, style=Qt.DashLine),
                  name="perfectly calibrated")
        self.count_texts = []
        for centre in centres:
            text = pg.TextItem("", anchor=(0.5, 1.0), color=theme.text_rgb())
            text.setPos(centre, 0)
            item.addItem(text)
            self.count_texts.append(text)

        self.ece_plot = pg.PlotWidget()
        ece_item = self.ece_plot.getPlotItem()
        theme.style_plot(ece_item, "Expected calibration error per epoch", "epoch", "ECE on validation (%)")
        ece_item.getAxis("left").enableAutoSIPrefix(False)
        self.ece_curve = ece_item.plot(pen=theme.pen(theme.BLUE, 2), symbol="o", symbolSize=7,
                                       symbolBrush=theme.brush(theme.BLUE), symbolPen=None)

        right = QWidget()
        right_layout = QVBoxLayout(right)
        right_layout.setContentsMargins(0, 0, 0, 0)
        right_layout.addWidget(self.ece_plot, 1)
        right_layout.addWidget(self.summary)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.measure_button)
        right_layout.addLayout(row)
        splitter = QSplitter(Qt.Horizontal)
        splitter.addWidget(self.diagram)
        splitter.addWidget(right)
        splitter.setSizes([560, 420])
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addWidget(splitter, 1)

    # ----- requests ---------------------------------------------------------------------------
    def request(self, network, images, labels, normalisation, epoch=None, name="model"):
        """Queue a measurement (network must not change afterwards: pass a copy)."""
        if self._closed:   # snapshots still queued when the window closed ask for more
            return
        generation = self._generation
        self._queue.append((generation, lambda report, cancelled: measure(network, images, labels, normalisation,
                                                                           epoch, name)))
        self._next()

    def _next(self):
        if self._job is not None or not self._queue:
            return
        generation, fn = self._queue.pop(0)
        worker = JobWorker(fn)
        worker.done.connect(lambda result, generation=generation: self._on_result(generation, result))
        worker.failed.connect(lambda error, generation=generation: self._on_failed(generation, error))
        worker.finished.connect(self._on_job_finished)
        self._job = ThreadHandle(worker).start()
        self._handles = [h for h in self._handles if h.running] + [self._job]

    def _on_job_finished(self):
        self._job = None
        self._next()

    @property
    def busy(self):
        return self._job is not None or bool(self._queue)

    # ----- drawing ------------------------------------------------------------------------------
    def _wanted(self, generation):
        """A job's result is drawn unless the view was cleared or shut down since, or Qt already
        deleted it (a window garbage-collected without being closed: no shutdown ran)."""
        return generation == self._generation and not sip.isdeleted(self) and not sip.isdeleted(self.ece_curve)

    def _on_failed(self, generation, error):
        if self._wanted(generation):
            self.summary.setText(f"Calibration could not be measured: {error}")

    def _on_result(self, generation, result):
        if not self._wanted(generation):
            return
        if result.epoch is not None:
            self.ece_epochs.append(result.epoch)
            self.ece_values.append(result.ece)
            self.ece_curve.setData(self.ece_epochs, 100 * np.asarray(self.ece_values))
        self.show_result(result)
        self.measured.emit(result)

    def show_result(self, result):
        self.result = result
        report = result.report
        before, after = report.before, report.after
        self.before_bars.setOpts(height=np.nan_to_num(before.accuracy))
        self.after_bars.setOpts(height=np.nan_to_num(after.accuracy))
        tops = np.maximum(np.nan_to_num(before.accuracy), np.nan_to_num(after.accuracy))
        for text, count, top in zip(self.count_texts, before.count, tops):
            text.setText(f"{count:,}" if count else "")
            text.setPos(text.pos().x(), top + 0.01)   # just above the taller of the bin's two bars
        where = f"epoch {result.epoch}" if result.epoch is not None else result.name
        self.summary.setText(
            f"<b>{where}</b>, {result.n_images:,} validation images. Temperature scaling fitted on them: "
            f"<b>T = {report.temperature:.2f}</b> ({'softer' if report.temperature > 1 else 'sharper'} "
            f"probabilities). ECE {before.ece:.2%} → {after.ece:.2%}; NLL {report.nll_before:.3f} → "
            f"{report.nll_after:.3f}.<br>Bar labels: images per confidence bin (before scaling).")
        self.temperature_fitted.emit(report.temperature, f"T = {report.temperature:.2f}, fitted on {where}")

    def displayed_bins(self):
        """(counts, before accuracies, after accuracies) as drawn, for tests."""
        counts = [int(t.toPlainText().replace(",", "") or 0) for t in (x.textItem for x in self.count_texts)]
        return (np.array(counts), np.asarray(self.before_bars.opts["height"]),
                np.asarray(self.after_bars.opts["height"]))

    def clear(self):
        """A new run starts (or Reset): drop the curve, the bars, their counts, the summary and
        anything still queued for the old one: nothing of the old model stays on screen."""
        self._generation += 1
        self._queue.clear()
        self.result = None
        self.ece_epochs, self.ece_values = [], []
        self.ece_curve.setData([], [])
        ece_item = self.ece_plot.getPlotItem()   # no axes fitted to the old run's epochs and ECEs
        ece_item.setRange(xRange=(1, 2), yRange=(0, 5), padding=0.02)
        ece_item.enableAutoRange()               # the new run's points fit it again
        self.before_bars.setOpts(height=np.zeros(DEFAULT_BINS))
        self.after_bars.setOpts(height=np.zeros(DEFAULT_BINS))
        for text in self.count_texts:
            text.setText("")
            text.setPos(text.pos().x(), 0)
        self.summary.setText(self.EMPTY_SUMMARY)

    def shutdown(self, milliseconds=10000):
        """The window closes: nothing waits, and a result still on its way is dropped (it would
        reach plot items Qt is deleting)."""
        self._closed = True
        self._queue.clear()
        self._generation += 1
        return all(handle.wait(milliseconds) for handle in self._handles)
