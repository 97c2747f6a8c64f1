"""The parts of the window, named once: what lessons highlight and what "What am I looking at?"
explains.

Each target has a name (a lesson writes ``look: loss_plot``), the centre tab it sits on (None for
the left panel and the banner: always visible), one plain sentence saying what it is, and how to
find its widget in the window. core/lessons/vocabulary.py holds the same names for
`main.py lessons --check`, which cannot open a window; tests/gui/shell/test_targets.py holds the
two equal and checks that every name finds a visible widget on its tab.
"""
from dataclasses import dataclass
from typing import Callable, Optional

from PyQt5.QtCore import QTimer
from PyQt5.QtWidgets import QScrollArea, QStackedWidget


@dataclass(frozen=True)
class Target:
    name: str
    tab: Optional[str]            # the centre tab's title, or None (left panel, banner)
    description: str              # one sentence: what the learner sees there
    find: Callable                # find(window) -> QWidget


def _t(name, tab, description, find):
    return Target(name, tab, description, find)


TARGETS = (
    # ----- left panel
    _t("data_panel", None, "Where the data comes from: MNIST from a folder, the built-in 8x8 digits, or your own files.",
       lambda w: w.dataset_panel),
    _t("preset_box", None, "Presets: complete settings that reproduce a classic tutorial's network.",
       lambda w: w.form.preset_combo),
    _t("settings_form", None, "Every training setting; each one has a tooltip saying what it does.",
       lambda w: w.form),
    _t("layers", None, "The network's hidden layers (an MLP's sizes, or a stack of conv/pool/dense layers).",
       lambda w: w.form.hidden_sizes_edit if w.form.hidden_sizes_edit.isVisible() else w.form.layers_editor),
    _t("loss_choice", None, "The loss: how wrong the network's answer is, as one number to make smaller.",
       lambda w: w.form.loss_combo),
    _t("learning_rate", None, "The learning rate: how far each update moves the weights along the gradient.",
       lambda w: w.form.learning_rate_edit),
    _t("batch_size", None, "Batch size: how many images each update looks at.",
       lambda w: w.form.batch_size_spin),
    _t("epochs", None, "Epochs: how many times training goes through the whole training set.",
       lambda w: w.form.epochs_spin),
    _t("l2_strength", None, "L2 strength (lambda): a cost on large weights that keeps them small.",
       lambda w: w.form.l2_edit),
    _t("augmentation", None, "Augmentation: training images shifted, turned and stretched at random, fresh every batch.",
       lambda w: w.form.augmentation),
    _t("run_panel", None, "The run: Start, Pause, Stop, and how far training has got.",
       lambda w: w.run_box),
    _t("start_button", None, "Start trains a network with the settings above.", lambda w: w.start_button),
    _t("progress", None, "Progress: epoch, step, the latest loss and accuracies.", lambda w: w.progress),
    _t("divergence_banner", None, "Shown when the loss explodes: what happened and a smaller rate to try.",
       lambda w: w.banner),
    # ----- Training tab
    _t("loss_plot", "Training", "The loss against training steps: training (every batch) and validation (every epoch).",
       lambda w: w.tabs.training.loss_plot),
    _t("accuracy_plot", "Training", "Accuracy against training steps: the share of images labelled correctly.",
       lambda w: w.tabs.training.accuracy_plot),
    _t("smoothing", "Training", "Loss smoothing: a running average that makes the noisy batch loss readable.",
       lambda w: w.tabs.training.smoothing_slider),
    # ----- Weights tab
    _t("weight_tiles", "Weights", "The first layer's weights: one 28x28 picture per hidden unit.",
       lambda w: w.tabs.weights_pane),
    _t("layer_stats", "Weights", "Per layer: how large the weights are and how much each update changes them.",
       lambda w: w.tabs.layer_stats),
    _t("unit_list", "Weights", "Every hidden unit; a click opens its neuron card.", lambda w: w.tabs.unit_list),
    # ----- Evaluation tab
    _t("confusion_matrix", "Evaluation", "The confusion matrix: rows are the true digit, columns the network's answer.",
       lambda w: w.tabs.confusion),
    _t("class_report", "Evaluation", "Precision, recall and F1 of every class on the validation images.",
       lambda w: w.tabs.report),
    _t("misclassified", "Evaluation", "Validation images the network got wrong.", lambda w: w.tabs.gallery),
    _t("invariance_plot", "Evaluation", "Accuracy on validation digits shifted or turned by growing amounts.",
       lambda w: w.tabs.invariance),
    # ----- Data tab
    _t("data_overview", "Data", "The loaded data: sample images and how many examples each class has.",
       lambda w: w.tabs.data),
    _t("augment_preview", "Data", "One training image as augmentation changes it, batch after batch.",
       lambda w: w.tabs.data.augment_preview),
    # ----- Draw tab
    _t("canvas", "Draw", "Draw a digit here with the mouse; the network reads it as you draw.",
       lambda w: w.tabs.draw_panel.canvas),
    _t("probabilities", "Draw", "The network's answer: a probability for every digit.",
       lambda w: w.tabs.draw_panel.probability_view),
    _t("network_input", "Draw", "What the network sees: your drawing centred and shrunk to 28x28 like MNIST.",
       lambda w: w.tabs.draw_panel.input_view),
    _t("evidence", "Draw", "Evidence: which pixels pushed the answer up (red) or down (blue).",
       lambda w: w.tabs.draw_panel.look_inside.evidence),
    _t("fool_it", "Draw", "Fool it: the smallest change to your drawing that changes the network's answer.",
       lambda w: w.tabs.draw_panel.look_inside.fool),
    _t("my_digits", "Draw", "My digits: drawings you kept with their labels, to test on and to train with.",
       lambda w: w.tabs.my_digits),
    # ----- the other tabs
    _t("feature_maps", "Feature maps", "What each convolution filter finds in one image, layer after layer.",
       lambda w: w.tabs.feature_maps),
    _t("runs", "Runs", "Every recorded run: open, continue, fork or compare them.", lambda w: w.run_records.panel),
    _t("calibration", "Calibration", "Does 90% confidence mean 90% right? Confidence against accuracy.",
       lambda w: w.experiments.calibration),
    _t("map", "Map", "The Map: every validation image placed by what the network thinks of it.",
       lambda w: w.inspect.map),
)

TARGETS_BY_NAME = {target.name: target for target in TARGETS}


def find_target(window, name):
    """The widget called ``name``; KeyError listing the names if there is none."""
    if name not in TARGETS_BY_NAME:
        raise KeyError(f"no part of the window is called {name!r}; the names are: {', '.join(TARGETS_BY_NAME)}")
    return TARGETS_BY_NAME[name].find(window)


def show_target(window, name):
    """Bring ``name``'s tab to the front, and any inner tab page holding it (Fool it under the
    canvas); the left panel comes back if the Draw tab had folded it away. Returns the widget."""
    target = TARGETS_BY_NAME.get(name)
    widget = find_target(window, name)
    if target.tab is not None:
        window.tabs.show_tab(target.tab)
    if target.tab is None and not window.left_panel.isVisible():
        window.left_toggle.set_shown(True)
    child, parent = widget, widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QStackedWidget) and parent.indexOf(child) >= 0:
            parent.setCurrentWidget(child)   # a QTabWidget's pages sit in a QStackedWidget
        child, parent = parent, parent.parentWidget()
    parent = widget.parentWidget()
    while parent is not None and parent is not window:
        if isinstance(parent, QScrollArea):   # a setting below the fold of the settings panel
            parent.ensureWidgetVisible(widget, 20, 20)
            # again once a page just brought to the front has its layout (its sizes are stale now)
            QTimer.singleShot(0, lambda area=parent: area.ensureWidgetVisible(widget, 20, 20))
        parent = parent.parentWidget()
    return widget
