"""File actions of the window: save and open a model, export the metric history and plots.

Each takes the window and an optional path (None asks with a file dialog; tests pass a path),
returns what it wrote or loaded (None if nothing), and tells the user in a dialog or the status
bar. Nothing here trains or draws on its own: a loaded model is shown through the window's
redraw scheduler.
"""
from pathlib import Path

from PyQt5.QtWidgets import QFileDialog

from gui.ground import model_files
from gui.ground.errors import describe_error, show_error, show_info
from gui.ground.save_paths import suggested_path


def plot_widget(window, name):
    tabs = window.tabs
    return {"loss": tabs.training.loss_plot, "accuracy": tabs.training.accuracy_plot,
            "weights": tabs.weights_pane.shown_graphics(), "confusion": tabs.confusion.plot, "data": tabs.data}[name]


def export_png(window, name, path=None):
    """Save the named plot as it looks on screen (widget.grab); returns the path or None."""
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, "Export plot", suggested_path(f"{name}.png"), "PNG images (*.png)")
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
        path, _ = QFileDialog.getSaveFileName(window, "Export metric history", suggested_path("history.csv"), "CSV files (*.csv)")
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
    if network is None or window.model_info is None:
        show_info(window, "No model yet", "Train a model first: there is nothing to save yet.")
        return None
    if path is None:
        path, _ = QFileDialog.getSaveFileName(window, "Save model", suggested_path("digitlab-model.npz"), "DigitLab models (*.npz)")
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
    window.redraw.show_network(network, tuple(metadata["input_shape"]))
    window.tabs.layer_stats.show_weights_only(network)   # what the table can know without training
    if result is not None:
        info, loss, accuracy, confusion, predictions = result
        window.show_loaded_model(network, info, name=Path(path).name)
        window.redraw.show_evaluation(confusion, predictions, info)
        window.progress.state_label.setText(f"Loaded {network.describe()}: validation accuracy {100 * accuracy:.2f}%")
    window.tabs.draw_panel.set_model(network, metadata, label)
    window.statusBar().showMessage(f"Model {label}")
    return network
