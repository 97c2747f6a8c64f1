"""Help menu boxes: the user guide (the README's part about the app, read from the file that
ships with DigitLab: no network), About (what DigitLab is, where its log is) and the list of every
action with its keyboard shortcut."""
import re

from PyQt5.QtCore import Qt
from PyQt5.QtWidgets import (QDialog, QHeaderView, QMessageBox, QTableWidget, QTableWidgetItem, QTextBrowser,
                             QVBoxLayout)

from core.storage.resources import README_PATH
from gui.ground.crash_log import log_path

GUIDE_SECTIONS = ("The app", "Tutorial presets", "Troubleshooting")   # the README's parts for app users


def user_guide_markdown(readme_path=README_PATH):
    """The README's sections about using the app, as Markdown, without its pictures (screenshots
    wider than the dialog; the window itself is beside it). A missing README says so."""
    try:
        text = readme_path.read_text(encoding="utf-8")
    except OSError as error:
        return f"# User guide\n\nThe user guide could not be read from {readme_path}: {error.strerror or error}."
    parts = re.split(r"(?m)^## ", text)
    kept = [f"## {part.strip()}" for part in parts[1:] if part.split("\n", 1)[0].strip() in GUIDE_SECTIONS]
    guide = "\n\n".join(kept) or text
    guide = re.sub(r"(?m)^!\[[^\]]*\]\([^)]*\)\s*$\n?", "", guide)   # picture lines
    # the README also speaks to programmers: its command lines and file names are not the window's
    guide = guide.replace("`python main.py` opens the window. ", "")
    guide = re.sub(r",? ?`[^`]*\.py`", "", guide)
    guide = re.sub(r"\s*\(layers numbered as `main.py neuron --layer` numbers them; ", " (", guide)
    guide = re.sub(r",? and `python main\.py[^`]*`[^|]*?(?=\s*\|)", "", guide)   # a CLI command in a table cell
    return "# DigitLab user guide\n\n" + guide


def show_user_guide(window):
    """Help > User guide (Shift+F1): the README's app part, rendered (non-blocking; returns the dialog)."""
    dialog = QDialog(window)
    dialog.setObjectName("userGuideDialog")
    dialog.setWindowTitle("DigitLab user guide")
    browser = dialog.browser = QTextBrowser(dialog)
    browser.setOpenLinks(False)   # relative links point into the repository, not to pages
    browser.setMarkdown(user_guide_markdown())
    layout = QVBoxLayout(dialog)
    layout.addWidget(browser)
    _fit(dialog, window, 860, 640)
    dialog.open()
    return dialog


def _fit(dialog, window, width, height):
    """Resize ``dialog`` to width x height, never larger than the screen (laptops)."""
    available = window.screen().availableGeometry() if window.screen() is not None else None
    if available is not None:
        width, height = min(width, available.width() - 40), min(height, available.height() - 80)
    dialog.resize(width, height)
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
    """Help > Keyboard shortcuts and actions: rows of (name, where, shortcut, description) in a table the
    user can read (non-blocking; returns the dialog)."""
    dialog = QDialog(window)
    dialog.setObjectName("actionsDialog")
    dialog.setWindowTitle("Keyboard shortcuts and actions")
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
