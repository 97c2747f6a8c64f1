"""Downloading MNIST with a cancellable progress dialog; the download runs in a worker thread.

core.data.download.download_mnist calls progress(file_name, bytes_done, bytes_total) per chunk from
the worker thread; we forward it through a queued signal, so the dialog never blocks.
"""
from PyQt5.QtCore import Qt, pyqtSignal
from PyQt5.QtWidgets import QProgressDialog

from core.data.download import DownloadCancelled, download_mnist
from gui.ground.crash_log import note_if_unexpected
from gui.ground.errors import describe_error, show_error
from gui.ground.threads import JobWorker, ThreadHandle


class DownloadDialog(QProgressDialog):
    """Shows per-file progress; emits downloaded(folder) on success. Failures -> error dialog."""

    downloaded = pyqtSignal(str)

    def __init__(self, dest_dir, parent=None, download=download_mnist):
        super().__init__("Connecting…", "Cancel", 0, 1000, parent)
        self.setWindowTitle("Download MNIST")
        self.setWindowModality(Qt.WindowModal)
        self.setMinimumDuration(0)
        self.setAutoClose(False)
        self.setAutoReset(False)
        self.setMinimumWidth(460)
        self.dest_dir = str(dest_dir)
        self.error_text = ""
        worker = JobWorker(lambda report, cancelled: download(self.dest_dir, progress=report, cancel=cancelled))
        worker.progress.connect(self._on_progress)
        worker.done.connect(self._on_done)
        worker.failed.connect(self._on_failed)
        self.canceled.connect(worker.cancel)
        self.handle = ThreadHandle(worker)

    def start(self):
        self.show()
        self.handle.start()
        return self

    def _on_progress(self, values):
        file_name, done, total = values
        if total:
            self.setValue(int(1000 * done / total))
            self.setLabelText(f"{file_name}: {done / 1e6:.1f} of {total / 1e6:.1f} MB")
        else:
            self.setLabelText(f"{file_name}: {done / 1e6:.1f} MB")

    def _on_done(self, folder):
        self.close()
        self.downloaded.emit(str(folder))

    def _on_failed(self, error):
        self.close()
        if isinstance(error, DownloadCancelled):
            return
        self.error_text = describe_error(error)
        show_error(self.parent(), "Download failed", self.error_text + note_if_unexpected(error, "the download failed"))

    def wait(self, milliseconds=5000):
        return self.handle.wait(milliseconds)
