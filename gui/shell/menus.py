"""Menus, keyboard shortcuts and the file actions behind them (save/load model, exports)."""
from pathlib import Path

from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QAction, QFileDialog

from gui.shell import model_files
from gui.shell.errors import describe_error, show_error, show_info


def build_menus(window):
    """Create the File / Training / View menus on window; returns {name: QAction}."""
    actions = {}

    def add(menu, name, text, slot, shortcut=None):
        action = QAction(text, window)
        if shortcut:
            action.setShortcut(QKeySequence(shortcut))
        action.triggered.connect(lambda _checked=False: slot())
        menu.addAction(action)
        window.addAction(action)   # shortcuts work whatever has focus
        actions[name] = action
        return action

    bar = window.menuBar()
    file_menu = bar.addMenu("&File")
    add(file_menu, "open", "&Open model…", lambda: open_model(window), QKeySequence.Open)
    add(file_menu, "save", "&Save model…", lambda: save_model(window), QKeySequence.Save)
    file_menu.addSeparator()
    add(file_menu, "export_csv", "Export metric history (CSV)…", lambda: export_csv(window))
    plots = file_menu.addMenu("Export plot as PNG")
    for name, title in (("loss", "Loss"), ("accuracy", "Accuracy"), ("weights", "Weight tiles"),
                        ("confusion", "Confusion matrix"), ("data", "Data overview")):
        add(plots, f"png_{name}", title, lambda name=name: export_png(window, name))
    file_menu.addSeparator()
    add(file_menu, "quit", "&Quit", window.close, QKeySequence.Quit)

    training = bar.addMenu("&Training")
    add(training, "start", "Start", window.start_training, "Ctrl+Return")
    add(training, "pause", "Pause / resume", window.toggle_pause, "Space")
    add(training, "stop", "Stop", window.stop_training, "Esc")
    add(training, "reset", "Reset", window.reset, "Ctrl+R")
    training.addSeparator()
    add(training, "gradient_speed", "Why backpropagation? (measure numerical gradients)", window.show_gradient_speed)
    return actions


def plot_widget(window, name):
    tabs = window.tabs
    return {"loss": tabs.training.loss_plot, "accuracy": tabs.training.accuracy_plot,
            "weights": tabs.weights.graphics, "confusion": tabs.confusion.plot, "data": tabs.data}[name]


def export_png(window, name, path=None):
    """Save the named plot as it looks on screen (widget.grab); returns the path or None."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, "Export plot", f"{name}.png", "PNG images (*.png)")
    if not path:
        return None
    if not plot_widget(window, name).grab().save(str(path), "PNG"):
        show_error(window, "Export failed", f"Could not write {path}.")
        return None
    window.statusBar().showMessage(f"Saved {path}")
    return path


def export_csv(window, path=None):
    history = window.state.history
    if not history.get("epoch"):
        show_info(window, "Nothing to export", "The metric history fills in as epochs finish.")
        return None
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, "Export metric history", "history.csv", "CSV files (*.csv)")
    if not path:
        return None
    try:
        rows = model_files.export_history_csv(path, history, getattr(window, "run_config", None))
    except OSError as error:
        show_error(window, "Export failed", describe_error(error))
        return None
    window.statusBar().showMessage(f"Wrote {rows} epochs to {path}")
    return path


def save_model(window, path=None):
    network = window.state.network
    if network is None or window.trainer is None:
        show_info(window, "No model yet", "Train a model first: there is nothing to save yet.")
        return None
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, "Save model", "digitlab-model.npz", "DigitLab models (*.npz)")
    if not path:
        return None
    try:
        model_files.save(path, network, window.current_metadata(network))
    except Exception as error:   # OSError, disk full: the model stays in memory
        show_error(window, "Could not save the model", describe_error(error))
        return None
    window.statusBar().showMessage(f"Saved model (epoch {window.state.network_epoch}) to {path}")
    return path


def open_model(window, path=None):
    """Load a model file; show its weights and its validation results on the current data."""
    if window.is_training:
        show_info(window, "Training in progress", "Stop the current run before loading a model.")
        return None
    if path is None:
        path, _ = QFileDialog.getOpenFileName(window, "Open model", "", "DigitLab models (*.npz);;All files (*)")
    if not path:
        return None
    try:
        network, metadata = model_files.load_for_dataset(path, window.dataset)
        label = f"loaded from file {Path(path).name}"
        result = model_files.evaluate_loaded(network, metadata, window.dataset) if window.dataset else None
    except Exception as error:   # ModelFileError above all; the app keeps its current state
        return show_error(window, "Could not open the model", describe_error(error))
    window.model_source = (network, metadata, label)
    image_shape = tuple(metadata["input_shape"])
    window.show_network(network, image_shape)
    if result is not None:
        trainer, loss, accuracy, confusion, predictions = result
        window.trainer = trainer
        window.state.network = network
        window.show_evaluation(confusion, predictions, trainer)
        window.progress.state_label.setText(f"Loaded {network.describe()}: validation accuracy {100 * accuracy:.2f}%")
    if window.tabs.has_draw_panel:
        window.tabs.draw_panel.set_model(network, metadata, label)
    window.statusBar().showMessage(f"Model {label}")
    return network
