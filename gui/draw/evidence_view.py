"""EvidenceView: for the current drawing, which pixels push the network's answer towards its top
digit, and "why that digit and not digit K" (core.analysis.evidence).

The map is computed in a worker thread (gui.ground.latest_job: integrated gradients take ~20-40 ms
for the default 784-256-10 model, occlusion on a conv net more), on a private copy of the network
(the probe functions overwrite layer buffers), after each prediction of the Draw tab. While the
tab is hidden nothing is computed; the map catches up when it is shown again.

    view = EvidenceView()
    view.show_drawing(network, metadata, image01)    # image01: (H, W) prepared input in [0, 1]
    view.show_drawing(None, None, None)             # nothing drawn
    view.show_drawing(net, metadata, None, unread="too small to read: a dot or a tick")   # drawn, not read

A drawing the panel did not show to the network (too small: core.drawing.reading) has no map:
the page clears (map, colour bar, sum) and says why there is nothing to explain.
"""
from dataclasses import dataclass

import numpy as np
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QComboBox, QHBoxLayout, QLabel, QVBoxLayout

from core.drawing.non_digits import NOT_A_DIGIT
from core.analysis.evidence import (GRADIENT_X_INPUT, INTEGRATED_GRADIENTS, METHODS, OCCLUSION, black_baseline,
                                    gradient_times_input, integrated_gradients, is_convolutional, occlusion)
from core.drawing.model_input import model_input
from core.training.blas import limited_blas_threads
from gui.draw.digit_picker import DigitPicker
from gui.ground import theme
from gui.ground.errors import describe_error
from gui.ground.latest_job import LatestJob
from gui.draw.map_view import SignedMapView
from gui.ground.widgets.scroll_page import ScrollAreaPage

METHOD_ORDER = (INTEGRATED_GRADIENTS, GRADIENT_X_INPUT, OCCLUSION)
COMPUTE = {INTEGRATED_GRADIENTS.key: integrated_gradients, GRADIENT_X_INPUT.key: gradient_times_input,
           OCCLUSION.key: occlusion}
# at most ~8 maps a second: live while drawing, and while a model trains (a new network at every
# snapshot) the map takes at most a fraction of the core the training thread does not use
MIN_INTERVAL_MS = 120
SCORE_NOTE = ("A digit's score is the network's output for it before the softmax; the difference of two "
              "scores is the log of the ratio of their probabilities.")


@dataclass
class Evidence:
    """A computed map with what it was computed from. image: (H, W) input in [0, 1];
    probabilities: (n_classes,); versus_dropped: the picked digit was the answer itself."""
    map: object                 # core.analysis.evidence.EvidenceMap
    image: np.ndarray
    probabilities: np.ndarray
    versus_dropped: bool = False


def compute_evidence(network, image01, normalisation, method_key, versus=None):
    """The map of ``method_key`` for the network's top class on image01 (H, W), optionally as
    the contrast with class ``versus``. Runs on a copy: safe in a worker thread."""
    net = network.copy()
    x = model_input(image01, normalisation)[0].astype(np.float64)
    with limited_blas_threads():        # 36 ms instead of 250 ms with the other core busy (bench_look_inside)
        probabilities = net.predict_proba(x[None].astype(net.dtype))[0].astype(np.float64)
        top = int(np.argmax(probabilities))
        dropped = versus is not None and int(versus) == top
        versus = None if dropped else versus
        baseline = black_baseline(net, normalisation)
        values = COMPUTE[method_key](net, x, top, versus, baseline)
    return Evidence(values, np.asarray(image01, np.float32), probabilities, dropped)


class EvidenceView(ScrollAreaPage):   # sized by LookInside's scroll area, not by its text
    """Method selector + its one-sentence reading, "why not…" digit picker, the map and its sum.

    Signal shown(object): the Evidence just displayed (tests wait on it)."""

    shown = pyqtSignal(object)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.network = self.metadata = self.image = None
        self.unread = ""                # why the drawing was not read ('' when it was, or nothing is drawn)
        self.evidence = None            # the Evidence shown, or None
        self._dirty = False
        self._request = 0
        self.job = LatestJob(self, min_interval_ms=MIN_INTERVAL_MS)
        self.job.done.connect(self._show)
        self.job.failed.connect(lambda error, _tag: self._set_status(f"No map: {describe_error(error)}"))

        self.title = QLabel()
        self.title.setObjectName("bigValue")
        self.method_combo = QComboBox()
        for method in METHOD_ORDER:
            self.method_combo.addItem(method.name, method.key)
        self.method_text = QLabel()
        self.method_text.setWordWrap(True)
        self.method_text.setObjectName("hint")
        self.versus_picker = DigitPicker(none_text="—")
        self.versus_picker.setToolTip("Pick a digit to see why the network answered its digit and not that one")
        self.map_view = SignedMapView(size=150)   # px, at least: beside the canvas at 1280x720
        self.legend = QLabel()
        self.legend.setWordWrap(True)
        self.sum_label = QLabel()
        self.sum_label.setWordWrap(True)
        self.sum_label.setObjectName("hint")
        self.sum_label.setToolTip(SCORE_NOTE)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("hint")
        self._build_layout()

        self.method_combo.currentIndexChanged.connect(self._method_changed)
        self.versus_picker.picked.connect(lambda _value: self.request())
        self._method_changed()
        self._set_model_kind(False)
        self._show_empty()

    def _build_layout(self):
        """Controls and words on the left, the map on the right. One column of words (the "why
        not" buttons on their own line): the page sits beside the canvas, ~500 px wide at 1280."""
        method_row = QHBoxLayout()
        method_row.addWidget(QLabel("Method"))
        method_row.addWidget(self.method_combo, 1)
        words = QVBoxLayout()
        words.addWidget(self.title)
        words.addLayout(method_row)
        words.addWidget(self.method_text)
        words.addSpacing(4)
        words.addWidget(QLabel("Why not"))
        words.addWidget(self.versus_picker)
        words.addStretch(1)
        reading = QVBoxLayout()               # how to read this map, under it
        reading.addWidget(self.map_view, 1)
        reading.addWidget(self.legend)
        reading.addWidget(self.sum_label)
        reading.addWidget(self.status)
        layout = QHBoxLayout(self)
        layout.addLayout(words, 3)
        layout.addLayout(reading, 2)

    # ----- inputs ------------------------------------------------------------------------------
    @property
    def method_key(self):
        return self.method_combo.currentData()

    @property
    def versus(self):
        return self.versus_picker.value()

    def show_drawing(self, network, metadata, image01, unread=""):
        """The Draw tab's current model and prepared input (None: nothing drawn / no model).
        unread: why a drawing was not shown to the network (image01 None), said in its place."""
        if network is not self.network and network is not None:
            self._set_model_kind(is_convolutional(network))
        self.network, self.metadata = network, metadata
        self.image = None if image01 is None else np.asarray(image01, np.float32)
        self.unread = unread if image01 is None else ""
        if metadata is not None:
            # "why 7 and not 3" compares digits: the not-a-digit class (always last) gets no button,
            # which keeps the row as narrow as the page's map needs it (its indices stay the same)
            names = list(metadata.get("class_names", [str(d) for d in range(10)]))
            self.versus_picker.set_classes(names[:-1] if names and names[-1] == NOT_A_DIGIT else names)
        self.request()

    def request(self):
        """Compute the map for the current inputs (in a worker, newest request wins)."""
        if self.network is None or self.image is None:
            self.job.cancel_pending()
            self._show_empty()
            return
        if not self.isVisible():          # nobody looks: catch up in showEvent
            self._dirty = True
            return
        self._dirty = False
        self._request += 1
        network, image, method, versus = self.network, self.image, self.method_key, self.versus
        normalisation = self.metadata.get("normalisation", "zero_one")
        self.job.submit(lambda _report, _cancelled: compute_evidence(network, image, normalisation, method, versus), self._request)

    def showEvent(self, event):
        super().showEvent(event)
        if self._dirty:
            self.request()

    # ----- display -----------------------------------------------------------------------------
    def _set_model_kind(self, convolutional):
        """Occlusion is offered for conv networks only (for a dense net its patches say little
        that the gradient methods do not, at 100x the cost)."""
        item = self.method_combo.model().item(METHOD_ORDER.index(OCCLUSION))
        flags = item.flags()
        item.setFlags(flags | Qt.ItemIsEnabled if convolutional else flags & ~Qt.ItemIsEnabled)
        item.setToolTip("" if convolutional else "Occlusion is offered for convolutional networks")
        if not convolutional and self.method_key == OCCLUSION.key:
            self.method_combo.setCurrentIndex(0)

    def _method_changed(self):
        method = METHODS[self.method_key]
        self.method_text.setText(f"<b>{method.name}.</b> {method.how_to_read}")
        self.request()

    def _names(self):
        """Class names as the texts use them: the not-a-digit class in quotes, so that 'Why "not a
        digit"?' asks about the class and not whether the drawing is a digit."""
        if self.metadata is not None:
            return [f'"{n}"' if n == NOT_A_DIGIT else str(n) for n in self.metadata.get("class_names", range(10))]
        return [str(d) for d in range(10)]

    def _show_empty(self):
        self.evidence = None
        self.map_view.blank()
        self.legend.setText("")
        self.sum_label.setText("")
        self.versus_picker.disable_class(None)
        if self.unread and self.network is not None:   # something is drawn, but the network never saw it
            self.title.setText("Nothing to explain")
            self._set_status(f"Your drawing is {self.unread}. It was not shown to the network, so there is "
                             f"nothing to explain: draw larger to see a map.")
            return
        self.title.setText("Why this answer?")
        self._set_status("Draw on the canvas: the map shows which pixels pushed the network towards its answer.")

    def _set_status(self, text):
        self.status.setText(text)
        self.status.setVisible(bool(text))

    def _show(self, evidence, tag):
        if self.image is None:        # cleared while it was computed
            return
        names = self._names()
        m = evidence.map
        top = names[m.target]
        self.evidence = evidence
        self.versus_picker.disable_class(m.target, f"{top} is the network's answer")
        self.map_view.set_map(m.values, evidence.image)
        if m.versus is None:
            self.title.setText(f"Why {top}?")
            self.legend.setText(f"{theme.span('<b>red</b>', 'evidence_red')}: pushes towards {top}<br>"
                                f"{theme.span('<b>blue</b>', 'evidence_blue')}: pushes away from {top}")
            what = f"the score of {top}"
        else:
            other = names[m.versus]
            self.title.setText(f"Why {top} and not {other}?")
            self.legend.setText(f"{theme.span('<b>red</b>', 'evidence_red')}: favours {top} over {other}<br>"
                                f"{theme.span('<b>blue</b>', 'evidence_blue')}: favours {other} over {top}")
            what = f"score({top}) − score({other})"
        self.sum_label.setText(self._sum_text(m, what))
        self._set_status(f"The picked digit became the answer, so the map explains {top} alone."
                         if evidence.versus_dropped else "")
        self.shown.emit(evidence)

    @staticmethod
    def _sum_text(m, what):
        """One or two sentences: what the map's values add up to (scores: logits, see SCORE_NOTE)."""
        change = m.score - m.baseline_score
        if m.method.key == INTEGRATED_GRADIENTS.key:   # the sum rule holds only up to the path's steps
            return (f"The map adds up to {m.total:.2f}, about {what} for your drawing ({m.score:.2f}) minus "
                    f"that for a blank image ({m.baseline_score:.2f}), {change:.2f}. "
                    f"{approximation_words(m.gap, change)}")
        if m.method.key == GRADIENT_X_INPUT.key:
            return (f"The map adds up to {m.total:.2f}; {what} is {change:.2f} higher for your drawing than for "
                    f"a blank image (a first-order estimate need not match).")
        return (f"Colours up to ±{np.abs(m.values).max():.2f} per pixel; {what} is {m.score:.2f} for your "
                f"drawing, {m.baseline_score:.2f} for a blank image.")

    def wait(self, milliseconds=2000):
        return self.job.wait(milliseconds)


def approximation_words(gap, change):
    """How far integrated gradients' sum is from the change of score it estimates, in plain words
    (gap: sum minus change; the path is walked in a number of steps, so the two rarely agree)."""
    size = abs(gap)
    if size < 0.005:
        return "It is an estimate, here right to two decimals."
    share = f" ({size / abs(change):.1%})" if abs(change) >= 0.005 else ""
    return f"It is an estimate, {size:.2f} {'over' if gap > 0 else 'short'}{share}."
