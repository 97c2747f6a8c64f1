"""FoolView: "Fool it" on the Draw tab. The user picks a digit; a small, bounded change of the
drawing that makes the network answer it is searched (core.analysis.adversarial.fool, in a
worker thread, well under a second for the default model) and shown: the changed image, the
change itself (diverging colours, symmetric range), how big it is, and the network's new answer
with its probabilities. "Draw on top" makes the changed image the drawing (the canvas keeps it as
a background layer under new strokes: core.drawing.layered), so the user can see how much ink
it takes to undo the trick.
"""
from dataclasses import dataclass

import numpy as np
import pyqtgraph as pg
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QComboBox, QGridLayout, QHBoxLayout, QLabel, QPushButton, QVBoxLayout

from core.analysis.adversarial import DEFAULT_BOUND, fool
from core.drawing.model_input import model_input
from core.training.blas import limited_blas_threads
from gui.draw.digit_picker import DigitPicker
from gui.ground.errors import describe_error
from gui.ground.latest_job import LatestJob
from gui.draw.map_view import InkImageView, SignedMapView
from gui.ground import theme
from gui.ground.widgets.scroll_page import ScrollAreaPage

IMAGE_MIN = 70   # px: the least each of the three images gets
WHAT_IT_TEACHES = ("An <b>adversarial example</b>: a change too small to make your drawing another digit for "
                   "a person, found by following the network's own gradient, makes the network answer the "
                   "digit you pick. It learned features that work on MNIST, not how people read digits.")
NORMS = (("linf", f"each pixel changes by at most {DEFAULT_BOUND['linf']:g} (L∞ bound)"),
         ("l2", f"the change has length at most {DEFAULT_BOUND['l2']:g} (L2 bound)"))
AFTER_COLOUR = (*theme.ORANGE, 230)
BEFORE_COLOUR = (*theme.GREY, 110)


@dataclass
class FoolOutcome:
    """A FoolResult (core.analysis.adversarial) with the (H, W) input it started from."""
    result: object
    original: np.ndarray


def compute_fool(network, image01, normalisation, target, norm):
    """fool() on a copy of the network (safe in a worker thread)."""
    with limited_blas_threads():        # one BLAS thread: two spin and crawl when the other core is busy
        result = fool(network.copy(), model_input(image01, normalisation)[0], target, normalisation, norm)
    return FoolOutcome(result, np.asarray(image01, np.float32))


class FoolView(ScrollAreaPage):   # sized by LookInside's scroll area, not by its text
    """Signals: fooled(FoolOutcome) once a result is shown; draw_on_top(image (H, W) in [0, 1])."""

    fooled = pyqtSignal(object)
    draw_on_top = pyqtSignal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.network = self.metadata = self.image = None
        self.outcome = None
        self.top = None
        self._user_picked = False
        self.job = LatestJob(self)
        self.job.done.connect(self._show)
        self.job.failed.connect(self._failed)
        self.job.idle.connect(self._update_buttons)
        self.job.idle.connect(self._update_stale_note)

        self.intro = QLabel(WHAT_IT_TEACHES)
        self.intro.setWordWrap(True)
        self.target_picker = DigitPicker()
        self.norm_combo = QComboBox()
        for key, text in NORMS:
            self.norm_combo.addItem(text, key)
        # the box may be narrower than its longest choice (the page sits beside the canvas); the
        # list that opens shows them whole and the tooltip repeats the chosen one
        self.norm_combo.view().setMinimumWidth(self.norm_combo.sizeHint().width())
        self.norm_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.norm_combo.setMinimumContentsLength(10)   # three columns share the page beside the canvas
        self.norm_combo.currentTextChanged.connect(self.norm_combo.setToolTip)
        self.norm_combo.setToolTip(self.norm_combo.currentText())
        self.fool_button = QPushButton("Fool it")
        self.fool_button.setObjectName("startButton")
        self.draw_on_top_button = QPushButton("Draw on top")
        self.draw_on_top_button.setToolTip("Make the changed image your drawing and keep drawing on it")
        # px at least: 28x28 images at 2.5x, small enough for three columns beside the canvas
        self.original_view, self.changed_view = InkImageView(IMAGE_MIN), InkImageView(IMAGE_MIN)
        self.change_view = SignedMapView(size=IMAGE_MIN, colour_bar=False, outline=False)
        self.answer_label = QLabel()
        self.answer_label.setWordWrap(True)
        self.size_label = QLabel()
        self.size_label.setWordWrap(True)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("hint")
        self.plot = self._make_plot()
        self._build_layout()

        self.target_picker.picked.connect(self._target_picked)
        self.fool_button.clicked.connect(self.run)
        self.draw_on_top_button.clicked.connect(self._draw_on_top)
        self._update_buttons()
        self._show_result(None)

    def _make_plot(self):
        plot = pg.PlotWidget()
        plot.setMenuEnabled(False)
        plot.setMouseEnabled(x=False, y=False)
        plot.hideButtons()
        plot.setMinimumSize(110, 80)
        item = plot.getPlotItem()
        theme.plain_numbers(item)
        item.setYRange(0, 1, padding=0.02)
        item.getAxis("left").setTicks([[(v, f"{int(v * 100)}%") for v in (0, 0.5, 1.0)]])
        item.getAxis("bottom").setTicks([[(d, str(d)) for d in range(10)]])
        item.setXRange(-0.6, 9.6, padding=0)
        item.showGrid(y=True, alpha=0.15)
        self.before_bars = pg.BarGraphItem(x=np.arange(10) - 0.18, height=np.zeros(10), width=0.34,
                                           brush=BEFORE_COLOUR, pen=None, name="before")
        self.after_bars = pg.BarGraphItem(x=np.arange(10) + 0.18, height=np.zeros(10), width=0.34,
                                          brush=AFTER_COLOUR, pen=None, name="after")
        plot.addItem(self.before_bars)
        plot.addItem(self.after_bars)
        return plot

    def _build_layout(self):
        """Three columns under the target digits: controls and the lesson; the images, the new
        answer and the size of the change; the before / after bars."""
        target_row = QHBoxLayout()   # across the page: beside the canvas the columns below are narrow
        target_row.addWidget(QLabel("Make it say"))
        target_row.addWidget(self.target_picker)
        target_row.addStretch(1)
        buttons = QGridLayout()   # stacked: the column is narrow with three of them beside the canvas
        buttons.addWidget(self.fool_button, 0, 0)
        buttons.addWidget(self.draw_on_top_button, 1, 0)
        buttons.setColumnStretch(1, 1)
        controls = QVBoxLayout()
        controls.addWidget(self.intro)
        controls.addSpacing(4)
        controls.addWidget(self.norm_combo)
        controls.addLayout(buttons)
        controls.addWidget(self.status)
        controls.addStretch(1)
        images = QGridLayout()          # three images in a row, each with its caption under it
        images.setVerticalSpacing(2)
        for column, (view, caption) in enumerate(((self.original_view, "your drawing"),
                                                  (self.changed_view, "changed image"),
                                                  (self.change_view, "the change"))):
            label = QLabel(caption)
            label.setObjectName("hint")
            label.setWordWrap(True)
            images.addWidget(view, 0, column)
            images.addWidget(label, 1, column, Qt.AlignTop)
            images.setColumnStretch(column, 1)
            # the caption's whole height stays below the image (wrapped captions overlapped it)
            label.setMinimumHeight(2 * label.fontMetrics().lineSpacing())
        images.setRowStretch(0, 1)
        legend = QLabel(f"<span style='color:{theme.hex_rgb(BEFORE_COLOUR)}'>■</span> before &nbsp; "
                        f"<span style='color:{theme.hex_rgb(AFTER_COLOUR)}'>■</span> after &nbsp;·&nbsp; in the change, "
                        "red is ink added, blue ink removed")   # a short caption: a long one overlapped
        legend.setObjectName("hint")
        legend.setWordWrap(True)
        # wrapped labels ask the page for one line; at the page's minimum height the layout then
        # squeezed the image row under its 80 px and the captions slid over the images: two lines each
        for label in (legend, self.answer_label, self.size_label):
            label.setMinimumHeight(2 * label.fontMetrics().lineSpacing())
        results = QVBoxLayout()
        results.addLayout(images, 1)
        results.addWidget(self.answer_label)
        results.addWidget(self.size_label)
        # the before / after bars in a third column: stacked under the images, the page needed
        # ~360 px and scrolled on a laptop (it gets ~290 at 1366x768)
        chart = QVBoxLayout()
        chart.addWidget(self.plot, 1)
        chart.addWidget(legend)
        columns = QHBoxLayout()
        columns.addLayout(controls, 3)
        columns.addSpacing(8)
        columns.addLayout(results, 3)
        columns.addSpacing(8)
        columns.addLayout(chart, 2)
        layout = QVBoxLayout(self)
        layout.addLayout(target_row)
        layout.addLayout(columns, 1)

    # ----- inputs ------------------------------------------------------------------------------
    def show_drawing(self, network, metadata, image01, probabilities=None):
        """The Draw tab's model, prepared input (H, W) and probabilities (None when empty). A
        result found for another model (one opened or trained since) is taken down: "the network
        now says 3" would no longer be true."""
        if network is not self.network and self.outcome is not None:
            self.outcome = None
            self._show_result(None)
            self.status.setText("The model changed since the last search: press Fool it again.")
        self.network, self.metadata = network, metadata
        self.image = None if image01 is None else np.asarray(image01, np.float32)
        if metadata is not None:
            self.target_picker.set_classes(metadata.get("class_names", range(10)))
        self.top = None if probabilities is None else int(np.argmax(probabilities))
        if self.top is not None and not self._user_picked:   # a sensible first target: the runner-up
            self.target_picker.set_value(int(np.argsort(probabilities)[-2]))
        self.target_picker.disable_class(self.top, "the network already says this")
        self._update_buttons()
        self._update_stale_note()

    def _target_picked(self, value):
        self._user_picked = value is not None
        self._update_buttons()

    def _update_buttons(self):
        ready = self.network is not None and self.image is not None and self.target_picker.value() is not None
        self.fool_button.setEnabled(ready and not self.job.busy)
        self.draw_on_top_button.setEnabled(self.outcome is not None)

    def run(self):
        """Search the change for the picked target (worker thread)."""
        target = self.target_picker.value()
        if self.network is None or self.image is None or target is None:
            return
        network, image, norm = self.network, self.image, self.norm_combo.currentData()
        self._searched_network = network   # a result for another model than the shown one is dropped
        normalisation = self.metadata.get("normalisation", "zero_one")
        self.status.setText(f"Searching a small change that makes the network say {self._name(target)}…")
        self.job.submit(lambda _report, _cancelled: compute_fool(network, image, normalisation, target, norm))
        self._update_buttons()

    # ----- display -----------------------------------------------------------------------------
    def _name(self, index):
        names = [str(n) for n in (self.metadata or {}).get("class_names", range(10))]
        return names[index] if index < len(names) else str(index)

    def _failed(self, error, _tag):
        self.status.setText(f"Could not search a change: {describe_error(error)}")
        self._update_buttons()

    def _show(self, outcome, _tag):
        if getattr(self, "_searched_network", None) is not self.network:
            self._update_buttons()   # searched on a model that has been replaced meanwhile
            return
        self.outcome = outcome
        self._show_result(outcome)
        self._update_buttons()
        self.fooled.emit(outcome)

    def _show_result(self, outcome):
        if outcome is None:
            for view in (self.original_view, self.changed_view, self.change_view):
                view.blank()
            self.answer_label.setText("")
            self.size_label.setText("")
            self.status.setText("Pick a digit, then press Fool it.")
            return
        r = outcome.result
        self.original_view.set_image(outcome.original)
        self.changed_view.set_image(r.image)
        self.change_view.set_map(r.change)
        before, after = self._name(r.answer_before), self._name(r.answer_after)
        p_before, p_after = r.probabilities_before, r.probabilities_after
        if r.success:
            self.answer_label.setText(f"The network now says <b>{after}</b> ({p_after[r.answer_after]:.0%}); "
                                      f"before it said {before} ({p_before[r.answer_before]:.0%}).")
            self.status.setText(f"Fooled in {r.steps} gradient steps.")
        else:
            self.answer_label.setText(f"Not fooled: within the bound the network still says <b>{after}</b> "
                                      f"({p_after[r.answer_after]:.0%}); {self._name(r.target)} reached "
                                      f"{p_after[r.target]:.0%}. Try the other bound or another digit.")
            self.status.setText(f"Gave up after {r.steps} gradient steps.")
        n = r.change.size
        self.size_label.setText(f"Size of the change: <b>L2 {r.l2:.2f}</b>, <b>L∞ {r.linf:.2f}</b> "
                                f"(largest change of one pixel; 1 = full ink), "
                                f"<b>{r.pixels_changed}</b> of {n} pixels changed.")
        k = len(p_after)
        self.before_bars.setOpts(x=np.arange(k) - 0.18, height=p_before)
        self.after_bars.setOpts(x=np.arange(k) + 0.18, height=p_after)
        self.plot.getPlotItem().getAxis("bottom").setTicks([[(d, self._name(d)) for d in range(k)]])
        self.plot.getPlotItem().setXRange(-0.6, k - 0.4, padding=0)
        self._update_stale_note()

    def _update_stale_note(self):
        if self.outcome is None or self.job.busy:
            return
        def showing(image):
            return self.image is not None and self.image.shape == image.shape and np.array_equal(self.image, image)

        r = self.outcome.result
        done = f"{'Fooled' if r.success else 'Gave up'} after {r.steps} gradient steps"
        if showing(self.outcome.original):
            self.status.setText(f"{done}.")
        elif showing(np.asarray(r.image, np.float32)):
            self.status.setText(f"{done}. Your drawing is now the changed image: draw on top of it to see how "
                                f"much ink wins the network back.")
        else:
            self.status.setText(f"{done}, for an earlier drawing (press Fool it again).")

    def _draw_on_top(self):
        if self.outcome is not None:
            self.draw_on_top.emit(np.asarray(self.outcome.result.image, np.float32))

    def wait(self, milliseconds=2000):
        return self.job.wait(milliseconds)
