"""The window's My digits controller (issue 11): everything the app does with the kept digits and
the augmentation strengths, wired with one line in the main window.

  - the Data tab's augmentation preview follows the form's Augmentation fields;
  - every epoch end, the network copy of the EpochSnapshot is evaluated on the kept digits and
    the result is a live curve "My digits (end of epoch)" on the Training tab's accuracy plot;
  - "How does this network do on my handwriting?" shows the confusion matrix of the network the
    Draw tab uses (default, training or loaded model);
  - a run mixes the kept digits into training when the form's "My digits weight" is above 0
    (``trainer_extras``, passed to make_trainer by the window);
  - "Fine-tune on my digits" starts a short run from the Draw tab's network (FINE_TUNE_EPOCHS
    epochs at FINE_TUNE_RATE times its learning rate, the kept digits mixed into the loaded data).

The kept digits are evaluated on the GUI thread: a few hundred 28x28 images through the network
take a few milliseconds (bench figure in the report of issue 11), below the ~20 ms that would
call for a worker.
"""
import dataclasses

import numpy as np
from PyQt5.QtCore import QObject

from core.data.transforms import resize_to
from core.errors import ConfigError
from core.settings.config import FULL_BATCH_OPTIMIZERS, TrainConfig
from core.evaluation.evaluate import evaluate_network
from gui.my_digits.accuracy_dialog import HandwritingDialog
from gui.ground import theme
from gui.ground.errors import show_error, show_info

FINE_TUNE_EPOCHS = 3
FINE_TUNE_RATE = 0.1           # times the model's own learning rate
FINE_TUNE_WEIGHT = 0.1         # fraction of the training set made of kept digits when the form says 0
CURVE_NAME = "My digits (end of epoch)"
MY_DIGITS_COLOR = (214, 39, 40)   # red: apart from the train / validation / test hues


def evaluate_kept(network, images, labels, image_shape, class_names, normalisation, positive_class=-1):
    """evaluate_network on the kept digits (n, 28, 28) uint8, resized like the training data."""
    return evaluate_network(network, resize_to(images, tuple(image_shape)), labels, class_names,
                            normalisation, positive_class)


class MyDigitsController(QObject):
    """Given the window's services (gui.ground.window_services) and the widgets it works on: the
    My digits panel, the augmentation preview and settings, the accuracy plot its curve joins,
    the draw panel (whose model it evaluates and fine-tunes), and the snapshot and reset signals."""

    def __init__(self, services, panel, preview, augmentation, accuracy_plot, draw_panel, snapshots, reset):
        super().__init__(services.parent)
        self.services, self.panel, self.preview = services, panel, preview
        self.augmentation, self.accuracy_plot, self.draw_panel = augmentation, accuracy_plot, draw_panel
        self.store = self.panel.store
        self.dialog = None
        self._kept = None            # cached (images, labels); None: read the store again
        self._info = None            # the StartSnapshot of the run whose epochs are evaluated
        self.steps, self.values = [], []   # the curve: step of each epoch end, accuracy (0-1)
        self.in_legend = False
        self.panel.changed.connect(self._forget_kept)
        self.panel.evaluate_requested.connect(self.show_evaluation)
        self.panel.fine_tune_requested.connect(self.fine_tune)
        augmentation.changed.connect(self._strengths_changed)
        self._strengths_changed()
        self.curve = accuracy_plot.add_extra_curve(pen=theme.pen(MY_DIGITS_COLOR, 2), symbol="d", symbolSize=8,
                                                   symbolPen=theme.pen(MY_DIGITS_COLOR, 1),
                                                   symbolBrush=theme.brush(MY_DIGITS_COLOR))
        snapshots.connect(self.on_snapshot)
        reset.connect(self.clear_curve)

    # ----- data ----------------------------------------------------------------------------
    def kept(self):
        if self._kept is None:
            self._kept = self.store.load()
        return self._kept

    def _forget_kept(self):
        self._kept = None

    def _strengths_changed(self):
        self.preview.set_strengths(self.augmentation.strengths())

    def trainer_extras(self, config):
        """make_trainer keyword arguments: the kept digits when config mixes them in."""
        if config.my_digits_weight <= 0:
            return {}
        images, labels = self.kept()
        if not len(labels):
            self.services.show_status("My digits weight is set but no digits are kept: training on the data alone.")
            return {}
        return {"my_digits": (images, labels)}

    # ----- the live curve -------------------------------------------------------------------
    def on_snapshot(self, snapshot):
        if snapshot.kind == "start":
            self._info = snapshot
            self.clear_curve()
        elif snapshot.kind == "epoch" and snapshot.network is not None:
            images, labels = self.kept()
            info = self._info
            if not len(labels) or info is None:
                return
            result = evaluate_kept(snapshot.network, images, labels, info.image_shape, info.class_names,
                                   info.config.normalisation, info.config.positive_class)
            self.steps.append(snapshot.step)
            self.values.append(result["accuracy"])
            self.curve.setData(np.asarray(self.steps, float), 100.0 * np.asarray(self.values))
            if not self.in_legend:
                self.accuracy_plot.legend.addItem(self.curve, CURVE_NAME)
                self.in_legend = True

    def clear_curve(self):
        self.steps, self.values = [], []
        self.curve.setData([], [])
        if self.in_legend:
            self.accuracy_plot.legend.removeItem(self.curve)
            self.in_legend = False

    # ----- on request -----------------------------------------------------------------------
    def show_evaluation(self):
        """The Draw tab's network on the kept digits, in a dialog; returns the result dict."""
        draw = self.draw_panel
        images, labels = self.kept()
        if draw.network is None or not len(labels):
            show_info(self.services.parent, "My digits", "Keep a few digits and have a model (train or open one) first.")
            return None
        metadata = draw.metadata
        result = evaluate_kept(draw.network, images, labels, metadata.get("input_shape", (28, 28)),
                               metadata["class_names"], metadata.get("normalisation", "zero_one"),
                               int(metadata.get("positive_class", -1)))
        if self.dialog is None:
            self.dialog = HandwritingDialog(self.services.parent)
        self.dialog.show_result(result, metadata["class_names"], draw.source)
        return result

    def fine_tune_config(self, metadata):
        """The model's own settings, made into a short gentle run with the kept digits mixed in."""
        base = TrainConfig.from_dict(metadata.get("config", {}))
        changes = {"epochs": FINE_TUNE_EPOCHS, "iterations": 0, "learning_rate": base.learning_rate * FINE_TUNE_RATE,
                   "my_digits_weight": self.services.form_config().my_digits_weight or FINE_TUNE_WEIGHT}
        if base.optimizer in FULL_BATCH_OPTIMIZERS:   # no learning rate there: a gentle mini-batch run
            changes.update(optimizer="momentum", learning_rate=0.01)
        return dataclasses.replace(base, **changes).validate()

    def fine_tune(self):
        """Start the fine-tuning run; returns its config (None when it cannot start, with a message)."""
        services, draw, dataset = self.services, self.draw_panel, self.services.dataset()
        if services.is_training():
            show_info(services.parent, "Fine-tune on my digits", "Stop the current run first.")
            return None
        if draw.network is None or dataset is None or not len(self.kept()[1]):
            show_info(services.parent, "Fine-tune on my digits", "Load MNIST (left panel), keep some digits and have a "
                      "model on the Draw tab first: fine-tuning mixes your digits into MNIST so the network "
                      "learns your style without forgetting the rest.")
            return None
        try:
            config = self.fine_tune_config(draw.metadata)
            if config.val_split >= len(dataset.train_labels):   # a count meant for full MNIST
                config = dataclasses.replace(config, val_split=0.1)
            wanted = tuple(config.image_size) or tuple(dataset.image_shape)
            if int(np.prod(wanted)) != draw.network.n_inputs:
                raise ConfigError(f"the model takes {draw.network.n_inputs} pixels but the loaded data gives "
                                  f"{wanted[0]}x{wanted[1]}: load the data it was trained on (MNIST)")
        except ConfigError as error:
            show_error(services.parent, "Cannot fine-tune", str(error))
            return None
        services.start_training(config=config, network=draw.network.copy())
        services.show_status(
            f"Fine-tuning {draw.source}: {FINE_TUNE_EPOCHS} epochs at learning rate {config.learning_rate:g}, "
            f"your digits are {config.my_digits_weight:.0%} of the training data.")
        return config
