"""Help menu boxes: About (what DigitLab is, where its log is) and the list of every action."""
from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import QDialog, QHeaderView, QMessageBox, QTableWidget, QTableWidgetItem, QVBoxLayout

from gui.ground.crash_log import log_path
from gui.ground.screen_fit import fit_to_screen


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


def show_actions(window, rows):
    """Help > Actions and shortcuts: rows of (name, where, shortcut, description) in a table the
    user can read (non-blocking; returns the dialog)."""
    dialog = QDialog(window)
    dialog.setObjectName("actionsDialog")
    dialog.setWindowTitle("Actions and shortcuts")
    table = QTableWidget(len(rows), 3, dialog)
    table.setHorizontalHeaderLabels(["Where", "Shortcut", "What it does"])
    for row, (_name, where, shortcut, description) in enumerate(rows):
        for column, text in enumerate((where, shortcut, description)):
            item = QTableWidgetItem(text)
            item.setFlags(Qt.ItemIsEnabled | Qt.ItemIsSelectable)
            table.setItem(row, column, item)
    table.verticalHeader().setVisible(False)
    table.horizontalHeader().setSectionResizeMode(0, QHeaderView.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(1, QHeaderView.ResizeToContents)
    table.horizontalHeader().setSectionResizeMode(2, QHeaderView.Stretch)
    table.setWordWrap(True)
    layout = QVBoxLayout(dialog)
    layout.addWidget(table)
    available = window.screen().availableGeometry() if window.screen() is not None else None
    width, height = 900, 520
    if available is not None:   # never larger than the screen (laptops)
        width, height = min(width, available.width() - 40), min(height, available.height() - 80)
    fit_to_screen(dialog, width, height)
    dialog.open()
    return dialog
