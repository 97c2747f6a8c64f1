"""The Runs panel: every recorded run in a table (name, start, dataset, network, epochs, best
validation accuracy, training time, status, where it came from), and the buttons that act on the
selection. It only shows and asks: the disk work is gui.runs.run_records_controller's.

A record that cannot be read (corrupt, or written by a newer DigitLab) is a row of its own whose
status says so and whose reason spans the middle columns; it never breaks the list.

For other parts of the app: ``selected_run_ids()`` and ``selection_changed``; ``add_button(b)``
puts a button (e.g. "Compare") in the action row, before the checkpoint cap.

Over 300 lines: the table's filling (a refresh fills only the rows that changed, columns and rows
fitted by measuring text) belongs with the table it fills; its next split is the filling into a
module of its own.
"""

from PyQt5.QtCore import QEvent, Qt, QTimer, pyqtSignal
from PyQt5.QtGui import QBrush, QFont, QFontMetrics
from PyQt5.QtWidgets import (QAbstractItemView, QFrame, QHBoxLayout, QHeaderView, QLabel, QPushButton, QSpinBox,
                             QTableWidget, QTableWidgetItem, QVBoxLayout, QWidget)

from gui.runs.run_texts import local_time, parent_text, short_network
from gui.runs.recording import MAX_CAP_MB, MIN_CAP_MB
from gui.ground.text import break_anywhere, format_duration
from gui.ground import theme

COLUMNS = ("Name", "Started", "Dataset", "Network", "Epochs", "Best val.", "Train time", "Status", "From")
NAME, STARTED, DATASET, NETWORK, EPOCHS, BEST, TIME, STATUS, PARENT = range(len(COLUMNS))
HEADER_TIPS = {BEST: "Best validation accuracy, and (in brackets) the epoch that reached it",
               STATUS: "finished, running, stopped, interrupted, crashed, diverged; corrupt or newer-version: "
                       "a record this DigitLab cannot read",
               PARENT: "Where the run came from: the run and epoch it was forked from or continues, or a model file"}
FIXED = (STARTED, EPOCHS, BEST, TIME, STATUS)   # whole, always
FLEXIBLE = (DATASET, NETWORK, PARENT)           # elided when the table is narrow (whole in their tooltips)
NAME_MIN, FLEX_MIN, FLEX_MAX = 150, 64, 150      # px
UNREADABLE = ("corrupt", "newer-version")
STATUS_COLOURS = {"finished": "status_ok", "running": "status_running", "corrupt": "status_failed",
                  "newer-version": "status_failed", "crashed": "status_failed",
                  "diverged": "status_stopped", "interrupted": "status_stopped"}   # theme roles


class RunsPanel(QWidget):
    open_requested = pyqtSignal(str)              # run id
    continue_requested = pyqtSignal(str)
    fork_requested = pyqtSignal(str)
    delete_requested = pyqtSignal(list)           # run ids
    rename_requested = pyqtSignal(str, str)       # run id, new name
    refresh_requested = pyqtSignal()
    cap_changed = pyqtSignal(int)                 # megabytes
    selection_changed = pyqtSignal(list)          # run ids

    def __init__(self, cap_mb, folder="", parent=None):
        super().__init__(parent)
        self.summaries = []           # RunSummary per table row
        self._filling = False
        self.title = QLabel("<b>Runs</b> — every training run is kept, with a checkpoint at each epoch end")
        self.title.setWordWrap(True)
        self.folder_label = QLabel()
        self.folder_label.setTextInteractionFlags(Qt.TextSelectableByMouse)
        self.folder_label.setObjectName("hint")   # the theme's muted text (resources/style.qss)
        # a long folder path wraps (at any character: a path has no spaces) instead of widening the tab
        self.folder_label.setWordWrap(True)
        self.set_folder(folder)
        self.refresh_button = QPushButton("Refresh")
        self.notice = QLabel()
        self.notice.setWordWrap(True)
        self.notice.setFrameShape(QFrame.StyledPanel)
        self.notice.setObjectName("notice")   # the theme's notice colours (resources/style.qss, QLabel#notice)
        self.notice.setVisible(False)
        self.table = QTableWidget(0, len(COLUMNS))
        self.table.setHorizontalHeaderLabels(COLUMNS)
        for column, tip in HEADER_TIPS.items():
            self.table.horizontalHeaderItem(column).setToolTip(tip)
        self._natural = {}   # column -> its widest text's width (px), the name's excepted
        self.table.setSelectionBehavior(QAbstractItemView.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.ExtendedSelection)
        self.table.setEditTriggers(QAbstractItemView.DoubleClicked | QAbstractItemView.EditKeyPressed)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(True)   # a long run name wraps in its cell (rows fitted in _fit_rows)
        # Widths are measured on the readable rows in set_runs (a corrupt record's long reason, which
        # spans the middle columns, must not widen one of them) and shared out in _share_width.
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.Interactive)
        header.setMinimumSectionSize(40)
        self.table.setTextElideMode(Qt.ElideMiddle)   # a network's or origin's end tells runs apart
        # the widths follow the table's: share them out and refit the rows once the header has settled
        self.table.viewport().installEventFilter(self)
        self.details = QLabel("Select a run.")
        self.details.setWordWrap(True)

        self.open_button = QPushButton("Open")
        self.open_button.setToolTip("Show its curves, and its last epoch in the weights, evaluation and draw tabs")
        self.continue_button = QPushButton("Continue…")
        self.continue_button.setToolTip("Train it for more epochs, with its optimiser state and history")
        self.fork_button = QPushButton("Fork from epoch…")
        self.fork_button.setToolTip("A new run from one of its checkpoints, with the settings form's values")
        self.rename_button = QPushButton("Rename")
        self.delete_button = QPushButton("Delete…")
        self.cap_spin = QSpinBox()
        self.cap_spin.setRange(MIN_CAP_MB, MAX_CAP_MB)
        self.cap_spin.setSuffix(" MB")
        self.cap_spin.setValue(int(cap_mb))
        self.cap_spin.setToolTip("Most disk space the epoch checkpoints of one run may take; older ones are "
                                 "thinned, never the last or the best. Applies to runs started from now on.")
        self.action_row = QHBoxLayout()
        for button in (self.open_button, self.continue_button, self.fork_button, self.rename_button,
                       self.delete_button):
            self.action_row.addWidget(button)
        self.action_row.addStretch(1)
        # the checkpoint cap on its own line: beside five buttons it made the tab 800 px wide, too
        # wide for a laptop with the settings panel and the lessons panel open
        cap_row = QHBoxLayout()
        cap_row.addStretch(1)
        cap_row.addWidget(QLabel("Checkpoints per run:"))
        cap_row.addWidget(self.cap_spin)

        top = QHBoxLayout()
        top.addWidget(self.title, 1)   # the spare width: beside a stretch it wrapped into a 4-line column
        top.addWidget(self.refresh_button)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 8, 8, 8)
        layout.addLayout(top)
        layout.addWidget(self.folder_label)
        layout.addWidget(self.notice)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.details)
        layout.addLayout(self.action_row)
        layout.addLayout(cap_row)

        self.refresh_button.clicked.connect(self.refresh_requested)
        self.open_button.clicked.connect(lambda: self._emit_single(self.open_requested))
        self.continue_button.clicked.connect(lambda: self._emit_single(self.continue_requested))
        self.fork_button.clicked.connect(lambda: self._emit_single(self.fork_requested))
        self.rename_button.clicked.connect(self.start_rename)
        self.delete_button.clicked.connect(lambda: self.delete_requested.emit(self.selected_run_ids()))
        self.cap_spin.valueChanged.connect(self.cap_changed)
        self.table.itemSelectionChanged.connect(self._on_selection)
        self.table.itemChanged.connect(self._on_item_changed)
        self.table.doubleClicked.connect(self._on_double_click)
        self._on_selection()

    # ----- for other parts of the app -----------------------------------------------------------
    def selected_run_ids(self):
        """Ids of the selected rows, top to bottom (unreadable records included)."""
        rows = sorted({index.row() for index in self.table.selectionModel().selectedRows()})
        return [self.summaries[row].id for row in rows if row < len(self.summaries)]

    def selected_summaries(self):
        ids = set(self.selected_run_ids())
        return [s for s in self.summaries if s.id in ids]

    def add_button(self, button):
        """Put a button in the action row (after Delete)."""
        self.action_row.insertWidget(5, button)
        return button

    def summary(self, run_id):
        return next((s for s in self.summaries if s.id == run_id), None)

    def row_of(self, run_id):
        return next((i for i, s in enumerate(self.summaries) if s.id == run_id), -1)

    def select_run(self, run_id):
        row = self.row_of(run_id)
        if row >= 0:
            self.table.selectRow(row)

    def set_folder(self, folder):
        self.folder_label.setText(f"Folder: {break_anywhere(folder)}" if folder else "")
        self.folder_label.setToolTip(str(folder) if folder else "")

    def show_notice(self, text):
        self.notice.setText(text)
        self.notice.setVisible(bool(text))

    # ----- filling ---------------------------------------------------------------------------------
    def set_runs(self, summaries):
        """Show these RunSummary rows, newest first; the selection is kept where the runs remain."""
        keep = set(self.selected_run_ids())
        old, new = self.summaries, sorted(summaries, key=lambda s: s.id, reverse=True)
        self.summaries = new
        self._filling = True
        self.table.setUpdatesEnabled(False)   # one repaint at the end, not one per cell
        self.table.blockSignals(True)         # no itemChanged per cell (a rename is a user's edit)
        added = len(new) - len(old)
        if old and added >= 0 and [s.id for s in new[added:]] == [s.id for s in old]:
            # The usual refresh (a run started or ended): new runs on top, a few rows changed.
            # Only those are filled and measured: refilling every row cost the window 20 ms per
            # 250 runs at every Start and every run's end.
            for _ in range(added):
                self.table.insertRow(0)
            rows = [row for row, summary in enumerate(new)
                    if row < added or summary != old[row - added] or self._edited(row, summary)]
            texts = [self._fill_row(row, new[row]) for row in rows]
            self._fit_columns(texts, grow_only=True)
            self._fit_rows(rows)
        else:
            self.table.clearSpans()
            self.table.setRowCount(len(new))
            texts = [self._fill_row(row, summary) for row, summary in enumerate(new)]
            self._fit_columns(texts)
            self._fit_rows()
        self.table.blockSignals(False)
        self.table.setUpdatesEnabled(True)
        self._filling = False
        selection = self.table.selectionModel()
        self.table.clearSelection()
        for row, summary in enumerate(self.summaries):
            if summary.id in keep:
                selection.select(self.table.model().index(row, 0), selection.Select | selection.Rows)
        self._on_selection()

    def _edited(self, row, summary):
        """True when the row's name cell shows another text than the record's name (a rename
        refused or not yet written: the cell must show the name on disk again)."""
        item = self.table.item(row, NAME)
        return item is None or (summary.status not in UNREADABLE and item.text() != summary.name)

    def _fit_columns(self, rows, grow_only=False):
        """Each column's natural width, its widest text (measured with the font:
        resizeColumnsToContents costs ~15 ms per 100 rows on the GUI thread); then the width is
        shared out (_share_width). rows: the texts per row; an unreadable record's reason, which
        spans the middle columns, is not among them. grow_only: rows are only some of the table's
        (the others were measured before): a natural width may grow, never shrink."""
        metrics = self.table.fontMetrics()
        bold = QFont(self.table.horizontalHeader().font())
        bold.setBold(True)   # the theme's header text is bold
        header = QFontMetrics(bold)
        for column, title in enumerate(COLUMNS):
            if column == NAME:
                continue
            widest = max([metrics.horizontalAdvance(texts[column]) for texts in rows] + [0])
            width = max(widest + 12, header.horizontalAdvance(title) + 16)
            if grow_only:
                width = max(width, self._natural.get(column, 0))
            self._natural[column] = width
        self._share_width()

    def _share_width(self):
        """Fit the columns to the table's width: the figures (start, epochs, best, time, status)
        whole; the name at least NAME_MIN; the dataset, network and origin at most FLEX_MAX each,
        narrowed towards FLEX_MIN (elided, whole in their tooltips) before the name goes below
        its least; the name takes what is left. With "my drawings: shapes" runs the dataset
        column took the name's width down to 55 px and cut the status at 1366x768."""
        if not self._natural:
            return
        room = self.table.viewport().width()
        fixed = sum(self._natural[c] for c in FIXED)
        flexible = {c: max(FLEX_MIN, min(self._natural[c], FLEX_MAX)) for c in FLEXIBLE}
        over = fixed + sum(flexible.values()) + NAME_MIN - room
        if over > 0:   # narrow each flexible column in proportion to what it can give
            give = {c: max(0, w - FLEX_MIN) for c, w in flexible.items()}
            total = sum(give.values())
            for c in flexible:
                flexible[c] -= min(give[c], (over * give[c] + total - 1) // total) if total else 0
        for column in FIXED:
            self.table.setColumnWidth(column, self._natural[column])
        for column, width in flexible.items():
            self.table.setColumnWidth(column, width)
        self.table.setColumnWidth(NAME, max(NAME_MIN, room - fixed - sum(flexible.values())))

    def eventFilter(self, watched, event):
        if event.type() == QEvent.Resize and watched is self.table.viewport():
            self._share_width()
            QTimer.singleShot(0, self._fit_rows)
        return False

    def _fit_rows(self, rows=None):
        """Each row (or these rows) as tall as its name and its dataset need at their columns'
        widths (names were cut at a laptop's width); two text measurements per row, not
        resizeRowsToContents over every cell."""
        widths = [max(20, self.table.columnWidth(column) - 10) for column in (NAME, DATASET)]
        metrics = self.table.fontMetrics()
        base = self.table.verticalHeader().defaultSectionSize()
        for row in range(len(self.summaries)) if rows is None else rows:
            summary = self.summaries[row]
            texts = (summary.name, summary.dataset if summary.status not in UNREADABLE else "")
            height = max(metrics.boundingRect(0, 0, width, 10000, Qt.TextWordWrap, text).height()
                         for width, text in zip(widths, texts))
            self.table.setRowHeight(row, max(base, height + 10))

    def _fill_row(self, row, summary):
        """Put one record in the table; returns its texts for the column widths."""
        unreadable = summary.status in UNREADABLE
        if unreadable:
            texts = [summary.name, local_time(summary.created), f"⚠ {summary.problem}", "", "", "", "",
                     summary.status, ""]
        else:
            best = (f"{100 * summary.best_val_accuracy:.2f}% ({summary.best_epoch})"
                    if summary.best_val_accuracy is not None else "—")
            texts = [summary.name, local_time(summary.created), summary.dataset, short_network(summary.network),
                     str(summary.epochs), best, format_duration(summary.training_seconds), summary.status,
                     parent_text(summary.parent)]
        for column, text in enumerate(texts):
            item = QTableWidgetItem(text)
            flags = Qt.ItemIsSelectable | Qt.ItemIsEnabled
            if column == NAME and not unreadable:
                flags |= Qt.ItemIsEditable   # rename in place
            item.setFlags(flags)
            if column in (EPOCHS, BEST, TIME):
                item.setTextAlignment(Qt.AlignRight | Qt.AlignVCenter)
            if column == STATUS and summary.status in STATUS_COLOURS:
                item.setForeground(QBrush(theme.qcolor(STATUS_COLOURS[summary.status])))
            if unreadable:
                theme.mark_cell(item, "problem_row")
                item.setToolTip(f"{summary.path}\n{summary.problem}\nIt is left on disk; Delete removes it.")
            elif column in (NAME, DATASET, PARENT):
                item.setToolTip(text)
            elif column == NETWORK:
                item.setToolTip(summary.network)
            self.table.setItem(row, column, item)
        if unreadable:
            self.table.setSpan(row, DATASET, 1, TIME - DATASET + 1)
            texts[DATASET] = ""   # spans the middle columns: it must not widen one of them
        return texts

    # ----- user actions ----------------------------------------------------------------------------
    def start_rename(self):
        summaries = self.selected_summaries()
        if len(summaries) == 1 and summaries[0].status not in UNREADABLE:
            self.table.editItem(self.table.item(self.row_of(summaries[0].id), NAME))

    def _emit_single(self, signal):
        summaries = self.selected_summaries()
        if len(summaries) == 1:
            signal.emit(summaries[0].id)

    def _on_double_click(self, index):
        if index.column() != NAME and 0 <= index.row() < len(self.summaries):
            self.open_requested.emit(self.summaries[index.row()].id)

    def _on_item_changed(self, item):
        if self._filling or item.column() != NAME or item.row() >= len(self.summaries):
            return
        summary = self.summaries[item.row()]
        if item.text().strip() != summary.name:
            self.rename_requested.emit(summary.id, item.text())

    def _on_selection(self):
        summaries = self.selected_summaries()
        one = summaries[0] if len(summaries) == 1 else None
        readable = one is not None and one.status not in UNREADABLE
        has_epochs = readable and bool(one.checkpoints)
        self.open_button.setEnabled(readable)
        self.continue_button.setEnabled(has_epochs and one.status != "running")
        self.fork_button.setEnabled(has_epochs)
        self.rename_button.setEnabled(readable)
        self.delete_button.setEnabled(bool(summaries) and all(s.status != "running" for s in summaries))
        self.details.setText(self._describe(summaries))
        self.selection_changed.emit([s.id for s in summaries])

    @staticmethod
    def _describe(summaries):
        if not summaries:
            return "Select a run (Ctrl+click selects several). Double-click a name to rename it."
        if len(summaries) > 1:
            return f"{len(summaries)} runs selected."
        s = summaries[0]
        if s.status in UNREADABLE:
            return f"<b>{s.id}</b> cannot be read: {s.problem}. It stays on disk until you delete it."
        kept = ", ".join(str(e) for e in s.checkpoints) or "none"
        origin = f" Came from {parent_text(s.parent)}." if s.parent else ""
        return f"<b>{s.name}</b> ({s.id}): {s.epochs} epochs, checkpoints kept of epochs {kept}.{origin}"
