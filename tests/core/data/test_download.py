"""core.data.download against local HTTP servers on 127.0.0.1: never touches the internet.

One ThreadingHTTPServer serves /good/, /bad/ (wrong bytes) and /empty/ (404s); a closed port
stands for a refused connection and a socket that listens but never answers for a timeout.
"""

import functools
import gzip
import hashlib
import http.server
import socket
import threading

import numpy as np
import pytest

import core.data.download as download
from core.data.download import MNIST_FILES, MNIST_MIRRORS, DownloadCancelled, download_mnist
from core.errors import DatasetError, DownloadError
from core.data.idx import read_idx, write_idx

SMALL_ARRAYS = {
    "train-images-idx3-ubyte.gz": np.random.default_rng(0).integers(0, 256, (30, 28, 28), dtype=np.uint8),
    "train-labels-idx1-ubyte.gz": (np.arange(30) % 10).astype(np.uint8),
    "t10k-images-idx3-ubyte.gz": np.random.default_rng(1).integers(0, 256, (10, 28, 28), dtype=np.uint8),
    "t10k-labels-idx1-ubyte.gz": (np.arange(10) % 10).astype(np.uint8),
}


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def server_root(tmp_path_factory):
    root = tmp_path_factory.mktemp("mirrors")
    for sub in ("good", "bad", "empty"):
        (root / sub).mkdir()
    checksums = {}
    for name, array in SMALL_ARRAYS.items():
        write_idx(root / "good" / name, array)
        content = (root / "good" / name).read_bytes()
        checksums[name] = hashlib.md5(content).hexdigest()
        (root / "bad" / name).write_bytes(content[:-1] + bytes([content[-1] ^ 0xFF]))
    return root, checksums


@pytest.fixture(scope="module")
def server(server_root):
    root, _ = server_root
    handler = functools.partial(QuietHandler, directory=str(root))
    httpd = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}"
    httpd.shutdown()
    httpd.server_close()
    thread.join()


@pytest.fixture
def checksums(server_root):
    return server_root[1]


@pytest.fixture
def refused_mirror():
    """A base URL on a port where nothing listens."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/"


@pytest.fixture
def silent_mirror():
    """A base URL whose server accepts connections (via the backlog) but never answers."""
    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    sock.listen(16)
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    sock.close()


def assert_complete(dest, checksums):
    assert sorted(p.name for p in dest.iterdir()) == sorted(checksums)  # and no temp files
    for name, md5 in checksums.items():
        assert hashlib.md5((dest / name).read_bytes()).hexdigest() == md5
        np.testing.assert_array_equal(read_idx(dest / name), SMALL_ARRAYS[name])


def test_constants():
    assert MNIST_FILES == {
        "train-images-idx3-ubyte.gz": "f68b3c2dcbeaaa9fbdd348bbdeb94873",
        "train-labels-idx1-ubyte.gz": "d53e105ee54ea40749a09fcbcd1e9432",
        "t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
        "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c",
    }
    assert MNIST_MIRRORS[-1] == "http://yann.lecun.com/exdb/mnist/"
    assert all(m.endswith("/") for m in MNIST_MIRRORS)


def test_good_mirror(tmp_path, server, checksums):
    dest = tmp_path / "new" / "mnist"  # created on demand
    assert download_mnist(dest, mirrors=[server + "/good/"], checksums=checksums, timeout=5) == dest
    assert_complete(dest, checksums)


def test_mirror_without_trailing_slash(tmp_path, server, checksums):
    download_mnist(tmp_path, mirrors=[server + "/good"], checksums=checksums, timeout=5)
    assert_complete(tmp_path, checksums)


def test_corrupt_file_on_first_mirror_then_good_second(tmp_path, server, checksums):
    download_mnist(tmp_path, mirrors=[server + "/bad/", server + "/good/"], checksums=checksums, timeout=5)
    assert_complete(tmp_path, checksums)


def test_404_refused_and_timeout_are_skipped(tmp_path, server, checksums, refused_mirror, silent_mirror):
    mirrors = [server + "/empty/", refused_mirror, silent_mirror, server + "/good/"]
    download_mnist(tmp_path, mirrors=mirrors, checksums={"t10k-labels-idx1-ubyte.gz": checksums["t10k-labels-idx1-ubyte.gz"]}, timeout=0.3)
    assert [p.name for p in tmp_path.iterdir()] == ["t10k-labels-idx1-ubyte.gz"]


def test_all_mirrors_failing_lists_every_answer(tmp_path, server, checksums, refused_mirror, silent_mirror):
    mirrors = [server + "/bad/", server + "/empty/", refused_mirror, silent_mirror]
    with pytest.raises(DownloadError) as info:
        download_mnist(tmp_path, mirrors=mirrors, checksums=checksums, timeout=0.3)
    message = str(info.value)
    assert "could not download train-images-idx3-ubyte.gz" in message
    assert "bad checksum" in message
    assert "HTTP 404" in message
    assert "connection refused" in message
    assert "timed out" in message
    for mirror in mirrors:
        assert mirror.rstrip("/") + "/train-images-idx3-ubyte.gz" in message
    assert "internet connection" in message and str(tmp_path) in message
    assert isinstance(info.value, DatasetError)
    assert list(tmp_path.iterdir()) == []  # no temp files, no partial files


def test_no_mirrors(tmp_path, checksums):
    with pytest.raises(DownloadError, match="no mirrors"):
        download_mnist(tmp_path, mirrors=[], checksums=checksums)


def test_progress_reports_increasing_byte_counts(tmp_path, server, checksums, monkeypatch):
    monkeypatch.setattr(download, "CHUNK_SIZE", 4096)
    calls = []
    download_mnist(tmp_path, mirrors=[server + "/good/"], checksums=checksums, timeout=5,
                   progress=lambda name, done, total: calls.append((name, done, total)))
    name = "train-images-idx3-ubyte.gz"
    image_calls = [(done, total) for n, done, total in calls if n == name]
    size = (tmp_path / name).stat().st_size
    assert len(image_calls) > 3
    done_values = [done for done, _ in image_calls]
    assert done_values == sorted(done_values) and len(set(done_values)) == len(done_values)
    assert image_calls[-1] == (size, size)
    assert {n for n, _, _ in calls} == set(checksums)


def test_existing_good_files_are_not_downloaded_again(tmp_path, server, checksums, refused_mirror):
    download_mnist(tmp_path, mirrors=[server + "/good/"], checksums=checksums, timeout=5)
    calls = []
    # Only a dead mirror: succeeding proves nothing was fetched.
    download_mnist(tmp_path, mirrors=[refused_mirror], checksums=checksums, timeout=5,
                   progress=lambda *args: calls.append(args))
    assert_complete(tmp_path, checksums)
    assert len(calls) == len(checksums) and all(done == total for _, done, total in calls)


def test_existing_wrong_file_is_replaced(tmp_path, server, checksums):
    name = "t10k-labels-idx1-ubyte.gz"
    (tmp_path / name).write_bytes(b"stale partial download")
    download_mnist(tmp_path, mirrors=[server + "/good/"], checksums={name: checksums[name]}, timeout=5)
    assert hashlib.md5((tmp_path / name).read_bytes()).hexdigest() == checksums[name]


def test_cancel_between_chunks(tmp_path, server, checksums, monkeypatch):
    monkeypatch.setattr(download, "CHUNK_SIZE", 4096)
    chunks_seen = []

    def progress(name, done, total):
        chunks_seen.append(done)

    with pytest.raises(DownloadCancelled):
        download_mnist(tmp_path, mirrors=[server + "/bad/", server + "/good/"], checksums=checksums,
                       timeout=5, progress=progress, cancel=lambda: len(chunks_seen) >= 2)
    assert len(chunks_seen) == 2  # stopped at once, did not move on to the next mirror
    assert list(tmp_path.iterdir()) == []
    assert issubclass(DownloadCancelled, DownloadError)


def test_cancel_before_start(tmp_path, refused_mirror, checksums):
    with pytest.raises(DownloadCancelled):
        download_mnist(tmp_path, mirrors=[refused_mirror], checksums=checksums, cancel=lambda: True)
    assert list(tmp_path.iterdir()) == []


def test_downloaded_folder_loads_as_a_dataset(tmp_path, server, checksums):
    from core.data.datasets import load_dataset

    download_mnist(tmp_path / "mnist", mirrors=[server + "/good/"], checksums=checksums, timeout=5)
    dataset, notice = load_dataset("mnist", data_dir=tmp_path / "mnist", cache_dir=tmp_path / "cache")
    assert notice is None and dataset.train_images.shape == (30, 28, 28)


def test_uncreatable_dest_dir(tmp_path, checksums):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(DownloadError, match="cannot create"):
        download_mnist(blocker / "mnist", mirrors=[], checksums=checksums)


def test_gzip_files_served_are_real_gzip(server_root):
    root, _ = server_root
    assert gzip.decompress((root / "good" / "t10k-labels-idx1-ubyte.gz").read_bytes())[:4] == b"\x00\x00\x08\x01"


def test_the_failure_says_why_in_one_line(tmp_path, server, checksums, refused_mirror, silent_mirror):
    from core.data.download import NoMirrorDelivered
    name = "train-images-idx3-ubyte.gz"
    cases = [([refused_mirror], "no connection to the MNIST servers (connection refused)"),
             ([silent_mirror], "no connection to the MNIST servers (timed out)"),
             ([server + "/empty/", refused_mirror], f"the servers answered HTTP 404 File not found for {name}"),
             ([refused_mirror, server + "/bad/", server + "/empty/"], f"{name} arrived damaged (its checksum did not match)"),
             ([], "no download address was given")]
    for mirrors, reason in cases:
        with pytest.raises(NoMirrorDelivered) as info:
            download_mnist(tmp_path, mirrors=mirrors, checksums=checksums, timeout=0.3)
        assert info.value.reason == reason and "\n" not in info.value.reason


def test_all_or_nothing_takes_back_what_a_failed_download_completed(tmp_path, server, checksums):
    """Three good files, the fourth damaged on the only mirror: the three go again, a file that was
    there before stays, and a folder the download created is removed once empty."""
    from core.data.download import all_or_nothing
    dest = tmp_path / "new" / "mnist"
    with pytest.raises(DownloadError):
        with all_or_nothing(dest, checksums):
            download_mnist(dest, mirrors=[server + "/good/"], checksums=checksums, timeout=5)
            assert sorted(p.name for p in dest.iterdir()) == sorted(checksums)   # it was all there
            raise DownloadError("a later step failed")
    assert not dest.exists() and (tmp_path / "new").is_dir()

    dest = tmp_path / "kept"
    dest.mkdir()
    (dest / "notes.txt").write_text("mine")
    last = "t10k-labels-idx1-ubyte.gz"
    (dest / last).write_bytes(b"an older copy")                    # there before: never touched
    mirrors = [server + "/good/"]
    bad_last = {**checksums, last: "0" * 32}                         # no mirror can deliver it
    with pytest.raises(DownloadError):
        with all_or_nothing(dest, bad_last):
            download_mnist(dest, mirrors=mirrors, checksums=bad_last, timeout=5)
    assert sorted(p.name for p in dest.iterdir()) == ["notes.txt", last]
    assert (dest / last).read_bytes() == b"an older copy"


def test_all_or_nothing_keeps_a_complete_download(tmp_path, server, checksums):
    from core.data.download import all_or_nothing
    with all_or_nothing(tmp_path / "mnist", checksums) as dest:
        download_mnist(dest, mirrors=[server + "/good/"], checksums=checksums, timeout=5)
    assert_complete(tmp_path / "mnist", checksums)
