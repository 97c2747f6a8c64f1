"""My digits on the Draw tab: keep a drawing as an example of a digit, see and edit the kept set.

After drawing, press a digit key 0-9 while the canvas has focus (or click one of the ten "Keep
as" buttons): the drawing is kept in the store (core.data.my_digits.store.MyDigits: the prepared 28x28
image, the strokes as JSON, a PNG of the drawing), the canvas clears for the next one and a short
confirmation shows. Below, the gallery (gui.my_digits.gallery) with relabel / delete, and export
/ import of the whole set as one zip. The two buttons about networks ("How does this network do
on my handwriting?", "Fine-tune on my digits") only emit signals: the window's
MyDigitsController answers them, since it knows the current network and the data.

    panel = MyDigitsPanel(draw_panel)         # store: the user's My digits folder
"""
from PyQt5.QtCore import QEvent, QObject, Qt, QTimer, pyqtSignal
from PyQt5.QtWidgets import (QFileDialog, QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout,
                             QWidget)

from core.data.my_digits.archive import export_zip, import_zip
from core.data.my_digits.entry import MyDigitsError
from core.data.my_digits.store import MyDigits
from core.drawing.geometry import EmptyDrawing
from core.drawing.strokes import prepare_strokes, render_drawing
from core.errors import DigitLabError
from gui.my_digits.gallery import DigitGallery
from gui.ground.errors import show_error, show_info

CONFIRMATION_MS = 2500
DIGIT_KEYS = {getattr(Qt, f"Key_{d}"): d for d in range(10)}


class _DigitKeys(QObject):
    """Event filter on the canvas: a bare digit key keeps the drawing with that label."""

    def __init__(self, keep):
        super().__init__()
        self._keep = keep

    def eventFilter(self, watched, event):
        if event.type() == QEvent.KeyPress and event.key() in DIGIT_KEYS and not (
                event.modifiers() & (Qt.ControlModifier | Qt.AltModifier | Qt.MetaModifier)):
            self._keep(DIGIT_KEYS[event.key()])
            return True
        return False


class MyDigitsPanel(QWidget):
    changed = pyqtSignal()                 # the kept set changed (kept, relabelled, deleted, imported)
    evaluate_requested = pyqtSignal()      # "How does this network do on my handwriting?"
    fine_tune_requested = pyqtSignal()     # "Fine-tune on my digits"

    def __init__(self, draw_panel, store=None, parent=None):
        super().__init__(parent)
        self.draw_panel = draw_panel
        self.canvas = draw_panel.canvas
        self.store = store if store is not None else MyDigits()
        self.last_report = None
        self.label_buttons = []
        title = QLabel("<b>My digits</b>")
        hint = QLabel("Draw, then press a digit key on the canvas (or click a button) to keep the drawing "
                      "as an example of that digit.")
        hint.setObjectName("hint")
        hint.setWordWrap(True)
        keep_row = QHBoxLayout()
        keep_row.addWidget(title)
        keep_row.addSpacing(8)
        keep_row.addWidget(QLabel("Keep as"))
        for digit in range(10):
            button = QPushButton(str(digit))
            button.setFixedWidth(32)   # ten in a row with Export / Import: the tab fits 1280 px
            button.setStyleSheet("padding: 5px 0px;")   # the theme's 12 px sides would hide the digit
            button.setToolTip(f"Keep this drawing as an example of {digit} (or press {digit} on the canvas)")
            button.clicked.connect(lambda _=False, digit=digit: self.keep(digit))
            keep_row.addWidget(button)
            self.label_buttons.append(button)
        self.confirmation = QLabel()
        self.confirmation.setObjectName("notice")
        keep_row.addSpacing(8)
        keep_row.addWidget(self.confirmation, 1)
        policy = self.confirmation.sizePolicy()   # hidden when empty (an empty notice is a yellow box),
        policy.setRetainSizeWhenHidden(True)      # keeping its room so the buttons do not move
        self.confirmation.setSizePolicy(policy)
        self.confirmation.hide()

        self.gallery = DigitGallery(self.store)
        self.gallery.setMinimumHeight(90)
        self.summary = QLabel()
        self.summary.setObjectName("hint")
        self.export_button = QPushButton("Export…")
        self.export_button.setToolTip("Save every kept digit in one zip (e.g. to collect a class's digits)")
        self.import_button = QPushButton("Import…")
        self.import_button.setToolTip("Add the digits of a zip made by Export; nothing already kept is changed")
        self.evaluate_button = QPushButton("How does this network do on my handwriting?")
        self.evaluate_button.setToolTip("Accuracy per digit and the confusion matrix of the current network on "
                                        "your kept digits")
        self.fine_tune_button = QPushButton("Fine-tune on my digits")
        self.fine_tune_button.setToolTip(
            "A short run that starts from the current network: a few epochs at a tenth of its learning rate "
            "on MNIST with your kept digits mixed in (so it learns your style without forgetting MNIST). "
            "Validation stays MNIST; the My digits curve shows how it does on yours.")
        keep_row.addWidget(self.export_button)   # on the keep row: the tab fits 1280 px without scrolling
        keep_row.addWidget(self.import_button)
        buttons = QHBoxLayout()
        buttons.addWidget(self.summary, 1)
        for button in (self.evaluate_button, self.fine_tune_button):
            buttons.addWidget(button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 4, 8, 4)
        layout.addLayout(keep_row)
        layout.addWidget(hint)
        layout.addWidget(self.gallery, 1)
        layout.addLayout(buttons)
        self.setSizePolicy(QSizePolicy.Preferred, QSizePolicy.Preferred)

        self._confirm_timer = QTimer(self)
        self._confirm_timer.setSingleShot(True)
        self._confirm_timer.setInterval(CONFIRMATION_MS)
        self._confirm_timer.timeout.connect(self.confirmation.clear)
        self._confirm_timer.timeout.connect(self.confirmation.hide)
        self._keys = _DigitKeys(self.keep)
        self.canvas.setFocusPolicy(Qt.StrongFocus)   # a click on the canvas gives it the digit keys
        self.canvas.installEventFilter(self._keys)
        self.gallery.relabel_requested.connect(self.relabel)
        self.gallery.delete_requested.connect(self.delete)
        self.export_button.clicked.connect(self._ask_export)
        self.import_button.clicked.connect(self._ask_import)
        self.evaluate_button.clicked.connect(self.evaluate_requested)
        self.fine_tune_button.clicked.connect(self.fine_tune_requested)
        self.reload()

    # ----- keeping ----------------------------------------------------------------------------
    def keep(self, label):
        """Keep the canvas drawing as ``label``; returns the DigitEntry (None when nothing kept)."""
        strokes = self.canvas.strokes()
        try:
            prepared = prepare_strokes(strokes)    # always 28x28, like MNIST, whatever the model's size
            drawing = render_drawing(strokes, self.canvas.brush_width)   # the gallery's picture
            entry = self.store.keep(label, strokes, prepared, drawing)
        except EmptyDrawing:
            self._confirm("Draw a digit first, then press its key.")
            return None
        except DigitLabError as error:
            show_error(self, "Digit not kept", str(error))
            return None
        self.canvas.clear()
        self.reload()
        self._confirm(f"Kept as {label} ({self.gallery.count()} kept).")
        self.changed.emit()
        return entry

    def _confirm(self, text):
        self.confirmation.setText(text)
        self.confirmation.show()
        self._confirm_timer.start()

    # ----- editing ----------------------------------------------------------------------------
    def relabel(self, digit_id, label):
        self._edit(lambda: self.store.relabel(digit_id, label), f"Relabelled as {label}.")

    def delete(self, digit_id):
        self._edit(lambda: self.store.delete(digit_id), "Deleted.")

    def _edit(self, action, done):
        try:
            action()
        except MyDigitsError as error:
            show_error(self, "My digits", str(error))
            return
        self.reload()
        self._confirm(done)
        self.changed.emit()

    def reload(self):
        entries = self.gallery.reload()
        counts = [sum(1 for e in entries if e.label == d) for d in range(10)]
        text = f"{len(entries)} kept" if entries else "None kept yet."
        if self.gallery.problems:
            text += f", {len(self.gallery.problems)} unreadable"
        self.summary.setText(text)   # one line: a wrapped label would push the buttons out of sight
        self.summary.setToolTip("\n".join([", ".join(f"{d}: {n}" for d, n in enumerate(counts) if n),
                                           f"in {self.store.folder}"]
                                          + [f"{name}: {why}" for name, why in self.gallery.problems[:10]]))
        for button in (self.export_button, self.evaluate_button, self.fine_tune_button):
            button.setEnabled(bool(entries))
        # an empty gallery is a blank box: hidden, so the Draw tab gives its height to the canvas;
        # so is the row under it (its buttons need kept digits): the hint says what to do
        shown = bool(entries) or bool(self.gallery.problems)
        self.gallery.setVisible(shown)
        for widget in (self.summary, self.evaluate_button, self.fine_tune_button):
            widget.setVisible(shown)

    # ----- zip --------------------------------------------------------------------------------
    def export_to(self, path):
        try:
            count = export_zip(self.store, path)
        except MyDigitsError as error:
            show_error(self, "Export failed", str(error))
            return None
        self._confirm(f"Exported {count} digits to {path}.")
        return count

    def import_from(self, path):
        """Add the digits of a zip; problems are shown in a message. Returns the ImportReport."""
        try:
            report = import_zip(self.store, path, render=render_drawing)
        except MyDigitsError as error:
            show_error(self, "Import failed", str(error))
            return None
        self.last_report = report
        self.reload()
        self.changed.emit()
        if report.skipped:
            show_error(self, "Import: some files were skipped",
                       f"Imported {len(report.added)} digits. Skipped (nothing already kept was changed):\n"
                       + "\n".join(f"{name}: {why}" for name, why in report.skipped))
        else:
            self._confirm(report.summary().capitalize() + ".")
        return report

    def _ask_export(self):
        path, _ = QFileDialog.getSaveFileName(self, "Export My digits", "my_digits.zip", "Zip files (*.zip)")
        if path:
            self.export_to(path)

    def _ask_import(self):
        path, _ = QFileDialog.getOpenFileName(self, "Import My digits", "", "Zip files (*.zip);;All files (*)")
        if path:
            self.import_from(path)

    def info(self, title, text):
        show_info(self, title, text)
