"""The settings form's collapsible "Advanced" section: the rarer settings the tutorials need.

Iterations-with-replacement sampling (Saito's TwoLayerNet), initialisation and its epsilon
(Ng's ex4), image size (ex4's 20x20, tiny 8x8 for numerical gradients), gradients
(backprop / numerical) and recording test accuracy after every epoch. What lives in
``config.extra`` (image_size, gradients, track_test) is written only when it differs from the
default, so a preset's extra dict comes back unchanged.
"""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QCheckBox, QComboBox, QFormLayout, QHBoxLayout, QLineEdit, QPushButton, QStyle,
                             QStyleOptionComboBox, QStylePainter, QToolButton, QVBoxLayout, QWidget)

from core.training.config import SAMPLING, TrainConfig
from core.errors import ConfigError
from core.nn.network import INIT_SCHEMES
from core.training.trainers import GRADIENT_MODES

# (label, (h, w) or None for the data's own size); other sizes from a config are added on the fly
IMAGE_SIZES = (("native (as loaded)", None), ("20×20 (ex4)", (20, 20)), ("14×14", (14, 14)), ("8×8", (8, 8)))
DEFAULTS = TrainConfig()


def parse_float(text, what):
    try:
        return float(str(text).strip())
    except ValueError:
        raise ConfigError(f"{what} must be a number (got {text!r})") from None


class ElidingComboBox(QComboBox):
    """A combo box whose closed text ends in '…' when it does not fit (the style would cut it)."""

    def paintEvent(self, event):
        painter = QStylePainter(self)
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        painter.drawComplexControl(QStyle.CC_ComboBox, option)
        field = self.style().subControlRect(QStyle.CC_ComboBox, option, QStyle.SC_ComboBoxEditField, self)
        option.currentText = self.fontMetrics().elidedText(option.currentText, Qt.ElideRight, field.width())
        painter.drawControl(QStyle.CE_ComboBoxLabel, option)

    def displayed_text(self):
        """The closed combo's text as painted (tests, tooltips)."""
        option = QStyleOptionComboBox()
        self.initStyleOption(option)
        field = self.style().subControlRect(QStyle.CC_ComboBox, option, QStyle.SC_ComboBoxEditField, self)
        return self.fontMetrics().elidedText(self.currentText(), Qt.ElideRight, field.width())


def combo(items=()):
    box = ElidingComboBox()
    box.addItems(list(items))
    # long entries (preset titles) must not widen the whole left panel
    box.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
    box.setMinimumContentsLength(12)
    return box


class AdvancedSettings(QWidget):
    changed = pyqtSignal()
    gradient_speed_requested = pyqtSignal()   # the "Why?" button next to the gradients field

    def __init__(self, parent=None):
        super().__init__(parent)
        self.toggle = QToolButton()
        self.toggle.setText("Advanced settings")
        self.toggle.setToolTip("Sampling, momentum, initialisation, image size, gradients, test tracking")
        self.toggle.setCheckable(True)
        self.toggle.setToolButtonStyle(Qt.ToolButtonTextBesideIcon)
        self.toggle.setAutoRaise(True)
        self.toggle.setArrowType(Qt.RightArrow)
        self.body = QWidget()
        self.sampling_combo = combo(SAMPLING)
        self.sampling_combo.setToolTip("shuffle: every epoch visits each example once. replacement: every batch "
                                       "is drawn at random (use with Iterations).")
        self.momentum_edit = QLineEdit()
        self.momentum_edit.setToolTip("Momentum coefficient (optimiser 'momentum' only)")
        self.init_combo = combo(INIT_SCHEMES)
        self.init_combo.setToolTip("auto: He for ReLU, Xavier otherwise; small: 0.01 N(0, 1); "
                                   "uniform: U(-ε, ε) as in Andrew Ng's ex4")
        self.epsilon_edit = QLineEdit()
        self.epsilon_edit.setToolTip("ε of the uniform initialisation U(-ε, ε)")
        self.image_combo = combo()
        for label, size in IMAGE_SIZES:
            self.image_combo.addItem(label, size)
        self.image_combo.setToolTip("Images are area-downscaled to this size before training "
                                    "(the Draw tab then prepares drawings the same way)")
        self.gradients_combo = combo(GRADIENT_MODES)
        self.gradients_combo.setToolTip("numerical: central differences, two forward passes per parameter "
                                        "(tiny networks only; a lesson in why backprop matters)")
        self.why_button = QPushButton("Why?")
        self.why_button.setToolTip("Measure backprop against numerical gradients for these settings")
        self.track_test_box = QCheckBox("Record test accuracy each epoch")
        self.track_test_box.setToolTip("Evaluate the test set after every epoch: a 'test (epoch)' curve in the "
                                       "accuracy plot (costs one pass over the test set per epoch)")
        gradients_row = QHBoxLayout()
        gradients_row.setContentsMargins(0, 0, 0, 0)
        gradients_row.addWidget(self.gradients_combo, 1)
        gradients_row.addWidget(self.why_button)
        form = QFormLayout(self.body)
        form.setContentsMargins(12, 0, 0, 0)
        form.setVerticalSpacing(6)
        for label, widget in (("Sampling", self.sampling_combo), ("Momentum", self.momentum_edit),
                              ("Initialisation", self.init_combo), ("Init ε", self.epsilon_edit),
                              ("Image size", self.image_combo), ("Gradients", gradients_row)):
            form.addRow(label, widget)
        form.addRow(self.track_test_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(self.toggle)
        layout.addWidget(self.body)
        self.set_expanded(False)
        self.toggle.toggled.connect(self.set_expanded)
        self.why_button.clicked.connect(self.gradient_speed_requested)
        for edit in (self.momentum_edit, self.epsilon_edit):
            edit.textChanged.connect(self.changed)
        for box in (self.sampling_combo, self.init_combo, self.image_combo, self.gradients_combo):
            box.currentIndexChanged.connect(self.changed)
        self.track_test_box.toggled.connect(self.changed)

    # ----- showing ----------------------------------------------------------------------
    @property
    def expanded(self):
        return self.body.isVisibleTo(self)

    def set_expanded(self, expanded):
        self.toggle.blockSignals(True)
        self.toggle.setChecked(expanded)
        self.toggle.blockSignals(False)
        self.toggle.setArrowType(Qt.DownArrow if expanded else Qt.RightArrow)
        self.body.setVisible(expanded)

    @staticmethod
    def uses_advanced(config):
        """True when config sets anything this section shows to a non-default value."""
        extra = config.extra or {}
        return (config.sampling != DEFAULTS.sampling or config.momentum != DEFAULTS.momentum
                or config.init != DEFAULTS.init or config.init_epsilon != DEFAULTS.init_epsilon
                or any(extra.get(key) for key in ("image_size", "track_test"))
                or extra.get("gradients", "backprop") != "backprop")

    # ----- config <-> fields -----------------------------------------------------------------
    def set_config(self, config):
        extra = config.extra or {}
        self.sampling_combo.setCurrentText(config.sampling)
        self.momentum_edit.setText(f"{config.momentum:g}")
        self.init_combo.setCurrentText(config.init)
        self.epsilon_edit.setText(f"{config.init_epsilon:g}")
        self.image_combo.setCurrentIndex(self._image_index(extra.get("image_size")))
        self.gradients_combo.setCurrentText(extra.get("gradients", "backprop"))
        self.track_test_box.setChecked(bool(extra.get("track_test", False)))

    def _image_index(self, size):
        """The combo row for size ([h, w] or None), added when it is not one of the usual sizes."""
        if size is None:
            return 0
        try:
            size = tuple(int(v) for v in size)
        except (TypeError, ValueError):
            return 0
        for index in range(self.image_combo.count()):
            if self.image_combo.itemData(index) == size:
                return index
        self.image_combo.addItem(f"{size[0]}×{size[1]}", size)
        return self.image_combo.count() - 1

    def values(self, base_config):
        """The TrainConfig fields this section sets, as keyword arguments for dataclasses.replace."""
        extra = dict(base_config.extra or {})
        size = self.image_combo.currentData()
        if size is None:
            extra.pop("image_size", None)
        else:
            extra["image_size"] = [int(v) for v in size]
        if self.gradients_combo.currentText() == "backprop":
            extra.pop("gradients", None)
        else:
            extra["gradients"] = self.gradients_combo.currentText()
        if self.track_test_box.isChecked():
            extra["track_test"] = True
        else:
            extra.pop("track_test", None)
        epsilon = parse_float(self.epsilon_edit.text(), "init ε")
        momentum = parse_float(self.momentum_edit.text(), "momentum")
        return {"sampling": self.sampling_combo.currentText(), "momentum": momentum,
                "init": self.init_combo.currentText(), "init_epsilon": epsilon, "extra": extra}

    def update_enabled(self, training, optimizer, full_batch):
        """Called by the form after it enabled every field (or none, while training)."""
        if training:
            return
        uniform = self.init_combo.currentText() == "uniform"
        self.epsilon_edit.setEnabled(uniform)
        self.epsilon_edit.setToolTip("ε of the uniform initialisation U(-ε, ε)" if uniform
                                     else "Only used by the 'uniform' initialisation")
        self.momentum_edit.setEnabled(optimizer == "momentum")
        self.sampling_combo.setEnabled(not full_batch)
