"""Where a learner is in each lesson: the step to resume at and whether it was finished, kept in
one small JSON file in the user data folder (written atomically: a crash mid-write keeps the old
file). A file that cannot be read counts as no progress (and is replaced at the next save).

    progress = LessonProgress.load()
    progress.step("01-one-neuron")          -> 0
    progress.save_step("01-one-neuron", 3)
    progress.mark_finished("01-one-neuron")
"""
import json

from core.storage.atomic import atomic_write
from core.storage.user_dirs import user_data_dir

FILE_NAME = "lesson_progress.json"


class LessonProgress:
    def __init__(self, path, entries=None):
        self.path, self.entries = path, entries or {}

    @classmethod
    def load(cls, path=None):
        path = path or user_data_dir() / FILE_NAME
        try:
            entries = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(entries, dict):
                entries = {}
        except (OSError, ValueError):
            entries = {}
        clean = {key: value for key, value in entries.items()
                 if isinstance(value, dict) and isinstance(value.get("step", 0), int)}
        return cls(path, clean)

    def step(self, lesson_id):
        """The step to resume at (0 for a lesson never opened)."""
        return max(0, int(self.entries.get(lesson_id, {}).get("step", 0)))

    def finished(self, lesson_id):
        return bool(self.entries.get(lesson_id, {}).get("finished", False))

    def save_step(self, lesson_id, step, remembered=None):
        """Where the learner is, and the numbers earlier steps remembered (a resumed lesson's
        checks still compare with them)."""
        entry = self.entries.setdefault(lesson_id, {})
        entry["step"] = int(step)
        if remembered is not None:
            entry["remembered"] = {name: value for name, value in remembered.items()
                                   if isinstance(value, (int, float, bool))}
        self._write()

    def remembered(self, lesson_id):
        values = self.entries.get(lesson_id, {}).get("remembered", {})
        return dict(values) if isinstance(values, dict) else {}

    def mark_finished(self, lesson_id):
        entry = self.entries.setdefault(lesson_id, {})
        entry["finished"], entry["step"], entry["remembered"] = True, 0, {}
        self._write()

    def _write(self):
        try:
            with atomic_write(self.path) as out:
                out.write(json.dumps(self.entries, indent=1, sort_keys=True).encode("utf-8"))
        except OSError:
            pass   # progress is a convenience: a read-only home must not stop the lesson
