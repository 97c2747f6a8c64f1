"""Downloading MNIST in the Data panel itself, in place of the "MNIST is not here yet" box: which
file, bytes of its total, and Cancel. No dialog: a modal progress window blocked the whole app
for a download the user may want to watch while drawing.

``MnistDownload(download, folder)`` runs download(folder, progress=, cancel=) in a worker thread
inside core.data.download.all_or_nothing (a failed or cancelled download takes back the files it
had completed: half a dataset in the folder would be taken for MNIST and fail to load) and emits
``done(folder)`` or ``failed(reason)`` with a one-line reason for the box.
``DownloadProgressBox`` shows one MnistDownload's progress and its Cancel button.
"""
from PyQt5.QtCore import QObject, pyqtSignal
from PyQt5.QtWidgets import QFrame, QLabel, QProgressBar, QPushButton, QVBoxLayout

from core.data.download import MNIST_FILES, DownloadCancelled, NoMirrorDelivered, all_or_nothing
from gui.ground.crash_log import log_exception
from gui.ground.errors import describe_error
from gui.ground.threads import JobWorker, ThreadHandle

PROGRESS_STEPS = 1000


def failure_reason(error, folder):
    """One line for the box: cancelled, the core's reason (offline, damaged file), or the error."""
    if isinstance(error, DownloadCancelled):
        return f"Download cancelled; nothing was kept in {folder}."
    if isinstance(error, NoMirrorDelivered):
        return f"Download failed: {error.reason}. Nothing was kept in {folder}."
    return f"Download failed: {describe_error(error).splitlines()[0]}"


class MnistDownload(QObject):
    """One download into ``folder`` in a worker thread. progress(file_name, done, total or None)."""

    progress = pyqtSignal(str, int, object)
    done = pyqtSignal(str)
    failed = pyqtSignal(str, str)        # one-line reason, the full message (every mirror's answer)

    def __init__(self, download, folder, parent=None):
        super().__init__(parent)
        self.folder = str(folder)
        self.active = False      # started and not yet reported (the thread ends a moment later)

        def work(report, cancelled):
            with all_or_nothing(self.folder):
                download(self.folder, progress=report, cancel=cancelled)
            return self.folder

        worker = JobWorker(work)
        worker.progress.connect(self._on_progress)          # bound methods: they run on the GUI thread
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        self.handle = ThreadHandle(worker)

    def start(self):
        self.active = True
        self.handle.start()
        return self

    def cancel(self):
        """Ask the worker to stop; it does between two chunks and then emits failed."""
        if self.handle.running:
            self.handle.worker.cancel()

    def wait(self, milliseconds=5000):
        return self.handle.wait(milliseconds)

    def _on_progress(self, values):
        file_name, done, total = values
        self.progress.emit(file_name, int(done), total)

    def _on_done(self, _folder):
        self.active = False
        self.done.emit(self.folder)

    def _on_failed(self, error):
        self.active = False
        if not isinstance(error, (DownloadCancelled, NoMirrorDelivered)):
            log_exception("the download failed", error)     # unexpected: keep the traceback
        self.failed.emit(failure_reason(error, self.folder), describe_error(error))


class DownloadProgressBox(QFrame):
    """'Downloading MNIST into <folder>', the file (k of 4), a bar of its bytes and Cancel."""

    cancel_requested = pyqtSignal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("downloadProgress")
        self.setFrameShape(QFrame.StyledPanel)
        self.title = QLabel()
        self.title.setWordWrap(True)
        self.file_label = QLabel()
        self.bar = QProgressBar()
        self.bar.setRange(0, PROGRESS_STEPS)
        self.bytes_label = QLabel()
        self.cancel_button = QPushButton("Cancel download")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 8)
        for widget in (self.title, self.file_label, self.bar, self.bytes_label, self.cancel_button):
            layout.addWidget(widget)
        self.cancel_button.clicked.connect(self._cancel)
        self.setVisible(False)

    def show_for(self, folder):
        self.title.setText(f"<b>Downloading MNIST</b> into {folder}")
        self.file_label.setText("Connecting…")
        self.bytes_label.setText("")
        self.bar.setValue(0)
        self.cancel_button.setEnabled(True)
        self.cancel_button.setText("Cancel download")
        self.setVisible(True)

    def show_progress(self, file_name, done, total):
        names = list(MNIST_FILES)
        which = f" (file {names.index(file_name) + 1} of {len(names)})" if file_name in names else ""
        self.file_label.setText(f"{file_name}{which}")
        if total:
            self.bar.setRange(0, PROGRESS_STEPS)
            self.bar.setValue(int(PROGRESS_STEPS * done / total))
            self.bytes_label.setText(f"{done / 1e6:.2f} of {total / 1e6:.2f} MB")
        else:                               # no Content-Length: a busy bar and the bytes so far
            self.bar.setRange(0, 0)
            self.bytes_label.setText(f"{done / 1e6:.2f} MB")

    def _cancel(self):
        self.cancel_button.setEnabled(False)     # stops between two chunks: say so until it has
        self.cancel_button.setText("Cancelling…")
        self.cancel_requested.emit()
