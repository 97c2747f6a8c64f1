"""One My drawings project: a folder holding ``project.json`` (its class names) and the kept
drawings in My digits' own format (core.data.my_digits.store), each label an index into the
class names. So keep / relabel / delete / read are the digits' code; this adds the classes.

    project = create_project("shapes", ["circle", "square", "triangle"])   # in my_drawings_dir()
    project.keep(1, strokes, prepared, drawing)        # a square
    project.add_class("star"); project.rename_class(0, "ring"); project.remove_class(3)
    dataset = project.as_dataset()                     # Dataset with the project's class names

Nothing is lost: a class that still has drawings cannot be removed, names are checked before
anything is written (core.data.my_drawings.classes), project.json is written atomically and last.
"""
import json
from pathlib import Path

import numpy as np

from core.data.dataset import Dataset
from core.data.my_digits.entry import MAX_FILE_BYTES, MyDigitsError, json_depth
from core.data.my_digits.store import MyDigits
from core.data.my_drawings.classes import ClassNameError, check_class_names, check_name
from core.errors import DatasetError
from core.storage import user_dirs
from core.storage.atomic import atomic_write

FORMAT = "digitlab-my-drawings"
VERSION = 1
PROJECT_FILE = "project.json"
MIN_PER_CLASS = 2          # one to learn from and one held out, at the very least
TEST_SHARE = 0.2           # of each class held out as the test set


class NotReadyError(DatasetError):
    """The project cannot be trained on yet (too few classes or drawings): the sentence says what to draw."""


def project_json_bytes(class_names):
    return json.dumps({"format": FORMAT, "version": VERSION, "class_names": list(class_names)}).encode("utf-8")


def parse_project_json(data, name=PROJECT_FILE):
    """project.json bytes -> checked class names; MyDigitsError naming ``name`` otherwise."""
    if data is None or len(data) > MAX_FILE_BYTES or json_depth(data) > 4:
        raise MyDigitsError(f"{name}: not a My drawings project file")
    try:
        record = json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise MyDigitsError(f"{name}: not valid JSON") from None
    if not isinstance(record, dict) or record.get("format") != FORMAT or not isinstance(record.get("class_names"), list):
        raise MyDigitsError(f"{name}: not a My drawings project file")
    try:
        return check_class_names(record["class_names"])
    except ClassNameError as error:
        raise MyDigitsError(f"{name}: {error}") from None


class MyDrawings(MyDigits):
    """The project in ``folder`` (which holds project.json: open_project / create_project)."""

    def __init__(self, folder):
        super().__init__(folder)
        path = self.folder / PROJECT_FILE
        try:
            data = path.read_bytes() if path.stat().st_size <= MAX_FILE_BYTES else None
        except FileNotFoundError:
            raise MyDigitsError(f"{self.folder} is not a My drawings project (it has no {PROJECT_FILE})") from None
        except OSError as error:
            raise MyDigitsError(f"cannot read {path} ({error.strerror or error})") from None
        self._class_names = parse_project_json(data, str(path))

    @property
    def name(self):
        return self.folder.name

    @property
    def NAME(self):   # the Dataset's name (My digits': "my digits")
        return f"my drawings: {self.name}"

    @property
    def class_names(self):
        return list(self._class_names)

    @property
    def label_classes(self):
        return len(self._class_names)

    def counts(self):
        """(n_classes,) int: kept drawings of each class."""
        labels = [entry.label for entry in self.list()]
        return np.bincount(np.asarray(labels, dtype=np.int64), minlength=self.label_classes)[:self.label_classes]

    # ----- the classes -----------------------------------------------------------------------
    def _write_classes(self, names):
        names = check_class_names(names)
        try:
            with atomic_write(self.folder / PROJECT_FILE) as out:
                out.write(project_json_bytes(names))
        except OSError as error:
            raise MyDigitsError(f"cannot save the classes in {self.folder} ({error.strerror or error})") from None
        self._class_names = names
        return names

    def add_class(self, name):
        """Add a class at the end; returns its index."""
        self._write_classes(self._class_names + [name])
        return len(self._class_names) - 1

    def rename_class(self, index, name):
        """Rename class ``index`` (its drawings stay with it)."""
        names = self.class_names
        names[self._index(index)] = name
        self._write_classes(names)

    def remove_class(self, index):
        """Remove class ``index`` when it has no drawings (the later classes' drawings move down
        one label first); a class with drawings is refused, saying how many."""
        index = self._index(index)
        count = int(self.counts()[index])
        if count:
            raise ClassNameError(f"the class {self._class_names[index]!r} still has {count} drawing"
                                 f"{'s' if count != 1 else ''}: delete or relabel them first")
        names = self.class_names
        del names[index]
        later = [entry for entry in self.list() if entry.label > index]
        for entry in later:   # labels first: until project.json is written, every label is still valid
            self._write_json(entry.id, entry.label - 1, entry.created, entry.strokes)
        self._write_classes(names)

    def _index(self, index):
        if isinstance(index, bool) or not isinstance(index, (int, np.integer)) or not 0 <= index < self.label_classes:
            raise ClassNameError(f"there is no class number {index!r} (the project has {self.label_classes})")
        return int(index)

    # ----- as data ---------------------------------------------------------------------------
    def readiness(self, counts=None):
        """'' when the project can be trained on, else one sentence saying what is missing.
        counts: the drawings of each class when the caller knows them (else read)."""
        names, counts = self._class_names, self.counts() if counts is None else counts
        if len(names) < 2:
            return "A network needs at least two classes to tell apart: add another class."
        empty = [name for name, count in zip(names, counts) if count == 0]
        if empty:
            return (f"{_listed(empty)} {'has' if len(empty) == 1 else 'have'} no drawings yet: draw at least "
                    f"{MIN_PER_CLASS} of each class.")
        few = [name for name, count in zip(names, counts) if count < MIN_PER_CLASS]
        if few:
            return f"{_listed(few)} need{'s' if len(few) == 1 else ''} at least {MIN_PER_CLASS} drawings each."
        return ""

    def as_dataset(self, test_share=TEST_SHARE, seed=0):
        """The project as a Dataset: train (n_train, 28, 28) uint8 and, held out of each class,
        a test set of round(test_share * count) drawings (at least one); labels index the class
        names. NotReadyError (its sentence says what to draw) when it cannot be trained on."""
        problem = self.readiness()
        if problem:
            raise NotReadyError(problem)
        images, labels = self.load()
        rng = np.random.default_rng(seed)
        train, test = [], []
        for label in range(self.label_classes):
            members = rng.permutation(np.flatnonzero(labels == label))
            n_test = min(len(members) - 1, max(1, int(round(len(members) * test_share))))
            test.append(members[:n_test])
            train.append(members[n_test:])
        train_idx = rng.permutation(np.concatenate(train))
        test_idx = rng.permutation(np.concatenate(test))
        return Dataset(self.NAME, images[train_idx], labels[train_idx], images[test_idx], labels[test_idx],
                       self.class_names, str(self.folder))


def _listed(names):
    quoted = [f"'{name}'" for name in names]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]


# ----- the projects folder --------------------------------------------------------------------
def projects_root(root=None):
    return Path(root) if root is not None else user_dirs.my_drawings_dir()


def list_projects(root=None):
    """Names of the projects in ``root`` (default: the user's My drawings folder), sorted."""
    folder = projects_root(root)
    if not folder.is_dir():
        return []
    return sorted(path.name for path in folder.iterdir() if (path / PROJECT_FILE).is_file())


def open_project(name, root=None):
    return MyDrawings(projects_root(root) / check_name(name, "project name"))


def create_project(name, class_names, root=None):
    """A new project ``name`` with these classes; ClassNameError for a bad or taken name."""
    name = check_name(name, "project name")
    names = check_class_names(class_names)
    if not names:
        raise ClassNameError("name the project's classes, separated by commas (e.g. circle, square, triangle)")
    folder = projects_root(root) / name
    if (folder / PROJECT_FILE).exists():
        raise ClassNameError(f"there is already a project called {name!r}")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        with atomic_write(folder / PROJECT_FILE) as out:
            out.write(project_json_bytes(names))
    except OSError as error:
        raise MyDigitsError(f"cannot create the project in {folder} ({error.strerror or error})") from None
    return MyDrawings(folder)
