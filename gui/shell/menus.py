"""Menus and keyboard shortcuts (File / Training / Help); the file actions behind the File menu
live in gui.shell.file_actions."""
from PyQt5.QtCore import Qt
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QAction, QMessageBox

from gui.shell.crash_log import log_path
from gui.shell.file_actions import export_csv, export_png, open_model, save_model


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
    add(file_menu, "continue_model", "Continue training a model…", lambda: window.run_records.continue_model())
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
    add(training, "step_through", "One update, step by step…", window.step_through.open)   # step through

    help_menu = bar.addMenu("&Help")
    add(help_menu, "about", "&About DigitLab", lambda: show_about(window))
    return actions


def about_text():
    return ("<p><b>DigitLab</b>: watch a neural network learn to read handwritten digits. The networks "
            "are written from scratch in NumPy; the app trains them on MNIST and lets you draw a digit "
            "to test them.</p>"
            f"<p>Log file (unexpected errors with their details):<br><code>{log_path()}</code></p>")


def show_about(window):
    """Help > About: what DigitLab is and where its log file is (non-blocking; returns the box)."""
    box = QMessageBox(QMessageBox.Information, "About DigitLab", about_text(), QMessageBox.Ok, window)
    box.setObjectName("aboutDialog")
    box.setTextInteractionFlags(Qt.TextSelectableByMouse)   # the path can be copied
    box.open()
    return box
