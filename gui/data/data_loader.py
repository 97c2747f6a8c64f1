"""Loading the data the user chose, off the GUI thread, and what happens when MNIST is missing.

``request(kind, folder)`` loads in a worker thread and emits ``loaded(dataset, notice)``. A
folder without MNIST shows the panel's MissingMnistBox in place, no dialog (the app never falls
back to the built-in digits without saying so); its choices lead to another folder, a download
(its progress in the panel in place of the box: gui/data/download_progress.py; a failure brings
the box back with the reason), or the digits.
"""
from PyQt5 import sip
from PyQt5.QtCore import QObject, pyqtSignal

from core.data.datasets import find_idx_files, load_dataset, resolve_data_dir
from core.data.download import download_mnist
from core.drawing.image_input import load_images_for_model
from core.errors import DatasetError
from gui.data.download_progress import MnistDownload
from gui.data.missing_mnist import DOWNLOAD, PICK_FOLDER
from gui.ground.crash_log import note_if_unexpected
from gui.ground.errors import describe_error, show_error
from gui.ground.threads import JobWorker, ThreadHandle


SHOWN_SKIPPED = 3   # files named in the notice; the rest counted


def load_images(folder):
    """(Dataset, notice) of a folder with a subfolder per class (core.drawing.image_input: images
    prepared as the canvas prepares a drawing, 28x28); the notice names files that were skipped."""
    if not folder:
        raise DatasetError("choose a folder with one subfolder of images per class first")
    skipped = []
    dataset = load_images_for_model(folder, skipped=skipped)
    if not skipped:
        return dataset, None
    named = "; ".join(f"{path}: {why}" for path, why in skipped[:SHOWN_SKIPPED])
    more = f" and {len(skipped) - SHOWN_SKIPPED} more" if len(skipped) > SHOWN_SKIPPED else ""
    return dataset, f"{len(skipped)} file{'s' if len(skipped) != 1 else ''} skipped ({named}{more})."


class DataLoader(QObject):
    """Works for ``panel`` (a DatasetPanel: busy state, the shown choice); dialogs open over
    ``window``. download_function and choose_folder are what a download and "Choose another
    folder" use (tests give local ones: nothing in a test downloads)."""

    loaded = pyqtSignal(object, object)   # Dataset, notice (str or None)

    def __init__(self, panel, window):
        super().__init__(window)
        self.panel, self.window = panel, window
        self.download_function, self.choose_folder = download_mnist, None
        self.handle = self.downloading = None
        self.has_data = False
        self.loading = False   # a load was asked for and its data is not in yet (lessons wait on it)
        self.last_kind = None
        self.missing_mnist_box = panel.missing
        panel.missing.chosen.connect(self._on_choice)
        panel.download_progress.cancel_requested.connect(self.cancel_download)

    @property
    def busy(self):
        """Loading or downloading: one at a time."""
        return (self.handle is not None and self.handle.running) or \
            (self.downloading is not None and self.downloading.active)

    def request(self, kind, folder=""):
        """Load ``kind`` from ``folder`` ('' for the default) in a worker thread; returns the
        panel's MissingMnistBox instead (shown) when the MNIST folder holds none of the files."""
        if self.busy:
            return None
        if kind == "mnist":
            mnist_folder = resolve_data_dir(folder or None)
            if not find_idx_files(mnist_folder):
                return self._ask_about_missing_mnist(mnist_folder)
        self.panel.set_busy(True, f"Loading {kind}…")
        self.panel.note_request(kind, folder)   # the panel's combo shows what was loaded, whoever asked
        self.last_kind = kind   # what the data being loaded is ('images': a folder of class subfolders)
        if kind == "images":
            worker = JobWorker(lambda report, cancelled: load_images(folder))
        else:
            worker = JobWorker(lambda report, cancelled: load_dataset(kind, folder or None, allow_fallback=False))
        worker.done.connect(self._on_loaded)
        worker.failed.connect(lambda error: sip.isdeleted(self) or self._on_failed(error, folder))   # gone: drop
        self.handle = ThreadHandle(worker).start()
        self.loading = True
        return None

    def download(self, folder):
        """Download MNIST into ``folder`` (else where the app looks for it: $DIGITLAB_DATA, else
        the user data folder's mnist/), its progress in the panel in place of the box; then
        load it. Returns the MnistDownload (None while busy)."""
        if self.busy:
            return None
        folder = str(resolve_data_dir(folder or None))
        self.panel.missing.setVisible(False)
        self.panel.download_progress.show_for(folder)
        self.panel.set_busy(True, f"Downloading MNIST into {folder}…")
        download = MnistDownload(self.download_function, folder, self)
        download.progress.connect(self.panel.download_progress.show_progress)
        download.done.connect(self._on_downloaded)
        download.failed.connect(lambda reason, details: self._on_download_failed(folder, reason, details))
        self.downloading = download.start()
        return download

    def cancel_download(self):
        if self.downloading is not None:
            self.downloading.cancel()

    def wait(self, milliseconds):
        """Join the threads (the window is closing): a load finishes, a download is cancelled."""
        if self.handle is not None:
            self.handle.wait(milliseconds)
        if self.downloading is not None:
            self.downloading.cancel()
            self.downloading.wait(milliseconds)

    def _on_downloaded(self, folder):
        self.panel.download_progress.setVisible(False)
        self.panel.set_busy(False)
        self.panel.set_choice("mnist", folder)
        self.request("mnist", folder)

    def _on_download_failed(self, folder, reason, details):
        """The box comes back, the reason above it; the data loaded before stays in use."""
        self.panel.download_progress.setVisible(False)
        self._ask_about_missing_mnist(folder, reason, details)

    def _on_loaded(self, result):
        self.loading = False   # the thread may run a moment longer (busy): the data is in
        dataset, notice = result
        self.has_data = True
        self.panel.set_busy(False)
        self.loaded.emit(dataset, notice)

    def _ask_about_missing_mnist(self, folder, reason="", details=""):
        self.panel.set_busy(False, f"No MNIST in {folder}.")
        box = self.missing_mnist_box
        box.choose_folder = self.choose_folder
        box.show_for(folder, reason, details)
        return box

    def _on_choice(self, choice, folder):
        if choice == DOWNLOAD:
            self.download(folder)
        elif choice == PICK_FOLDER:
            self.panel.set_choice("mnist", folder)
            self.request("mnist", folder)
        else:
            self.panel.set_choice("digits")
            self.request("digits")

    def _on_failed(self, error, source=""):
        self.loading = False
        self.panel.forget_request()
        self.panel.set_busy(False, "Loading failed; the previous data is still in use."
                            if self.has_data else "No data loaded.")
        text = describe_error(error)
        if source and source not in text:   # say which file or folder, once
            text = f"{source}: {text}"
        show_error(self.window, "Could not load the data", text + note_if_unexpected(error, "loading data failed"))
