"""The galleries of a My drawings project, one per class: a header with the class's name, its
count and Rename / Remove, above the thumbnails of its drawings (gui.my_digits.gallery, shown for
that label only: the same right-click Relabel as / Delete and the Delete key).

    galleries = ClassGalleries(make_gallery, project)   # make_gallery: gui.my_digits.gallery.DigitGallery
    galleries.rebuild()                                 # after a class is added, renamed or removed
    galleries.reload()                                  # after drawings changed

Signals carry what the user asked; the window does the store work and says what happened.
"""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QHBoxLayout, QLabel, QPushButton, QVBoxLayout, QWidget

# one row of My digits' thumbnails (52 px + 22 px for the name) and a horizontal scroll bar: a
# class with more drawings than the row holds scrolls sideways
ROW_HEIGHT = 52 + 22 + 24


class ClassGalleries(QWidget):
    relabel_requested = pyqtSignal(str, int)    # drawing id, new class
    delete_requested = pyqtSignal(str)          # drawing id
    rename_requested = pyqtSignal(int)          # class index
    remove_requested = pyqtSignal(int)          # class index

    def __init__(self, make_gallery, project=None, parent=None):
        """make_gallery(store, only_label=i): one class's gallery, given by the shell (a feature
        imports no other feature): gui.my_digits.gallery.DigitGallery."""
        super().__init__(parent)
        self.make_gallery, self.project = make_gallery, project
        self.galleries, self.headers, self.counts = [], [], []
        self.layout_ = QVBoxLayout(self)
        self.layout_.setContentsMargins(0, 0, 0, 0)
        self.layout_.setSpacing(2)
        self.rebuild()

    def set_project(self, project):
        self.project = project
        self.rebuild()

    def rebuild(self):
        """One section per class of the project (none without a project)."""
        while self.layout_.count():
            item = self.layout_.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.galleries, self.headers, self.counts = [], [], []
        if self.project is None:
            return
        for index, name in enumerate(self.project.class_names):
            header = QLabel()
            rename = QPushButton("Rename…")
            remove = QPushButton("Remove")
            rename.setToolTip(f"Give the class '{name}' another name (its drawings stay with it)")
            remove.setToolTip(f"Remove the class '{name}' (only when it has no drawings: nothing is lost)")
            rename.clicked.connect(lambda _=False, index=index: self.rename_requested.emit(index))
            remove.clicked.connect(lambda _=False, index=index: self.remove_requested.emit(index))
            row = QHBoxLayout()
            row.addWidget(header, 1)
            row.addWidget(rename)
            row.addWidget(remove)
            gallery = self.make_gallery(self.project, only_label=index)
            gallery.setWrapping(False)   # one row per class: the page shows every class at once
            gallery.setFixedHeight(ROW_HEIGHT)
            gallery.setVerticalScrollBarPolicy(Qt.ScrollBarAlwaysOff)
            gallery.setToolTip(f"Your drawings of '{name}'. Right-click one to relabel or delete it.")
            gallery.relabel_requested.connect(self.relabel_requested)
            gallery.delete_requested.connect(self.delete_requested)
            self.layout_.addLayout(row)
            self.layout_.addWidget(gallery)
            self.galleries.append(gallery)
            self.headers.append(header)
        self.layout_.addStretch(1)
        self.reload()

    def reload(self):
        """Every class's thumbnails and count read again from the project (its files read once);
        returns the counts."""
        listing = self.project.entries()
        self.counts = []
        for gallery in self.galleries:
            self.counts.append(len(gallery.reload(listing)))
        for index in range(len(self.galleries)):
            self._show_count(index)
        return list(self.counts)

    def added(self, entry):
        """One drawing was kept: its thumbnail joins its class (nothing is read again); returns the counts."""
        self.galleries[entry.label].add_entry(entry)
        self.counts[entry.label] += 1
        self._show_count(entry.label)
        return list(self.counts)

    def _show_count(self, index):
        count, key = self.counts[index], f" (key {(index + 1) % 10})" if index < 10 else ""
        self.headers[index].setText(f"<b>{self.project.class_names[index]}</b>{key}: {count} drawing"
                                    f"{'s' if count != 1 else ''}")
        self.galleries[index].setVisible(bool(count))
