"""The app's actions: everything a user can do, named once, in one table.

Each action has a name, the text of its menu entry (or none: some actions are done with a widget,
like drawing or picking a preset, and are in the table so that tests and lessons can do them the
same way), a shortcut where it has one, and one plain sentence saying what it does. Menus and
shortcuts are built from this table; tests and the lessons (a later issue) script the window with

    window.actions.trigger("pick_preset", "cnn")
    window.actions.trigger("start")

and can watch what the user did through ``AppActions.triggered(name)``. ``describe()`` lists them
all (Help > Keyboard shortcuts and actions shows it). A new action is one row here, calling one method of
the window or of one of its controllers.
"""
from dataclasses import dataclass
from typing import Callable, Optional

from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtGui import QKeySequence
from PyQt5.QtWidgets import QAction

from core.storage.resources import DEFAULT_MODEL_PATH
from gui.shell import file_actions, help_dialogs, theme_choice, view_exports

MENUS = ("File", "Training", "Runs", "View", "Help")   # menu bar order; "File/Export plot as PNG" is a submenu


@dataclass(frozen=True)
class Action:
    name: str
    description: str                  # one sentence: what doing it does
    run: Callable                     # run(window, *args, **kwargs) -> what the action opened or made
    text: str = ""                    # menu entry ("" for actions done with a widget only)
    menu: Optional[str] = None        # "File", "Training", ..., or "File/Export plot as PNG"
    shortcut: object = None           # a QKeySequence.StandardKey or text like "Ctrl+Return"
    separator_before: bool = False
    checked: Optional[Callable] = None   # a checkable entry: checked(window) -> whether it is on now


def _export(view, title):
    return Action(f"export_png_{view}", f"Save the {title.lower()} view as a PNG picture.",
                  lambda w, path=None: file_actions.export_png(w, view, path), title, "File/Export plot as PNG")


ACTIONS = (
    # ----- File
    Action("open_model", "Open a saved model (.npz); every view then shows it.",
           lambda w, path=None: file_actions.open_model(w, path), "&Open model…", "File", QKeySequence.Open),
    Action("open_shipped_model", "Show DigitLab's own model (a CNN trained on MNIST, the Draw tab's default) in every view.",
           lambda w: file_actions.open_model(w, str(DEFAULT_MODEL_PATH)), "Open DigitLab's own model", "File"),
    Action("save_model", "Save the model the views show (weights, settings, history) as an .npz file.",
           lambda w, path=None: file_actions.save_model(w, path), "&Save model…", "File", QKeySequence.Save),
    Action("continue_model", "Train a saved model further, its optimiser state and history carried on.",
           lambda w, path=None: w.run_records.continue_model(path), "Continue training a model…", "File"),
    Action("open_lesson", "Open a lesson file (.md), e.g. one your teacher wrote, and start it.",
           lambda w, path=None: w.lessons.open_file(path), "Open &lesson…", "File"),
    Action("my_drawings", "Your own classes (letters, symbols, shapes, anything): draw and keep examples of each, "
           "train on them and test by drawing.",
           lambda w: w.my_drawings.open(), "My &drawings (your own classes)…", "File", "Ctrl+Shift+D"),
    Action("open_experiment", "Open a shared experiment file and train it: its settings, seed and initial weights "
           "(the same weights to the last bit on the same data; you are told when the data differs).",
           lambda w, path=None: w.experiment_files.open(path), "Open e&xperiment…", "File", separator_before=True),
    Action("save_experiment", "Save the settings, seed, initial weights and the data's name and checksum as one "
           "file that repeats this set-up's run bit for bit (File > Open experiment…, or train --from FILE).",
           lambda w, path=None: w.experiment_files.save(path), "Save experiment…", "File"),
    Action("export_csv", "Save the loss and accuracy of every epoch as a CSV table.",
           lambda w, path=None: file_actions.export_csv(w, path), "Export metric history (CSV)…", "File",
           separator_before=True),
    Action("export_report", "Save a recorded run's report (the Runs tab's selection, else the newest) as one HTML "
           "page: settings, curves, confusion matrix, per-class scores, confident mistakes, calibration, the command.",
           lambda w, run_id=None, path=None: w.reports.export(run_id, path), "Export &report…", "File"),
    _export("loss", "Loss"), _export("accuracy", "Accuracy"), _export("weights", "Weight tiles"),
    _export("confusion", "Confusion matrix"), _export("data", "Data overview"),
    Action("export_view", "Save a plot or picture view as PNG (1x, 2x or 3x its size on screen) or SVG, or copy it.",
           lambda w, name=None, path=None, scale=1: view_exports.export_view(w, name, path, scale), "Export &view…",
           "File", "Ctrl+Shift+E"),
    Action("copy_view", "Copy a view's picture to the clipboard (scale 1, 2 or 3).",
           lambda w, name, scale=1: view_exports.copy_view_picture(w, name, scale)),
    Action("quit", "Close DigitLab (a run is stopped first; settings are kept).",
           lambda w: w.close(), "&Quit", "File", QKeySequence.Quit, separator_before=True),
    # ----- Training
    Action("start", "Train a network with the settings on the left, on the loaded data.",
           lambda w: w.start_training(), "Start", "Training", "Ctrl+Return"),
    Action("pause", "Pause the run between two batches, or resume it.",
           lambda w: w.toggle_pause(), "Pause / resume", "Training", "Space"),
    Action("stop", "Stop the run (within a second); what it learned so far stays.",
           lambda w: w.stop_training(), "Stop", "Training", "Esc"),
    Action("reset", "Stop any run and clear every view (the data stays loaded).",
           lambda w: w.reset(), "Reset", "Training", "Ctrl+R"),
    Action("gradient_speed", "Measure how long numerical gradients take against backpropagation.",
           lambda w: w.show_gradient_speed(), "Why backpropagation? (measure numerical gradients)", "Training",
           separator_before=True),
    Action("step_through", "Show one mini-batch update of a small network with every number.",
           lambda w: w.step_through.open(), "One update, step by step…", "Training"),
    # ----- Runs
    Action("compare_runs", "Pick two or more recorded runs and compare their curves and answers.",
           lambda w: w.experiments.pick_and_compare(), "Compare runs…", "Runs"),
    Action("race", "Train two set-ups at once on identical batches and watch them race.",
           lambda w: w.race.open(), "Race two set-ups…", "Runs"),
    Action("export_film", "Film one view of a recorded run (weights, filters, feature maps, the Map or the curves) "
           "at each checkpoint, as an animated GIF and PNG frames.",
           lambda w, run_id=None, view="weights", path=None, frames=None, png_dir=None, image=0:
           w.films.export(run_id, view, path, frames, png_dir, image), "Export film…", "Runs"),
    # ----- View
    Action("theme_light", "Use the light theme (remembered for the next launch).",
           lambda w: theme_choice.choose(w, "light"), "&Light", "View/Theme",
           checked=lambda w: theme_choice.current() == "light"),
    Action("theme_dark", "Use the dark theme (remembered for the next launch).",
           lambda w: theme_choice.choose(w, "dark"), "&Dark", "View/Theme",
           checked=lambda w: theme_choice.current() == "dark"),
    Action("theme_system", "Follow the system's light or dark setting, as read when DigitLab starts.",
           lambda w: theme_choice.choose(w, "system"), "Follow the &system", "View/Theme",
           checked=lambda w: theme_choice.current() == "system"),
    # ----- Help
    Action("explain_view", "Explain the part of the window under the mouse pointer (or the one named), in plain "
           "words with its current numbers.",
           lambda w, name=None: w.explainer.explain(name), "&What am I looking at?", "Help", "F1"),
    Action("lessons", "List the lessons: short guided steps that set the window up, ask you to predict, then check.",
           lambda w: w.lessons.show_list(), "&Lessons", "Help", "Ctrl+L"),
    Action("user_guide", "Read the user guide: what every part of the window does and how to start.",
           lambda w: help_dialogs.show_user_guide(w), "&User guide", "Help", "Shift+F1"),
    Action("show_actions", "List every action with its keyboard shortcut and what it does.",
           lambda w: help_dialogs.show_actions(w, w.actions.describe()), "&Keyboard shortcuts and actions", "Help",
           "Ctrl+/"),
    Action("about", "What DigitLab is, and where its log file is.",
           lambda w: help_dialogs.show_about(w), "&About DigitLab", "Help"),
    # ----- done with a widget; no menu entry
    Action("load_data", "Load a dataset: 'mnist' (from a folder), 'digits' (built in), 'idx' or 'mat' files, or "
           "'images' (a folder with a subfolder per class).",
           lambda w, kind, folder="": w.request_dataset(kind, folder)),
    Action("pick_preset", "Fill the settings form with a named preset (every field stays editable).",
           lambda w, name: w.form.select_preset(name)),
    Action("set_setting", "Set one training setting of the form by its name (as `train --help` names it).",
           lambda w, name, value: w.form.set_value(name, value)),
    Action("set_learning_rate", "Change the learning rate; during a run it applies from the next batch.",
           lambda w, rate: w.set_learning_rate(rate)),
    Action("show_tab", "Bring a centre tab to the front by its title (Training, Weights, Draw, ...).",
           lambda w, title: w.tabs.show_tab(title)),
    Action("draw", "Draw strokes on the canvas (lists of (x, y) points in canvas pixels) and predict.",
           lambda w, strokes: w.tabs.draw_panel.draw(strokes)),
    Action("clear_canvas", "Clear the drawing canvas.", lambda w: w.tabs.draw_panel.canvas.clear()),
    Action("keep_drawing", "Keep the canvas drawing in My digits with this label (0-9).",
           lambda w, label: w.tabs.my_digits.keep(label)),
    Action("train_my_drawings", "Train on the open My drawings project, starting 'scratch', 'frozen' or "
           "'fine-tuned' (the digit model's conv layers kept or trained further).",
           lambda w, start=None: w.my_drawings.train(start)),
    Action("race_my_drawings", "Race a start ('scratch', 'frozen', 'fine-tuned') against another on identical "
           "batches of the open My drawings project.",
           lambda w, start=None: w.my_drawings.race(start)),
    Action("open_neuron_card", "Open the card of one hidden unit: layer from 1, unit from 0.",
           lambda w, layer, unit: w.inspect.open_card(layer, unit)),
    Action("open_run", "Show a recorded run in every view (optionally as it was at an epoch).",
           lambda w, run_id, epoch=None: w.run_records.open_run(run_id, epoch)),
    Action("continue_run", "Ask how many more epochs to train a recorded run, then train them.",
           lambda w, run_id: w.run_records.ask_continue(run_id)),
    Action("start_lesson", "Start a lesson by its name (the file name without .md) or its path.",
           lambda w, lesson: w.lessons.start(lesson)),
    Action("answer_lesson", "Answer the lesson's question: a choice (counted from 0) or a number.",
           lambda w, value: w.lessons.player.answer(value)),
    Action("run_lesson_step", "Press the lesson step's Run (or Check) button.",
           lambda w: w.lessons.player.press_primary()),
    Action("next_lesson_step", "Go to the lesson's next step (the last one finishes the lesson).",
           lambda w: w.lessons.player.next_step()),
    Action("fork_run", "Start a new run from an epoch of a recorded run, with changed settings.",
           lambda w, run_id: w.run_records.ask_fork(run_id)),
)

ACTION_DESCRIPTIONS = {action.name: action.description for action in ACTIONS}


class AppActions(QObject):
    """The window's actions: QActions for the menu ones, ``trigger`` for all."""

    triggered = pyqtSignal(str)   # an action's name, after it ran (menu, shortcut or script)

    def __init__(self, window, actions=ACTIONS):
        super().__init__(window)
        self.window = window
        self.table = {action.name: action for action in actions}
        assert len(self.table) == len(actions), "two actions with one name"
        self.qactions = {}
        self._build_menus()

    def _build_menus(self):
        bar = self.window.menuBar()
        menus = {name: bar.addMenu(f"&{name}") for name in MENUS}
        for action in self.table.values():
            if action.menu is None:
                continue
            top, _, sub = action.menu.partition("/")
            menu = menus[top]
            if sub:
                menu = menus.get(action.menu) or menus.setdefault(action.menu, menu.addMenu(sub))
            if action.separator_before:
                menu.addSeparator()
            qaction = QAction(action.text, self.window)
            qaction.setStatusTip(action.description)
            qaction.setToolTip(action.description)
            if action.shortcut:
                qaction.setShortcut(QKeySequence(action.shortcut))
            if action.checked:
                qaction.setCheckable(True)
                qaction.setChecked(bool(action.checked(self.window)))
            qaction.triggered.connect(lambda _checked=False, name=action.name: self.trigger(name))
            menu.addAction(qaction)
            self.window.addAction(qaction)   # shortcuts work whatever has focus
            self.qactions[action.name] = qaction

    def trigger(self, name, *args, **kwargs):
        """Do the action ``name`` as the user would; returns what it opened or made (a dialog, a
        window, a kept digit, ...). An unknown name raises KeyError listing the known ones."""
        if name not in self.table:
            raise KeyError(f"no action {name!r}; the actions are: {', '.join(self.table)}")
        result = self.table[name].run(self.window, *args, **kwargs)
        for other, qaction in self.qactions.items():   # checkable entries show the state now in force
            if self.table[other].checked:
                qaction.setChecked(bool(self.table[other].checked(self.window)))
        self.triggered.emit(name)
        return result

    def follow_buttons(self, buttons):
        """{action name: QPushButton}: each menu entry (and its shortcut) is enabled exactly when
        its button is, so the menu never offers what the button refuses (Start during a run)."""
        for name, button in buttons.items():
            qaction = self.qactions.get(name)
            if qaction is not None:
                qaction.setEnabled(button.isEnabled())
                qaction.setToolTip(button.toolTip() or self.table[name].description)

    def __getitem__(self, name):
        """The QAction of a menu action (tests trigger it as a click on the menu would)."""
        return self.qactions[name]

    def names(self):
        return list(self.table)

    def describe(self):
        """[(name, where: menu path or 'in the window', shortcut text, description)] of every action."""
        rows = []
        for action in self.table.values():
            where = (action.menu.replace("/", " > ") + " > " + action.text.replace("&", "").rstrip("…")
                     if action.menu else "in the window")
            shortcut = QKeySequence(action.shortcut).toString(QKeySequence.NativeText) if action.shortcut else ""
            rows.append((action.name, where, shortcut, action.description))
        return rows
