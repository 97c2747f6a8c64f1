"""DrawPanel: draw a digit, see what the network receives and what it answers, live.

    panel = DrawPanel()                      # starts with resources/default_model.npz
    panel.set_model(network, metadata, "model being trained (epoch 3)")   # RunState.network_label()

set_model may be called several times a second while a model trains: it only stores the
references and schedules a prediction. Predictions are coalesced by a single-shot timer
(PREDICT_DELAY_MS) so that drawing never waits for the network: a burst of mouse moves gives
one prediction per timer period, not one per event.
"""
import sys

import numpy as np
from PyQt5.QtCore import Qt, QTimer, pyqtSignal
from PyQt5.QtGui import QImage, QKeySequence, QPixmap
from PyQt5.QtWidgets import (QApplication, QCheckBox, QFrame, QHBoxLayout, QLabel, QPushButton, QShortcut,
                             QSlider, QSpinBox, QVBoxLayout, QWidget)

from core.storage.resources import DEFAULT_MODEL_PATH
from core.errors import DigitLabError
from core.files.model_io import load_model
from core.evaluation.calibration import apply_temperature, logits_from_probabilities
from core.drawing.geometry import EmptyDrawing, geometry_for
from core.drawing.model_input import predict
from core.drawing.non_digits import is_digit_task
from core.drawing.reading import drawing_too_small, too_small_reading
from core.drawing.strokes import prepare_strokes
from core.drawing.layered import prepare_on_background   # look inside: drawing on a fooled image
from gui.draw.canvas import DrawingCanvas
from gui.ground.screen_fit import fit_to_screen
from gui.ground.widgets.square_box import SquareBox
from gui.draw.probability_view import ProbabilityView
from gui.draw.look_inside import LookInside, under   # look inside: evidence map + fool it

PREDICT_DELAY_MS = 30
INPUT_VIEW_SIZE = 112   # 4 screen pixels per input pixel of a 28x28 model: fits beside the bars


class DrawPanel(QWidget):
    """Canvas + controls + probability bars + the network's input image + which model is used.

    Signal predicted(object): the probabilities after each prediction (None when empty)."""

    predicted = pyqtSignal(object)
    drawing_prepared = pyqtSignal(object)   # the prepared (H, W) [0, 1] image, None when empty

    def __init__(self, parent=None, default_model_path=DEFAULT_MODEL_PATH, threshold=0.6):
        super().__init__(parent)
        self.network = self.metadata = self.geometry = None
        self.source = ""
        self.last_image = None          # (H, W) float32 network input of the last prediction
        self.last_probabilities, self.unread_reason = None, ""   # reason: why a drawing was not read

        self.canvas = DrawingCanvas()
        self.probability_view = ProbabilityView(threshold=threshold)
        self.input_view = QLabel()
        self.input_view.setFixedSize(INPUT_VIEW_SIZE, INPUT_VIEW_SIZE)
        self.input_view.setAlignment(Qt.AlignCenter)
        self.input_view.setFrameShape(QFrame.StyledPanel)
        self.input_view.setToolTip("The exact input the network receives: your drawing cropped, scaled "
                                   "and centred the way MNIST digits were prepared")
        self.input_title = QLabel("<b>What the network sees</b>")
        self.input_caption = QLabel("the network's input")
        self.input_caption.setWordWrap(True)
        self.input_caption.setObjectName("hint")
        self.model_label = QLabel()
        self.model_label.setWordWrap(True)
        self.model_label.setObjectName("hint")
        self.message_label = QLabel()
        self.message_label.setObjectName("notice")
        self.message_label.setWordWrap(True)
        self.message_label.hide()

        self.undo_button, self.clear_button = QPushButton("Undo"), QPushButton("Clear")
        self.brush_spin = QSpinBox()
        self.brush_spin.setRange(2, 60)
        self.brush_spin.setValue(int(self.canvas.brush_width))
        self.brush_spin.setSuffix(" px")
        self.threshold_slider = QSlider(Qt.Horizontal)
        self.threshold_slider.setRange(10, 99)
        self.threshold_slider.setValue(int(round(threshold * 100)))
        self.threshold_value = QLabel(f"{threshold:.0%}")
        # calibrated probabilities (comparegui): softmax(log p / T), T from the Calibration tab
        self.calibrated_check = QCheckBox("Use calibrated probabilities")
        self.clear_temperature()
        self.look_inside = LookInside(self)   # look inside: evidence map + fool it (gui/draw/look_inside.py)
        self._build_layout()

        self._timer = QTimer(self, singleShot=True, interval=PREDICT_DELAY_MS)
        self._timer.timeout.connect(self.predict_now)
        self.canvas.strokesChanged.connect(self.schedule_prediction)
        self.undo_button.clicked.connect(self.canvas.undo)
        self.clear_button.clicked.connect(self.canvas.clear)
        self.brush_spin.valueChanged.connect(self.canvas.set_brush_width)
        self.threshold_slider.valueChanged.connect(self._threshold_changed)
        self.calibrated_check.toggled.connect(lambda _: self.predict_now())
        QShortcut(QKeySequence.Undo, self, activated=self.canvas.undo)
        QShortcut(QKeySequence(Qt.Key_Escape), self, activated=self.canvas.clear)

        self._show_input(None)
        self.load_default_model(default_model_path)

    def _build_layout(self):
        controls = QWidget()
        controls_row = QHBoxLayout(controls)
        controls_row.setContentsMargins(0, 0, 0, 0)
        controls_row.addWidget(QLabel("Brush"))
        controls_row.addWidget(self.brush_spin)
        controls_row.addStretch(1)
        controls_row.addWidget(self.undo_button)
        controls_row.addWidget(self.clear_button)
        # the canvas stays square and centred in whatever area the tab gives it
        self.canvas_box = SquareBox(self.canvas, footer=controls)

        threshold_row = QHBoxLayout()
        threshold_row.addWidget(QLabel("Not sure below"))
        threshold_row.addWidget(self.threshold_slider, 1)
        threshold_row.addWidget(self.threshold_value)
        # the answer in one row: the bars, and beside them the 28x28 input with its words and the
        # model's name, so that on a 720 px screen the Evidence / Fool it pages below still get
        # a usable height
        image_row = QHBoxLayout()
        image_row.addWidget(self.input_view, 0, Qt.AlignTop)
        image_row.addWidget(self.input_caption, 1, Qt.AlignTop)
        sees = QVBoxLayout()
        sees.addWidget(self.input_title)
        sees.addLayout(image_row)
        sees.addWidget(self.calibrated_check)
        sees.addStretch(1)
        bars = QVBoxLayout()
        bars.addWidget(self.probability_view, 1)
        bars.addLayout(threshold_row)
        answer = QHBoxLayout()
        answer.addLayout(bars, 1)
        answer.addSpacing(8)
        answer.addLayout(sees, 1)
        right = QVBoxLayout()
        right.setContentsMargins(0, 0, 0, 0)
        right.addLayout(answer, 1)
        right.addWidget(self.model_label)   # under the whole row: a layer stack is long
        right.addWidget(self.message_label)

        # the canvas takes the whole height on the left; the answer and, under it, the evidence
        # and fool it pages share the right (a vertical stack left the pages ~45 px at 1366x768)
        layout = QHBoxLayout(self)
        layout.addWidget(self.canvas_box, 2)
        layout.addSpacing(8)
        layout.addWidget(under(right, self.look_inside), 3)

    # ----- models ----------------------------------------------------------------------------
    def load_default_model(self, path=DEFAULT_MODEL_PATH):
        """Use the model file at path; on failure the panel says why (no exception)."""
        try:
            network, metadata = load_model(path)
        except DigitLabError as error:
            self.network = self.metadata = None
            self.model_label.setText("Model: none")
            self._show_message(f"The default model could not be loaded: {error}. "
                               f"Train a model or open a model file to test drawings.")
            return False
        self.set_model(network, metadata, f"default model, {network.describe()}")
        return True

    def set_model(self, network, metadata, source):
        """Use this network from now on. Cheap: stores references and schedules a prediction.
        The caller must not mutate the network afterwards (pass a copy taken between batches)."""
        try:
            geometry = geometry_for(metadata.get("input_shape", (28, 28)))
        except DigitLabError as error:
            self._show_message(f"This model cannot be used for drawing: {error}")
            self.network = None
            return
        self.network, self.metadata, self.source, self.geometry = network, metadata, str(source), geometry
        shape = "x".join(str(s) for s in geometry.out_shape)
        # a zero-width space after each comma lets a long layer stack wrap instead of widening the tab
        self.model_label.setText(f"<b>Model:</b> {self.source}".replace(",", ",\u200b"))
        self.input_caption.setText(f"{shape} input: your drawing cropped, scaled and centred like the "
                                   f"training digits")
        self.message_label.hide()
        self.probability_view.set_classes(metadata.get("class_names", range(10)))   # a drawings model's own
        self.canvas.placeholder = f"{self.probability_view.empty_hint()} here"
        self.canvas.update()
        self.schedule_prediction()

    # ----- prediction --------------------------------------------------------------------------
    def schedule_prediction(self):
        if not self._timer.isActive():   # coalesce: the pending prediction will see the latest strokes
            self._timer.start()

    def draw(self, strokes):
        """Replace the drawing with ``strokes`` (lists of (x, y) canvas pixels) and predict at once,
        as if drawn with the mouse; returns the probabilities ((n_classes,), None when empty)."""
        self.canvas.set_strokes(strokes)
        self.predict_now()
        return self.last_probabilities

    def predict_now(self):
        """Prepare the current drawing, run the network, update bars and input image."""
        self._timer.stop()
        strokes = self.canvas.strokes()
        if self.network is None:
            self._show_input(None)
            return
        if self.canvas.background is None and drawing_too_small(strokes, (self.canvas.width(), self.canvas.height())):
            # a dot or a tick: scaled up to the network's 20 pixels it would be a blob read as some digit
            reading = too_small_reading(digits=is_digit_task(self.metadata["class_names"]))
            self._no_prediction(lambda: self.probability_view.show_too_small(reading), reading.reason)
            return
        try:
            image = self._prepare(strokes)
            probabilities, _ = predict(self.network, self.metadata, image)
        except EmptyDrawing:
            self._no_prediction(self.probability_view.show_empty)
            return
        except DigitLabError as error:
            self._show_message(str(error))
            return
        self.last_image, self.last_probabilities, self.unread_reason = image, probabilities, ""
        if self.calibrated_check.isChecked() and self.temperature:
            probabilities = apply_temperature(logits_from_probabilities(probabilities[None]), self.temperature)[0]
        self.probability_view.set_probabilities(probabilities, self.metadata["class_names"])
        self._show_input(image)
        self.predicted.emit(probabilities)
        self.drawing_prepared.emit(image)

    def _no_prediction(self, show, reason=""):
        """Nothing for the network to read (reason: why a drawing was not, '' when none is drawn):
        ``show`` says so in the bars' place; listeners get None."""
        self.last_image = self.last_probabilities = None
        self.unread_reason = reason
        show()
        self._show_input(None)
        self.predicted.emit(None)
        self.drawing_prepared.emit(None)

    def _prepare(self, strokes):
        """look inside: after "Draw on top" the canvas holds a background image in input space,
        and new strokes are added to it (core.drawing.layered) instead of being cropped and centred."""
        background = self.canvas.background
        if background is not None and background.shape == tuple(self.geometry.out_shape):
            return prepare_on_background(background, strokes, self.canvas.stroke_widths(),
                                         (self.canvas.width(), self.canvas.height()))
        return prepare_strokes(strokes, geometry=self.geometry)

    # ----- display -----------------------------------------------------------------------------
    def _show_message(self, message):
        self.message_label.setText(message)
        self.message_label.show()
        self.probability_view.show_message(message)

    def _show_input(self, image):
        if image is None:
            shape = self.geometry.out_shape if self.geometry else (28, 28)
            image = np.zeros(shape, np.float32)
        pixels = np.ascontiguousarray((np.clip(image, 0, 1) * 255).round().astype(np.uint8))
        height, width = pixels.shape
        qimage = QImage(pixels.data, width, height, width, QImage.Format_Grayscale8).copy()
        pixmap = QPixmap.fromImage(qimage).scaled(INPUT_VIEW_SIZE, INPUT_VIEW_SIZE, Qt.KeepAspectRatio,
                                                  Qt.FastTransformation)   # pixelated on purpose
        self.input_view.setPixmap(pixmap)

    def set_temperature(self, temperature, description=""):
        """The temperature "use calibrated probabilities" divides the logits by (Calibration tab)."""
        self.temperature = float(temperature)
        self.calibrated_check.setEnabled(True)
        self.calibrated_check.setToolTip(f"Show softmax(logits / T), {description or f'T = {temperature:.2f}'}")
        if self.calibrated_check.isChecked():
            self.schedule_prediction()

    def clear_temperature(self):
        """No temperature (none fitted yet, or on a model no longer used): plain probabilities."""
        self.temperature = None
        self.calibrated_check.setChecked(False)
        self.calibrated_check.setEnabled(False)
        self.calibrated_check.setToolTip("Measure calibration (Calibration tab) to fit a temperature first")

    def _threshold_changed(self, value):
        self.threshold_value.setText(f"{value}%")
        self.probability_view.set_threshold(value / 100.0)


def main(argv=None):
    """python -m gui.draw.draw_panel [MODEL.npz]: the panel alone in a window."""
    argv = sys.argv[1:] if argv is None else argv
    app = QApplication.instance() or QApplication(sys.argv[:1])
    try:
        from gui.ground.theme import apply_theme
        apply_theme(app)
    except Exception:   # the theme is cosmetic; the panel works without it
        pass
    panel = DrawPanel(default_model_path=argv[0] if argv else DEFAULT_MODEL_PATH)
    panel.setWindowTitle("DigitLab: draw a digit")
    fit_to_screen(panel, 980, 860)
    panel.show()
    return app.exec_()


if __name__ == "__main__":
    sys.exit(main())
