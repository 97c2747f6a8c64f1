"""The gallery of kept digits: thumbnails of the drawings, grouped by label (0 first), with a
context menu to relabel or delete one.

    gallery = DigitGallery(store)        # store: core.data.my_digits.store.MyDigits
    gallery.reload()                     # after any change on disk

The store names its labels (``store.class_names``): the digits for My digits, the project's
classes for a My drawings project (gui/my_drawings shows one such gallery per class).

Signals: relabel_requested(id, label), delete_requested(id); the panel does the store work.
"""
from PyQt5.QtCore import QSize, Qt, pyqtSignal
from PyQt5.QtGui import QIcon, QPixmap
from PyQt5.QtWidgets import QAbstractItemView, QListView, QListWidget, QListWidgetItem, QMenu

THUMBNAIL = 52   # px: a dozen fit in one row of the Draw tab at 1400 px
ID_ROLE = Qt.UserRole
LABEL_ROLE = Qt.UserRole + 1


class DigitGallery(QListWidget):
    relabel_requested = pyqtSignal(str, int)
    delete_requested = pyqtSignal(str)

    def __init__(self, store, parent=None, only_label=None):
        """only_label: show just the drawings of this label (a per-class gallery); None: all."""
        super().__init__(parent)
        self.store = store
        self.only_label = only_label
        self.setViewMode(QListView.IconMode)
        self.setIconSize(QSize(THUMBNAIL, THUMBNAIL))
        self.setGridSize(QSize(THUMBNAIL + 14, THUMBNAIL + 22))
        self.setResizeMode(QListView.Adjust)
        self.setMovement(QListView.Static)
        self.setWrapping(True)
        self.setSelectionMode(QAbstractItemView.SingleSelection)
        self.setContextMenuPolicy(Qt.CustomContextMenu)
        self.customContextMenuRequested.connect(self._menu_at)
        self.setToolTip("Your kept digits, by label. Right-click one to relabel or delete it.")
        self.problems = []   # (file name, reason) of entries that could not be read

    def sizeHint(self):
        # two rows of thumbnails (QListWidget's default asks for 256 px and pushes the buttons away)
        return QSize(400, 2 * (THUMBNAIL + 22) + 8)

    def reload(self, listing=None):
        """Show every kept digit, sorted by label then age; returns the entries shown.
        listing: the store's (entries, problems) when the caller has read them already."""
        entries, self.problems = listing if listing is not None else self.store.entries()
        entries = sorted(entries, key=lambda e: (e.label, e.created, e.id))
        if self.only_label is not None:
            entries = [entry for entry in entries if entry.label == self.only_label]
        self.clear()
        for entry in entries:
            self.add_entry(entry)
        return entries

    def add_entry(self, entry):
        """Show one more kept entry at the end (a keep: no need to read the store again)."""
        name = self.store.class_names[entry.label]
        pixmap = QPixmap(str(self.store.drawing_path(entry.id)))
        if pixmap.isNull():   # the drawing PNG is optional: the prepared image stands in
            pixmap = QPixmap(str(self.store.prepared_path(entry.id)))
        icon = QIcon(pixmap.scaled(THUMBNAIL, THUMBNAIL, Qt.KeepAspectRatio, Qt.SmoothTransformation))
        item = QListWidgetItem(icon, name)
        item.setData(ID_ROLE, entry.id)
        item.setData(LABEL_ROLE, entry.label)
        item.setToolTip(f"kept as {name} on {entry.created.replace('T', ' ')}")
        item.setTextAlignment(Qt.AlignHCenter)
        self.addItem(item)

    def ids(self):
        return [self.item(i).data(ID_ROLE) for i in range(self.count())]

    def labels(self):
        return [int(self.item(i).data(LABEL_ROLE)) for i in range(self.count())]

    def selected_id(self):
        items = self.selectedItems()
        return items[0].data(ID_ROLE) if items else None

    def context_menu(self, digit_id):
        """The menu for one digit: 'Relabel as' each class (0-9) and 'Delete' (returned so tests can trigger)."""
        menu = QMenu(self)
        relabel = menu.addMenu("Relabel as")
        for label, name in enumerate(self.store.class_names):
            relabel.addAction(name, lambda label=label: self.relabel_requested.emit(digit_id, label))
        menu.addAction("Delete", lambda: self.delete_requested.emit(digit_id))
        return menu

    def _menu_at(self, pos):
        item = self.itemAt(pos)
        if item is not None:
            self.context_menu(item.data(ID_ROLE)).exec_(self.viewport().mapToGlobal(pos))

    def keyPressEvent(self, event):
        if event.key() in (Qt.Key_Delete, Qt.Key_Backspace) and self.selected_id():
            self.delete_requested.emit(self.selected_id())
            return
        super().keyPressEvent(event)
