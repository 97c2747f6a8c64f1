"""Downloading MNIST from the Data panel: the progress (which file, bytes of its total, Cancel)
shows in the panel in place of the "MNIST is not here yet" box, no dialog; a failure or a cancel
brings the box back with the reason in one line and leaves the folder as it was; a success loads
the data. The real downloader (core.data.download) against a local HTTP server on 127.0.0.1 only:
nothing here touches the internet. A gate holds the third file after its first 70,000 bytes, so
the test can look at (and cancel) a download in progress without timing anything.
"""
import functools
import hashlib
import http.server
import socket
import threading

import numpy as np
import pytest
from PyQt5.QtWidgets import QApplication, QDialog, QMessageBox

from core.data.download import MNIST_FILES, download_mnist
from core.data.idx import write_idx
from gui_helpers import make_window

pytestmark = pytest.mark.usefixtures("themed_app")

GATED = "t10k-images-idx3-ubyte.gz"        # the third file: two are complete when it stops
FIRST_PART = 70_000                        # more than one 64 KiB chunk, so progress shows
ARRAYS = {
    "train-images-idx3-ubyte.gz": np.random.default_rng(0).integers(0, 256, (60, 28, 28), dtype=np.uint8),
    "train-labels-idx1-ubyte.gz": (np.arange(60) % 10).astype(np.uint8),
    GATED: np.random.default_rng(1).integers(0, 256, (200, 28, 28), dtype=np.uint8),
    "t10k-labels-idx1-ubyte.gz": (np.arange(200) % 10).astype(np.uint8),
}


class Mirror:
    """A local server with /good/ (the four files) and /damaged/ (the third file's last byte
    flipped); ``gate`` (a threading.Event), when given, holds the third file after FIRST_PART."""

    def __init__(self, root, gate=None):
        self.files, self.checksums = {}, {}
        for name, array in ARRAYS.items():
            write_idx(root / name, array)
            content = (root / name).read_bytes()
            self.checksums[name] = hashlib.md5(content).hexdigest()
            self.files[f"/good/{name}"] = self.files[f"/damaged/{name}"] = content
        good = self.files[f"/good/{GATED}"]
        self.files[f"/damaged/{GATED}"] = good[:-1] + bytes([good[-1] ^ 0xFF])
        files = self.files

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):
                body = files.get(self.path)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    if gate is not None and self.path.endswith(GATED):
                        self.wfile.write(body[:FIRST_PART])
                        self.wfile.flush()
                        gate.wait(30)
                        body = body[FIRST_PART:]
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):   # a cancelled client hung up
                    pass

            def log_message(self, *args):
                pass

        self.httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.httpd.daemon_threads = True
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"

    def downloader(self, path):
        return functools.partial(download_mnist, mirrors=[self.url + path], checksums=self.checksums, timeout=10)

    def close(self):
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join()


@pytest.fixture
def gate():
    event = threading.Event()
    yield event
    event.set()                    # never leave a server thread waiting


@pytest.fixture
def mirror(tmp_path, gate):
    (tmp_path / "served").mkdir()
    server = Mirror(tmp_path / "served", gate)
    yield server
    server.close()


def no_dialogs():
    return QApplication.activeModalWidget() is None and not any(
        isinstance(w, (QDialog, QMessageBox)) and w.isVisible() for w in QApplication.topLevelWidgets())


def press_download(qtbot, tmp_path, download_function):
    """A window whose user pressed Load on an empty folder, then the box's Download button."""
    window = make_window(qtbot)
    window.data.download_function = download_function
    folder = tmp_path / "mnist"
    folder.mkdir()
    window.dataset_panel.set_choice("mnist", str(folder))
    window.dataset_panel.load_button.click()
    box = window.dataset_panel.missing
    assert box.isVisible() and not box.reason.isVisible()
    box.download_button.click()
    return window, folder


def wait_for_the_gated_file(qtbot, window):
    progress = window.dataset_panel.download_progress
    qtbot.waitUntil(lambda: "file 3 of 4" in progress.file_label.text(), timeout=20000)
    return progress


def test_the_progress_shows_in_the_panel_then_the_data_loads(qtbot, tmp_path, mirror, gate):
    window, folder = press_download(qtbot, tmp_path, mirror.downloader("/good/"))
    progress = wait_for_the_gated_file(qtbot, window)
    panel = window.dataset_panel
    assert progress.isVisible() and not panel.missing.isVisible() and no_dialogs()
    assert str(folder) in progress.title.text() and progress.file_label.text() == f"{GATED} (file 3 of 4)"
    total = len(mirror.files[f"/good/{GATED}"])
    assert progress.bytes_label.text() == f"{65536 / 1e6:.2f} of {total / 1e6:.2f} MB"
    assert progress.bar.value() == int(1000 * 65536 / total) > 0
    assert progress.cancel_button.isEnabled() and not panel.load_button.isEnabled() and window.data.busy

    with qtbot.waitSignal(window.dataset_loaded, timeout=30000) as loaded:
        gate.set()
    dataset = loaded.args[0]
    assert dataset.name == "mnist" and len(dataset.train_labels) == 60 and len(dataset.test_labels) == 200
    assert np.array_equal(dataset.test_images, ARRAYS[GATED])
    assert not progress.isVisible() and not panel.missing.isVisible() and no_dialogs()
    assert sorted(p.name for p in folder.iterdir()) == sorted(MNIST_FILES)      # the files, no temp files


def test_no_network_brings_the_box_back_with_the_reason(qtbot, tmp_path):
    with socket.socket() as sock:        # a port where nothing listens: refused at once, offline
        sock.bind(("127.0.0.1", 0))
        refused = f"http://127.0.0.1:{sock.getsockname()[1]}/"
    download = functools.partial(download_mnist, mirrors=[refused], timeout=5)
    window, folder = press_download(qtbot, tmp_path, download)
    box = window.dataset_panel.missing
    qtbot.waitUntil(box.reason.isVisible, timeout=15000)
    assert box.reason.text() == (f"Download failed: no connection to the MNIST servers (connection refused). "
                                 f"Nothing was kept in {folder}.")
    assert "\n" not in box.reason.text() and refused.rstrip("/") in box.reason.toolTip()   # every answer: the tip
    assert box.isVisible() and not window.dataset_panel.download_progress.isVisible() and no_dialogs()
    assert list(folder.iterdir()) == [] and window.dataset.name == "digits"   # what was loaded stays
    assert window.dataset_panel.load_button.isEnabled() and not window.data.busy


def test_a_damaged_file_brings_the_box_back_and_takes_back_the_files_already_complete(qtbot, tmp_path, mirror, gate):
    gate.set()                                       # no hold: the third file arrives damaged
    window, folder = press_download(qtbot, tmp_path, mirror.downloader("/damaged/"))
    box = window.dataset_panel.missing
    qtbot.waitUntil(box.reason.isVisible, timeout=20000)
    assert box.reason.text() == (f"Download failed: {GATED} arrived damaged (its checksum did not match). "
                                 f"Nothing was kept in {folder}.")
    assert list(folder.iterdir()) == []              # the two good files went too: no half dataset
    assert box.isVisible() and no_dialogs() and not window.data.busy


def test_cancel_stops_the_download_and_leaves_nothing(qtbot, tmp_path, mirror, gate):
    window, folder = press_download(qtbot, tmp_path, mirror.downloader("/good/"))
    progress = wait_for_the_gated_file(qtbot, window)
    assert {p.name for p in folder.iterdir() if not p.name.startswith(".")} >= {
        "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"}     # two complete already
    progress.cancel_button.click()
    assert not progress.cancel_button.isEnabled() and progress.cancel_button.text() == "Cancelling…"
    gate.set()                                       # the next chunk arrives; the worker sees the cancel
    box = window.dataset_panel.missing
    qtbot.waitUntil(box.reason.isVisible, timeout=20000)
    assert box.reason.text() == f"Download cancelled; nothing was kept in {folder}."
    assert list(folder.iterdir()) == [] and not progress.isVisible() and no_dialogs()
    assert window.dataset.name == "digits" and not window.data.busy
    assert window.data.downloading.wait(5000)
