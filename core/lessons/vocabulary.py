"""The words a lesson may use, as data, so `main.py lessons --check` can check a lesson without
opening a window.

- ACTIONS: the app's actions a lesson may do (``do: pick_preset cnn``), by the names of the
  window's actions API (gui/shell/actions.py), with the kind of each argument.
- TABS and TARGETS: the centre tabs' titles and the named parts of the window a lesson may point
  at (gui/shell/targets.py). tests/gui/shell/test_lesson_vocabulary.py holds these equal to the
  window's own tables.
- WAITS: what a step can wait for after its run.
- FACTS: the measured numbers a check or a text may use, each with what it means (the writers'
  guide, docs/LESSONS.md, lists them from here).
"""
from core.training.training_run import HISTORY_KEYS

DATASETS = ("mnist", "digits")

# action name -> the kinds of its arguments (checked by core.lessons.check)
ACTIONS = {
    "load_data": ("dataset",),
    "pick_preset": ("preset",),
    "set_setting": ("setting", "value"),
    "show_tab": ("tab",),
    "start": (),
    "pause": (),
    "stop": (),
    "reset": (),
    "gradient_speed": (),
    "step_through": (),
    "open_neuron_card": ("int", "int"),
    "clear_canvas": (),
    "keep_drawing": ("digit",),
    "explain_view": ("target",),
    "open_shipped_model": (),
}

TABS = ("Training", "Weights", "Evaluation", "Data", "Draw", "Feature maps", "Runs", "Calibration", "Map")

TARGETS = (
    "data_panel", "preset_box", "settings_form", "layers", "loss_choice", "learning_rate", "batch_size", "epochs",
    "l2_strength", "augmentation", "run_panel", "start_button", "progress", "divergence_banner",
    "loss_plot", "accuracy_plot", "smoothing",
    "weight_tiles", "layer_stats", "unit_list",
    "confusion_matrix", "class_report", "misclassified", "invariance_plot",
    "data_overview", "augment_preview",
    "canvas", "probabilities", "network_input", "evidence", "fool_it", "my_digits",
    "feature_maps", "runs", "calibration", "map",
)

WAITS = {
    "loaded": "the data has loaded",
    "finished": "the run has ended (finished, stopped or diverged)",
    "tested": "the run has finished and its test accuracy has been measured",
    "gradient_speed": "the gradient timing (Training > Why backpropagation?) has been measured",
    "drawing": "the learner has drawn something and the network has answered",
    "kept": "the learner has kept a drawing in My digits",
}

_ROW = ", ".join(key for key in HISTORY_KEYS)
# name -> (kind, meaning). kind: "number", "flag", "row" (name.key with the history's keys),
# "function/N" (called with N numbers)
FACTS = {
    "final": ("row", f"the last epoch of the run shown: final.{{{_ROW}}}"),
    "first": ("row", "the first epoch of the run shown (same keys as final)"),
    "best": ("row", "the best value of each key over the run (lowest loss, highest accuracy)"),
    "epochs_run": ("number", "how many epochs the run finished"),
    "diverged": ("flag", "the run's loss exploded (it stopped or paused with the divergence banner)"),
    "suggested_rate": ("number", "the learning rate the divergence banner suggests"),
    "test_accuracy": ("number", "accuracy on the 10,000 test images, measured when the run finished"),
    "majority_share": ("number", "share of the validation images in the most common class "
                                 "(what a network that always gives that answer would score), for the "
                                 "settings the lesson set up (not the last run's, when they differ)"),
    "n_train": ("number", "training images the settings use (the run's, when the lesson ran them)"),
    "n_validation": ("number", "validation images of those settings"),
    "n_parameters": ("number", "weights and biases of the network"),
    "weights_rms": ("number", "root mean square of the first layer's weights"),
    "precision": ("function/1", "precision(c): of the validation images called c, the share that are c"),
    "recall": ("function/1", "recall(c): of the validation images that are c, the share called c"),
    "confusion": ("function/2", "confusion(true, answer): how many validation images of class true got answer"),
    "shifted_accuracy": ("function/1", "shifted_accuracy(p): validation accuracy (1,000 images) with every "
                                       "image moved p pixels right"),
    "rotated_accuracy": ("function/1", "rotated_accuracy(d): the same with every image turned d degrees"),
    "backprop_seconds": ("number", "seconds for one gradient by backpropagation"),
    "numerical_seconds": ("number", "seconds for one gradient by central differences"),
    "gradient_speedup": ("number", "numerical_seconds / backprop_seconds"),
    "drawn_digit": ("number", "the digit the network reads in the drawing on the canvas (the best of the ten)"),
    "drawn_confidence": ("number", "its probability"),
    "drawn_not_a_digit": ("number", "the probability of the model's 'not a digit' class (0 for a model without it)"),
    "kept_digits": ("number", "how many drawings My digits holds"),
    "config": ("row", "the settings of the run shown, by their command-line names: config.learning_rate, ..."),
    "answer": ("number", "the learner's answer (the number given, or the chosen option counted from 1)"),
}

FUNCTION_ARITY = {name: int(kind.split("/")[1]) for name, (kind, _) in FACTS.items() if kind.startswith("function/")}
ROWS = {name for name, (kind, _) in FACTS.items() if kind == "row"}
BEST_IS_LOWEST = ("train_loss", "val_loss", "test_loss")
