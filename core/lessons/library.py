"""Where lessons come from: the ones that ship (resources/lessons/) and the user's own lessons
folder (user data folder/lessons/); a file opened with File > Open lesson... comes by its path.

    for entry in list_lessons():      # LessonEntry: path, source, lesson or problem
        print(entry.title, entry.minutes)
"""
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from core.lessons.expressions import LessonError
from core.lessons.lesson import Lesson, read_lesson
from core.storage.resources import LESSONS_DIR
from core.storage.user_dirs import lessons_dir


@dataclass
class LessonEntry:
    path: Path
    source: str                       # "shipped" or "yours"
    lesson: Optional[Lesson] = None
    problem: str = ""                 # why the file could not be read (the list still shows it)

    @property
    def lesson_id(self):
        return self.path.stem

    @property
    def title(self):
        return self.lesson.title if self.lesson else self.path.name

    @property
    def minutes(self):
        return self.lesson.minutes if self.lesson else 0


def _entries(folder, source):
    entries = []
    for path in sorted(Path(folder).glob("*.md")) if Path(folder).is_dir() else []:
        try:
            entries.append(LessonEntry(path, source, read_lesson(path)))
        except LessonError as error:
            entries.append(LessonEntry(path, source, problem=str(error)))
    return entries


def list_lessons(shipped=LESSONS_DIR, yours=None):
    """[LessonEntry] of the shipped lessons (in file-name order: 01-..., 02-...), then the user's."""
    return _entries(shipped, "shipped") + _entries(yours if yours is not None else lessons_dir(), "yours")
