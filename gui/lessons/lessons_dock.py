"""The Lessons panel, docked at the window's right: the list of lessons, or the lesson being taken.

    dock = LessonsDock(host, window)         # host: gui/shell/lesson_host.py
    dock.show_list()                          # Help > Lessons
    dock.start(entry_or_path)                 # a listed lesson, or a file (File > Open lesson…)
"""
from pathlib import Path

from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QDockWidget, QFileDialog, QStackedWidget

from core.lessons.expressions import LessonError
from core.lessons.lesson import read_lesson
from core.lessons.library import list_lessons
from core.lessons.progress import LessonProgress
from gui.ground.errors import show_error
from gui.lessons.lesson_list import LessonList
from gui.lessons.player import LessonPlayer

WIDTH = 300   # px: about 40 characters a line; at 1366 px the centre keeps ~600 px beside the settings


class LessonsDock(QDockWidget):
    lesson_started = pyqtSignal(object)     # the Lesson

    def __init__(self, host, window):
        super().__init__("Lessons", window)
        self.setObjectName("lessonsDock")
        self.setAllowedAreas(Qt.RightDockWidgetArea | Qt.LeftDockWidgetArea)
        self.window_ = window
        self.progress = LessonProgress.load()
        self.pages = QStackedWidget()
        self.list = LessonList()
        self.player = LessonPlayer(host)
        self.pages.addWidget(self.list)
        self.pages.addWidget(self.player)
        self.setWidget(self.pages)
        self.setMinimumWidth(240)
        self.list.chosen.connect(self.start)
        self.list.open_file_requested.connect(lambda: self.open_file())
        self.player.closed.connect(self.show_list)
        # the lesson's highlight belongs to the lesson on show: closing the panel (its x), or
        # turning to the list, takes it away; the lesson shown again brings it back
        self.visibilityChanged.connect(lambda _visible: self._update_highlight())
        self.pages.currentChanged.connect(lambda _index: self._update_highlight())
        self.hide()

    def _update_highlight(self):
        self.player.show_highlight(not self.isHidden() and self.pages.currentWidget() is self.player)

    def show_list(self):
        self.list.show_entries(list_lessons(), self.progress)
        self.pages.setCurrentWidget(self.list)
        self._show()
        return self

    def _show(self):
        if self.isHidden():
            self.window_.resizeDocks([self], [WIDTH], Qt.Horizontal)
            self.show()
        self.raise_()

    def start(self, what):
        """Open a lesson: a LessonEntry of the list, a path, or a lesson's id (file name without .md)."""
        lesson = getattr(what, "lesson", None)
        if lesson is None:
            path = Path(what)
            if not path.suffix:
                matches = [e for e in list_lessons() if e.lesson_id == str(what) and e.lesson is not None]
                if not matches:
                    raise KeyError(f"no lesson {what!r}; the lessons are: "
                                   f"{', '.join(e.lesson_id for e in list_lessons())}")
                lesson = matches[0].lesson
            else:
                try:
                    lesson = read_lesson(path)
                except LessonError as error:
                    show_error(self.window_, "This lesson cannot be opened", str(error))
                    return None
        self.pages.setCurrentWidget(self.player)
        self._show()
        self.player.open(lesson, self.progress)
        self.lesson_started.emit(lesson)
        return self.player

    def open_file(self, path=None):
        """File > Open lesson…: a teacher's lesson file (asks for it when no path is given)."""
        if path is None:
            path, _ = QFileDialog.getOpenFileName(self.window_, "Open a lesson", "", "Lessons (*.md);;All files (*)")
            if not path:
                return None
        return self.start(Path(path))
