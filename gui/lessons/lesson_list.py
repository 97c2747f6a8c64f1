"""The list of lessons: shipped ones first, then the user's, each with its length in minutes and
a mark once finished; a lesson that cannot be read is listed with why (never hidden).

    lessons = LessonList()
    lessons.show_entries(list_lessons(), progress)
    lessons.chosen.connect(lambda entry: ...)        # a core.lessons.library.LessonEntry
"""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QLabel, QListWidget, QListWidgetItem, QPushButton, QVBoxLayout, QWidget

INTRO = ("Each lesson sets the window up, points at what to look at, asks you to predict what "
         "will happen, then runs it and checks your prediction against the real numbers.")


class LessonList(QWidget):
    chosen = pyqtSignal(object)          # LessonEntry
    open_file_requested = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.entries = []
        intro = QLabel(INTRO)
        intro.setWordWrap(True)
        self.list = QListWidget()
        self.list.setWordWrap(True)
        self.list.itemActivated.connect(self._start)
        self.list.currentRowChanged.connect(self._update_button)
        self.start_button = QPushButton("Start lesson")
        self.start_button.clicked.connect(self._start)
        self.open_button = QPushButton("Open a lesson file…")
        self.open_button.setToolTip("A lesson written by your teacher (a .md file; see docs/LESSONS.md)")
        self.open_button.clicked.connect(self.open_file_requested)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 4, 2, 4)   # the panel is narrow on a laptop: every pixel for the text
        layout.addWidget(intro)
        layout.addWidget(self.list, 1)
        layout.addWidget(self.start_button)
        layout.addWidget(self.open_button)

    def show_entries(self, entries, progress):
        current = self.list.currentRow()
        self.entries = list(entries)
        self.list.clear()
        for entry in self.entries:
            if entry.problem:
                item = QListWidgetItem(f"⚠ {entry.path.name}: cannot be read")
                item.setToolTip(entry.problem)
                item.setFlags(item.flags() & ~Qt.ItemIsEnabled)
            else:
                finished = progress.finished(entry.lesson_id)
                resume = progress.step(entry.lesson_id)
                where = "finished" if finished else f"resume at step {resume + 1}" if resume else ""
                mark = "✓ " if finished else ""
                yours = " (yours)" if entry.source == "yours" else ""
                item = QListWidgetItem(f"{mark}{entry.title}{yours}\n{entry.minutes} min"
                                       f"{' · ' + where if where else ''}")
                item.setToolTip(entry.lesson.summary or entry.title)
            self.list.addItem(item)
        first_unfinished = next((i for i, e in enumerate(self.entries)
                                 if not e.problem and not progress.finished(e.lesson_id)), 0)
        self.list.setCurrentRow(current if 0 <= current < len(self.entries) else first_unfinished)
        self._update_button()

    def _update_button(self, *_):
        row = self.list.currentRow()
        usable = 0 <= row < len(self.entries) and not self.entries[row].problem
        self.start_button.setEnabled(usable)
        item = self.list.item(row) if usable else None
        self.start_button.setText("Resume lesson" if item is not None and "resume at" in item.text() else "Start lesson")

    def _start(self, *_):
        row = self.list.currentRow()
        if 0 <= row < len(self.entries) and not self.entries[row].problem:
            self.chosen.emit(self.entries[row])
