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
from PyQt5.QtCore import QEvent, Qt, pyqtSignal
from PyQt5.QtWidgets import QComboBox, QLabel, QPushButton

from core.drawing.test_time import turns_of
from core.analysis.adversarial import DEFAULT_BOUND, fool
from core.drawing.model_input import model_input
from core.training.blas import limited_blas_threads
from gui.draw.digit_picker import DigitPicker
from gui.draw.fool_chart import make_chart, set_bars, set_classes
from gui.draw.fool_layout import IMAGE_MIN, build_layout, reflow
from gui.ground.errors import describe_error
from gui.ground.latest_job import LatestJob
from gui.draw.map_view import InkImageView, SignedMapView
from gui.ground.widgets.scroll_page import ScrollAreaPage

# short: beside the canvas at 1280x720 the column is ~230 x 180 px (the ? explains how it is found)
WHAT_IT_TEACHES = ("An <b>adversarial example</b>: a change too small to fool a person makes the network "
                   "answer the digit you pick. It learned features that work on MNIST, not how people read "
                   "digits.")
# (key, the box's short text, its tooltip): the long sentence did not fit the narrow box
NORMS = (("linf", f"each pixel ±{DEFAULT_BOUND['linf']:g} at most (L∞)",
          f"Each pixel changes by at most {DEFAULT_BOUND['linf']:g} (1 = full ink): the L∞ bound"),
         ("l2", f"change's length ≤ {DEFAULT_BOUND['l2']:g} (L2)",
          f"The change, as one long vector of pixel changes, has length at most {DEFAULT_BOUND['l2']:g}: "
          "the L2 bound"))
SIZE_TIP = ("L2: the length of the change as one vector of pixel changes. L∞: the largest change of one "
            "pixel (1 = from no ink to full ink). Pixels changed: by at least 1/255.")


@dataclass
class FoolOutcome:
    """A FoolResult (core.analysis.adversarial) with the (H, W) input it started from."""
    result: object
    original: np.ndarray


def compute_fool(network, image01, normalisation, target, norm, turns=0.0):
    """fool() on a copy of the network (safe in a worker thread); turns: the model's test-time
    turns, so the answer fooled is the one the Draw tab shows."""
    with limited_blas_threads():        # one BLAS thread: two spin and crawl when the other core is busy
        result = fool(network.copy(), model_input(image01, normalisation)[0], target, normalisation, norm,
                      turns=turns)
    return FoolOutcome(result, np.asarray(image01, np.float32))


class FoolView(ScrollAreaPage):   # sized by LookInside's scroll area, not by its text
    """Signals: fooled(FoolOutcome) once a result is shown; draw_on_top(image (H, W) in [0, 1])."""

    fooled = pyqtSignal(object)
    draw_on_top = pyqtSignal(object)
    FIT_WRAPPED_LABELS = True   # scroll rather than slide the captions over the images

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
        for key, text, tip in NORMS:
            self.norm_combo.addItem(text, key)
            self.norm_combo.setItemData(self.norm_combo.count() - 1, tip, Qt.ToolTipRole)
        # as wide as its longest choice: the texts are short enough for the column beside the canvas
        self.norm_combo.setSizeAdjustPolicy(QComboBox.AdjustToContents)
        self.norm_combo.currentIndexChanged.connect(
            lambda index: self.norm_combo.setToolTip(NORMS[index][2]))
        self.norm_combo.setToolTip(NORMS[0][2])
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
        self.size_label.setToolTip(SIZE_TIP)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("hint")
        self.plot = make_chart()
        self.before_bars, self.after_bars = self.plot.before_bars, self.plot.after_bars
        build_layout(self)

        self.target_picker.picked.connect(self._target_picked)
        self.fool_button.clicked.connect(self.run)
        self.draw_on_top_button.clicked.connect(self._draw_on_top)
        self._update_buttons()
        self._show_result(None)

    def resizeEvent(self, event):
        super().resizeEvent(event)
        reflow(self)

    def showEvent(self, event):
        super().showEvent(event)
        if self.parentWidget() is not None and not getattr(self, "_watching", False):
            self._watching = True
            self.parentWidget().installEventFilter(self)   # the scroll area's viewport
        reflow(self)

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Resize and watched is self.parentWidget():
            reflow(self)
        return False

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
        turns = turns_of(self.metadata)
        self.job.submit(lambda _report, _cancelled: compute_fool(network, image, normalisation, target, norm, turns))
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
        # short, two lines in the narrow column: the tooltip says what L2 and L∞ measure
        self.size_label.setText(f"The change: <b>L2 {r.l2:.2f}</b>, <b>L∞ {r.linf:.2f}</b>; "
                                f"<b>{r.pixels_changed}</b> of {n} pixels.")
        set_bars(self.plot, p_before, p_after)
        set_classes(self.plot, [self._name(d) for d in range(len(p_after))])
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
        elif self.image is not None:
            self.status.setText(f"{done}, for an earlier drawing (press Fool it again).")
        else:   # nothing the network reads (empty, or a dot): the button is off, say what turns it on
            self.status.setText(f"{done}, for an earlier drawing: draw a digit, then press Fool it.")

    def _draw_on_top(self):
        if self.outcome is not None:
            self.draw_on_top.emit(np.asarray(self.outcome.result.image, np.float32))

    def wait(self, milliseconds=2000):
        return self.job.wait(milliseconds)
