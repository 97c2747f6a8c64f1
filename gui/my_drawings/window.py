"""File > My drawings…: the user's own classes (letters, +, -, x, shapes, anything), drawn and kept.

A project (core.data.my_drawings) has class names the user chooses. Draw on the canvas, then press
a class's key (1-9, 0 for the tenth) or click its button: the drawing is kept as an example of
that class (prepared 28x28 like MNIST, its strokes, a picture for the gallery) and the canvas
clears. Below each class, its gallery (right-click: relabel, delete); each class can be renamed,
or removed when it has no drawings. Export / Import move a whole project as one zip (the kind of
file My digits uses). "Train on these drawings" and the transfer race only emit signals: the
window's MyDrawingsController (gui/my_drawings/controller.py) answers them.

Every refusal (a bad class name, an empty class, one class) is one sentence in the window's
notice line and a dialog; nothing kept is changed by a refused action.

On a laptop screen the window stands at the right edge, the main window's left panel (data,
settings, the run's progress) in view beside it (screen_fit.fit_at_right_edge); the training
controls sit under the galleries, so the "Start from" list opens above the screen's bottom edge.
"""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import (QComboBox, QFrame, QGridLayout, QHBoxLayout, QLabel, QPushButton, QScrollArea,
                             QVBoxLayout, QWidget)

from core.data.my_drawings.archive import export_image_folder, export_project, import_project
from core.data.my_drawings.classes import parse_class_list
from core.data.my_drawings.project import create_project, list_projects, open_project
from core.drawing.geometry import EmptyDrawing
from core.drawing.strokes import prepare_strokes, render_drawing
from core.errors import DigitLabError
from gui.ground.errors import show_error
from gui.ground.screen_fit import fit_at_right_edge
from gui.my_drawings import asks
from gui.my_drawings.class_gallery import ClassGalleries
from gui.my_drawings.parts import BUTTONS_PER_ROW, RACE_TIP, TRAIN_TIP, TRANSFER_CHOICES, ClassKeys

NO_PROJECT = "Make a project first (New project…): its name and its classes."


class MyDrawingsWindow(QWidget):
    changed = pyqtSignal()                  # the project or its drawings changed
    train_requested = pyqtSignal(str)       # transfer choice: 'scratch', 'frozen' or 'fine-tuned'
    race_requested = pyqtSignal(str)        # the transfer choice to race against the others

    def __init__(self, parts, parent=None, root=None):
        """parts: Parts (the canvas and gallery widgets); root: the folder of projects (default:
        the user's My drawings folder)."""
        super().__init__(parent, Qt.Window)
        self.setWindowTitle("My drawings — your own classes")
        self.parts, self.root, self.project, self.last_report, self.last_error = parts, root, None, None, ""
        self.keep_buttons = []
        self._build()
        fit_at_right_edge(self, 1100, 760)   # beside the main window's left panel on a laptop screen
        self._keys = ClassKeys(self.keep)
        self.canvas.installEventFilter(self._keys)
        self.canvas.setFocusPolicy(Qt.StrongFocus)
        self.refresh_projects()

    # ----- layout ------------------------------------------------------------------------------
    def _build(self):
        self.project_combo = QComboBox()
        self.project_combo.setMinimumContentsLength(14)
        self.project_combo.currentIndexChanged.connect(self._on_project_chosen)
        self.new_button = QPushButton("New project…")
        self.new_button.setToolTip("A new project: its name and its classes (e.g. circle, square, triangle)")
        self.add_class_button = QPushButton("Add class…")
        self.export_button, self.import_button = QPushButton("Export…"), QPushButton("Import…")
        self.export_button.setToolTip("Save the project in one zip (its classes and drawings), or its drawings as a "
                                      "folder of images with a subfolder per class (what train --images reads)")
        self.import_button.setToolTip("Add the drawings of a zip (a project's or My digits'); its classes are "
                                      "matched by name, missing ones added; nothing kept is changed")
        top = QHBoxLayout()   # the project and what is done to it as a whole
        for widget in (QLabel("<b>Project</b>"), self.project_combo, self.new_button, self.add_class_button, None,
                       self.export_button, self.import_button):
            top.addWidget(widget) if widget is not None else top.addStretch(1)   # None: the gap
        self.canvas = self.parts.canvas()
        self.hint = QLabel("Draw, then press a class's key (1, 2, …) on the canvas or click its button: the drawing "
                           "is kept and the canvas clears for the next one.", objectName="hint", wordWrap=True)
        self.keep_grid = QGridLayout()
        self.clear_button, self.undo_button = QPushButton("Clear"), QPushButton("Undo")
        self.clear_button.clicked.connect(self.canvas.clear)
        self.undo_button.clicked.connect(self.canvas.undo)
        left = QVBoxLayout()
        left.addWidget(self.canvas, 1)
        left.addWidget(self.hint)
        left.addLayout(self.keep_grid)
        edit_row = QHBoxLayout()
        for widget in (self.undo_button, self.clear_button):
            edit_row.addWidget(widget)
        edit_row.addStretch(1)
        left.addLayout(edit_row)
        self.galleries = ClassGalleries(self.parts.gallery)
        self.galleries.relabel_requested.connect(self.relabel)
        self.galleries.delete_requested.connect(self.delete)
        self.galleries.rename_requested.connect(lambda index: asks.ask_rename(self, index))
        self.galleries.remove_requested.connect(self.remove_class)
        scroll = QScrollArea()
        scroll.setWidget(self.galleries)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QFrame.NoFrame)
        self.transfer_combo = QComboBox()   # narrow when closed (a long title elided), whole in its list
        self.transfer_combo.setSizeAdjustPolicy(QComboBox.AdjustToMinimumContentsLengthWithIcon)
        self.transfer_combo.setMinimumContentsLength(16)
        for key, title in TRANSFER_CHOICES:
            self.transfer_combo.addItem(title, key)
        self.transfer_combo.setToolTip("Where the network starts: new random weights, or the convolution layers "
                                       "of DigitLab's digit model (kept as they are, or trained further)")
        self.train_button = QPushButton("Train on these drawings")
        self.train_button.setToolTip(TRAIN_TIP)
        self.race_button = QPushButton("Race: transfer vs scratch…")
        self.race_button.setToolTip(RACE_TIP)
        self.readiness = QLabel(objectName="hint", wordWrap=True)
        start_row, buttons_row = QHBoxLayout(), QHBoxLayout()
        start_row.addWidget(QLabel("Start from:"))
        start_row.addWidget(self.transfer_combo, 1)
        for widget in (self.train_button, self.race_button):
            buttons_row.addWidget(widget)
        buttons_row.addStretch(1)
        right = QVBoxLayout()   # the galleries, and under them training on what they hold
        right.addWidget(scroll, 1)
        right.addWidget(self.readiness)
        right.addLayout(start_row)
        right.addLayout(buttons_row)
        middle = QHBoxLayout()
        middle.addLayout(left, 2)
        middle.addLayout(right, 3)
        self.notice = QLabel(objectName="notice", wordWrap=True, visible=False)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addLayout(middle, 1)
        layout.addWidget(self.notice)
        self.new_button.clicked.connect(lambda: asks.ask_new_project(self))
        self.add_class_button.clicked.connect(lambda: asks.ask_add_class(self))
        self.export_button.setMenu(asks.export_menu(self))   # one zip, or a folder of images
        self.import_button.clicked.connect(lambda: asks.ask_import(self))
        self.train_button.clicked.connect(lambda: self.train_requested.emit(self.transfer_choice))
        self.race_button.clicked.connect(lambda: self.race_requested.emit(self.transfer_choice))

    @property
    def transfer_choice(self):
        return self.transfer_combo.currentData()

    # ----- projects ----------------------------------------------------------------------------
    def refresh_projects(self, select=None):
        names = list_projects(self.root)
        self.project_combo.blockSignals(True)
        self.project_combo.clear()
        self.project_combo.addItems(names)
        self.project_combo.blockSignals(False)
        if names:
            self.project_combo.setCurrentIndex(names.index(select) if select in names else 0)
        self._on_project_chosen()

    def _on_project_chosen(self, *_):
        name = self.project_combo.currentText()
        self.project = None
        if name:
            try:
                self.project = open_project(name, self.root)
            except DigitLabError as error:
                self.say(str(error), error=True)
        self._show_project()

    def new_project(self, name, classes_text):
        """Create and show a project; returns it (None after saying why it cannot be made)."""
        try:
            project = create_project(name, parse_class_list(classes_text), self.root)
        except DigitLabError as error:
            return self.say(str(error), error=True, title="Project not created")
        self.refresh_projects(select=project.name)
        self.say(f"Project '{project.name}' with {len(project.class_names)} classes: draw, then press a class's key.")
        self.changed.emit()
        return self.project

    def add_class(self, name):
        return self._edit(lambda: self.project.add_class(name), f"Class '{str(name).strip()}' added.", rebuild=True)

    def rename_class(self, index, name):
        return self._edit(lambda: self.project.rename_class(index, name), f"Renamed to '{str(name).strip()}'.",
                          rebuild=True)

    def remove_class(self, index):
        return self._edit(lambda: self.project.remove_class(index), "Class removed.", rebuild=True)

    # ----- drawings ----------------------------------------------------------------------------
    def keep(self, label):
        """Keep the canvas drawing as class ``label`` (an index); returns its entry or None."""
        if self.project is None:
            return self.say(NO_PROJECT, error=True)
        if label >= len(self.project.class_names):
            return None   # a key with no class
        strokes = self.canvas.strokes()
        try:
            prepared = prepare_strokes(strokes)   # 28x28, centred like MNIST: the digit model's input too
            entry = self.project.keep(label, strokes, prepared, render_drawing(strokes, self.canvas.brush_width))
        except EmptyDrawing:
            return self.say("Draw something first, then press its class's key.")
        except DigitLabError as error:
            return self.say(str(error), error=True, title="Drawing not kept")
        self.canvas.clear()
        self.canvas.setFocus()   # after a button click the next drawing's key goes to the canvas again
        counts = self.galleries.added(entry)   # one thumbnail more: the project's files are not read again
        self._show_readiness()
        self.say(f"Kept as '{self.project.class_names[label]}' ({counts[label]} of that class).")
        self.changed.emit()
        return entry

    def relabel(self, drawing_id, label):
        return self._edit(lambda: self.project.relabel(drawing_id, label),
                          f"Relabelled as '{self.project.class_names[label]}'.")

    def delete(self, drawing_id):
        return self._edit(lambda: self.project.delete(drawing_id), "Deleted.")

    def _edit(self, action, done, rebuild=False):
        if self.project is None:
            return self.say(NO_PROJECT, error=True)
        try:
            result = action()
        except DigitLabError as error:
            return self.say(str(error), error=True, title="Not changed")
        self._show_project() if rebuild else (self.galleries.reload(), self._show_readiness())
        self.say(done)
        self.changed.emit()
        return True if result is None else result

    # ----- zip ---------------------------------------------------------------------------------
    def export_to(self, path):
        try:
            count = export_project(self.project, path)
        except DigitLabError as error:
            return self.say(str(error), error=True, title="Export failed")
        self.say(f"Exported {count} drawings and the classes to {path}.")
        return count

    def export_images_to(self, folder):
        """Every drawing as folder/<class>/<id>.png: what `train --images` reads."""
        try:
            count = export_image_folder(self.project, folder)
        except DigitLabError as error:
            return self.say(str(error), error=True, title="Export failed")
        self.say(f"Exported {count} drawings as images into {folder}, a subfolder per class.")
        return count

    def import_from(self, path):
        try:
            report = self.last_report = import_project(self.project, path, render=render_drawing)
        except DigitLabError as error:
            return self.say(str(error), error=True, title="Import failed")
        self._show_project()
        self.changed.emit()
        text = f"Imported {len(report.added)} drawings."
        if report.skipped:
            text += f" Skipped {len(report.skipped)} (nothing kept was changed): " + "; ".join(
                f"{name}: {why}" for name, why in report.skipped[:5])
        self.say(text, error=bool(report.skipped), title="Import: some files were skipped")
        return report

    # ----- showing -----------------------------------------------------------------------------
    def _show_project(self):
        project = self.project
        self.galleries.set_project(project)
        while self.keep_grid.count():
            self.keep_grid.takeAt(0).widget().deleteLater()
        self.keep_buttons = []
        for index, name in enumerate(project.class_names if project is not None else []):
            key = f"{(index + 1) % 10} " if index < 10 else ""
            button = QPushButton(f"{key}{name}")
            button.setToolTip(f"Keep this drawing as '{name}'" + (f" (or press {key.strip()} on the canvas)" if key else ""))
            button.clicked.connect(lambda _=False, index=index: self.keep(index))
            self.keep_grid.addWidget(button, index // BUTTONS_PER_ROW, index % BUTTONS_PER_ROW)
            self.keep_buttons.append(button)
        for widget in (self.add_class_button, self.export_button, self.import_button):
            widget.setEnabled(project is not None)
        names = project.class_names if project is not None else []
        shown = ", a ".join(names[:2]) + (", …" if len(names) > 2 else "")   # the canvas's empty hint
        self.canvas.placeholder = f"draw a {shown} here" if names else "draw here"
        self.canvas.setToolTip("Draw one example, then press its class's key or click its button below.")
        self.canvas.update()
        self._show_readiness()

    def _show_readiness(self):
        problem = self.project.readiness(self.galleries.counts) if self.project is not None else NO_PROJECT
        self.readiness.setText(problem or f"Ready to train: {sum(self.galleries.counts)} drawings in "
                               f"{len(self.project.class_names)} classes.")
        for button, tip in ((self.train_button, TRAIN_TIP), (self.race_button, RACE_TIP)):
            button.setEnabled(not problem)
            button.setToolTip(problem or tip)

    def say(self, text, error=False, title="My drawings"):
        """One sentence in the notice line (and a dialog for a refusal); returns None."""
        self.notice.setText(text)
        self.notice.show()
        if error:
            self.last_error = text
            show_error(self, title, text)
        return None
