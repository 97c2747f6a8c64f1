"""core.data.images: reading image files of any kind as grey uint8, with clear errors."""
import numpy as np
import pytest
from PIL import Image

from core.errors import DigitLabError
from core.data.images import ImageFileError, read_gray


def test_reads_rgb_grey_and_sizes(tmp_path):
    rgb = np.zeros((37, 53, 3), np.uint8)
    rgb[10:20, 5:9] = (255, 255, 255)
    Image.fromarray(rgb).save(tmp_path / "a.png")
    gray = read_gray(tmp_path / "a.png")
    assert gray.shape == (37, 53) and gray.dtype == np.uint8
    assert gray[15, 6] == 255 and gray[0, 0] == 0
    Image.fromarray(rgb).save(tmp_path / "a.jpg", quality=95)
    assert abs(int(read_gray(tmp_path / "a.jpg")[15, 6]) - 255) < 20


def test_alpha_is_composited_on_white(tmp_path):
    rgba = np.zeros((20, 20, 4), np.uint8)
    rgba[5:15, 8:12, 3] = 255         # opaque black stroke, the rest fully transparent
    Image.fromarray(rgba, "RGBA").save(tmp_path / "t.png")
    gray = read_gray(tmp_path / "t.png")
    assert gray[0, 0] == 255 and gray[10, 10] == 0


def test_sixteen_bit_grey_is_rescaled(tmp_path):
    values = np.zeros((10, 10), np.uint16)
    values[3:7, 3:7] = 65535
    Image.fromarray(values).save(tmp_path / "g16.png")
    gray = read_gray(tmp_path / "g16.png")
    assert gray.max() == 255 and gray.min() == 0


@pytest.mark.parametrize("content", [b"this is text, not a picture", b"\x89PNG\r\n\x1a\n" + b"\0" * 20])
def test_garbage_raises_image_file_error(tmp_path, content):
    path = tmp_path / "bad.png"
    path.write_bytes(content)
    with pytest.raises(ImageFileError, match="bad.png"):
        read_gray(path)


def test_truncated_png_raises(tmp_path):
    Image.fromarray(np.random.default_rng(0).integers(0, 255, (200, 200), dtype=np.uint8)).save(tmp_path / "full.png")
    data = (tmp_path / "full.png").read_bytes()
    (tmp_path / "cut.png").write_bytes(data[: len(data) // 2])
    with pytest.raises(ImageFileError, match="cut.png"):
        read_gray(tmp_path / "cut.png")


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(ImageFileError, match="no such file"):
        read_gray(tmp_path / "nope.png")
    with pytest.raises(DigitLabError, match="folder"):
        read_gray(tmp_path)
