"""Every plot and picture view as a picture: File > Export view... (a dialog: which view, PNG at
1x / 2x / 3x or SVG for a plot, save or copy) and a right-click menu on each view with the same
choices. The views are named once here; the drawing is gui/ground/view_export.py.

Right-click: a view whose pyqtgraph plot has its own menu (zoom, axes, pyqtgraph's Export...)
gets the entries added to that menu; every other view gets a small menu of its own.
"""
from dataclasses import dataclass
from typing import Callable, Optional

import pyqtgraph as pg
import sip
from PyQt5.QtCore import QEvent, QObject
from PyQt5.QtWidgets import (QApplication, QComboBox, QDialog, QDialogButtonBox, QFileDialog, QFormLayout, QLabel,
                             QMenu, QPushButton, QVBoxLayout)

from core.errors import DigitLabError
from gui.ground.errors import describe_error, show_error
from gui.ground.view_export import SCALES, copy_view, save_view
from gui.ground.save_paths import suggested_path


@dataclass(frozen=True)
class ExportableView:
    name: str
    title: str
    tab: Optional[str]              # the centre tab it sits on (None: a window of its own)
    plot: bool                      # a plot: SVG too
    find: Callable                  # find(window) -> QWidget or None (a window not opened)


def _last_open(windows):
    alive = [w for w in windows if not sip.isdeleted(w) and w.isVisible()]
    return alive[-1] if alive else None


def _card(window):
    card = getattr(window.inspect, "card", None)
    return card if card is not None and not sip.isdeleted(card) and card.isVisible() else None


VIEWS = (
    ExportableView("loss", "Loss curve", "Training", True, lambda w: w.tabs.training.loss_plot),
    ExportableView("accuracy", "Accuracy curve", "Training", True, lambda w: w.tabs.training.accuracy_plot),
    ExportableView("weights", "Weights and filters", "Weights", False, lambda w: w.tabs.weights_pane),
    ExportableView("weight_histogram", "Weight histogram", "Weights", True, lambda w: w.tabs.layer_stats.histogram),
    ExportableView("confusion", "Confusion matrix", "Evaluation", True, lambda w: w.tabs.confusion),
    ExportableView("invariance_shift", "Accuracy of shifted digits", "Evaluation", True,
                   lambda w: w.tabs.invariance.shift_plot),
    ExportableView("invariance_rotation", "Accuracy of turned digits", "Evaluation", True,
                   lambda w: w.tabs.invariance.rotation_plot),
    ExportableView("data", "Data overview", "Data", False, lambda w: w.tabs.data),
    ExportableView("probabilities", "Probabilities of the drawing", "Draw", True,
                   lambda w: w.tabs.draw_panel.probability_view),
    ExportableView("evidence", "Evidence map", "Draw", False, lambda w: w.tabs.draw_panel.look_inside.evidence),
    ExportableView("feature_maps", "Feature maps", "Feature maps", False, lambda w: w.tabs.feature_maps),
    ExportableView("calibration", "Calibration (reliability diagram)", "Calibration", True,
                   lambda w: w.experiments.calibration.diagram),
    ExportableView("calibration_ece", "Calibration error (ECE) per epoch", "Calibration", True,
                   lambda w: w.experiments.calibration.ece_plot),
    ExportableView("map", "The Map", "Map", True, lambda w: w.inspect.map.plot),
    ExportableView("neuron_card", "Neuron card (the open one)", None, False, _card),
    ExportableView("compare", "Compare runs (the last window opened)", None, False,
                   lambda w: _last_open(w.experiments.compare_windows)),
)
VIEWS_BY_NAME = {view.name: view for view in VIEWS}
FORMATS = ("png1", "png2", "png3", "svg")
FORMAT_TEXTS = {"png1": "PNG, 1x (as on screen)", "png2": "PNG, 2x (slides)", "png3": "PNG, 3x (print)",
                "svg": "SVG (vectors: plots only)"}


def view_widget(window, name):
    """The widget of view ``name``, its tab brought to the front; DigitLabError when it is a
    window not opened."""
    if name not in VIEWS_BY_NAME:
        raise KeyError(f"no view {name!r}; the views are: {', '.join(VIEWS_BY_NAME)}")
    view = VIEWS_BY_NAME[name]
    if view.tab is not None and window.tabs.tabText(window.tabs.currentIndex()) != view.tab:
        window.tabs.show_tab(view.tab)
        QApplication.processEvents()   # the tab's layout, so the view has its size
    widget = view.find(window)
    if widget is None:
        raise DigitLabError(f"“{view.title}” is not open; open it first")
    return widget


def export_view(window, name=None, path=None, scale=1):
    """Save view ``name`` to path (.png at scale 1-3, .svg for a plot). Without a name: the
    dialog (returned). Without a path: a file dialog. Returns the path written or None."""
    if name is None:
        dialog = ExportViewDialog(window)
        dialog.open()
        return dialog
    try:
        widget = view_widget(window, name)
        if path is None:
            kind = "SVG pictures (*.svg)" if VIEWS_BY_NAME[name].plot else ""
            path, _ = QFileDialog.getSaveFileName(window, "Export view", suggested_path(f"{name}.png"),
                                                  ";;".join(filter(None, ["PNG pictures (*.png)", kind])))
            if not path:
                return None
        if str(path).lower().endswith(".svg") and not VIEWS_BY_NAME[name].plot:
            raise DigitLabError(f"“{VIEWS_BY_NAME[name].title}” is a picture, not a plot: save it as PNG")
        save_view(widget, path, scale)
    except DigitLabError as error:   # one sentence
        show_error(window, "Could not export the view", describe_error(error))
        return None
    window.statusBar().showMessage(f"Saved {VIEWS_BY_NAME[name].title.lower()} to {path}")
    return str(path)


def copy_view_picture(window, name, scale=1):
    """Copy view ``name`` to the clipboard at scale; returns the QImage (None if it failed)."""
    try:
        image = copy_view(view_widget(window, name), scale, with_svg=VIEWS_BY_NAME[name].plot)
    except DigitLabError as error:
        show_error(window, "Could not copy the view", describe_error(error))
        return None
    window.statusBar().showMessage(f"Copied {VIEWS_BY_NAME[name].title.lower()} ({image.width()}x{image.height()} "
                                   f"pixels) to the clipboard")
    return image


class ExportViewDialog(QDialog):
    """File > Export view...: which view, which format; Save... or Copy to clipboard."""

    def __init__(self, window):
        super().__init__(window)
        self.window_ = window
        self.setWindowTitle("Export a view")
        self.view_combo = QComboBox()
        for view in VIEWS:
            self.view_combo.addItem(view.title, view.name)
        current = window.tabs.tabText(window.tabs.currentIndex())
        first_here = next((k for k, view in enumerate(VIEWS) if view.tab == current), 0)
        self.view_combo.setCurrentIndex(first_here)
        self.format_combo = QComboBox()
        self.note = QLabel("")
        self.note.setObjectName("hint")
        self.note.setWordWrap(True)
        form = QFormLayout()
        form.addRow("View", self.view_combo)
        form.addRow("Format", self.format_combo)
        buttons = QDialogButtonBox(QDialogButtonBox.Close)
        self.save_button = QPushButton("Save…")
        self.copy_button = QPushButton("Copy to clipboard")
        buttons.addButton(self.save_button, QDialogButtonBox.ActionRole)
        buttons.addButton(self.copy_button, QDialogButtonBox.ActionRole)
        buttons.rejected.connect(self.reject)
        self.save_button.clicked.connect(lambda: self.save())
        self.copy_button.clicked.connect(self.copy)
        layout = QVBoxLayout(self)
        layout.addWidget(QLabel("A view as a picture for slides or a handout: PNG at the size on screen or 2 or 3 "
                                "times it, or SVG (scalable) for a plot. Right-click a view for the same."))
        layout.itemAt(0).widget().setWordWrap(True)
        layout.addLayout(form)
        layout.addWidget(self.note)
        layout.addWidget(buttons)
        self.view_combo.currentIndexChanged.connect(self._update)
        self._update()

    def _update(self):
        view = VIEWS_BY_NAME[self.view_combo.currentData()]
        self.format_combo.clear()
        for key in FORMATS if view.plot else FORMATS[:3]:
            self.format_combo.addItem(FORMAT_TEXTS[key], key)
        widget = None
        try:
            widget = view.find(self.window_)
        except Exception:   # a window's part not built
            pass
        if widget is None:
            self.note.setText(f"The {view.title.lower()} is not open.")
        else:
            self.note.setText(f"On screen it is {widget.width()}x{widget.height()} pixels"
                              + ("" if view.tab is None else f" (on the {view.tab} tab)") + ".")

    def choice(self):
        """(view name, format key)."""
        return self.view_combo.currentData(), self.format_combo.currentData()

    def save(self, path=None):
        name, key = self.choice()
        if path is None:
            suffix = "svg" if key == "svg" else "png"
            path, _ = QFileDialog.getSaveFileName(self, "Export view", suggested_path(f"{name}.{suffix}"), f"*.{suffix}")
            if not path:
                return None
        scale = 1 if key == "svg" else int(key[-1])
        if key == "svg" and not str(path).lower().endswith(".svg"):
            path = f"{path}.svg"
        elif key != "svg" and not str(path).lower().endswith(".png"):
            path = f"{path}.png"
        return export_view(self.window_, name, path, scale)

    def copy(self):
        name, key = self.choice()
        return copy_view_picture(self.window_, name, 1 if key == "svg" else int(key[-1]))


def _menu_entries(menu, window, name):
    view = VIEWS_BY_NAME[name]
    menu.addAction("Copy picture", lambda: copy_view_picture(window, name, 1))
    menu.addAction("Copy picture at 2x", lambda: copy_view_picture(window, name, 2))
    save = menu.addMenu(f"Save {view.title.lower()} as")
    for scale in SCALES:
        save.addAction(f"PNG, {scale}x…", lambda scale=scale: export_view(window, name, _ask(window, name, "png"),
                                                                            scale))
    if view.plot:
        save.addAction("SVG…", lambda: export_view(window, name, _ask(window, name, "svg")))


def _ask(window, name, suffix):
    path, _ = QFileDialog.getSaveFileName(window, "Export view", suggested_path(f"{name}.{suffix}"), f"*.{suffix}")
    return path or None


class ContextMenus(QObject):
    """Right-click on a view: its export entries (see the module doc). ``menu_for(name)`` builds
    the menu a right-click shows (tests look at it without a click). The views on tabs are
    attached at once; a neuron card or compare window when it first takes the focus."""

    def __init__(self, window):
        super().__init__(window)
        self.window = window
        self.attached = {}        # widget -> view name
        self.last_menu = None
        for view in VIEWS:
            if view.tab is not None:
                self.attach(view.name)
        QApplication.instance().focusChanged.connect(self.attach_windows)

    def attach_windows(self, *_):
        """Attach the views that are windows of their own (the card, compare) once they are open."""
        if sip.isdeleted(self.window):
            return
        for view in VIEWS:
            if view.tab is None:
                self.attach(view.name)

    def attach(self, name):
        widget = VIEWS_BY_NAME[name].find(self.window)
        if widget is None or widget in self.attached:
            return
        self.attached[widget] = name
        widget.installEventFilter(self)
        for box in self._menu_boxes(widget):   # pyqtgraph's own menu: the entries go in it
            box.menu.addSeparator()
            _menu_entries(box.menu, self.window, name)

    @staticmethod
    def _menu_boxes(widget):
        views = [widget] if isinstance(widget, pg.GraphicsView) else widget.findChildren(pg.GraphicsView)
        return [item for view in views for item in view.scene().items()
                if isinstance(item, pg.ViewBox) and item.menuEnabled() and getattr(item, "menu", None) is not None]

    def menu_for(self, name):
        menu = QMenu(self.window)
        _menu_entries(menu, self.window, name)
        return menu

    def eventFilter(self, watched, event):
        # a right-click inside a view that nothing inside took reaches the view (Qt passes an
        # unaccepted context-menu event up to the parent widgets)
        if event.type() != QEvent.ContextMenu or watched not in self.attached:
            return False
        name = self.attached[watched]
        if self._menu_boxes(watched):
            return False   # pyqtgraph shows its menu, holding the entries
        self.last_menu = self.menu_for(name)
        self.last_menu.popup(event.globalPos())
        return True
