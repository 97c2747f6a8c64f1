"""core.data.idx: round trips for every IDX dtype, plain and gzip, and every kind of damaged file."""

import gzip
import struct

import numpy as np
import pytest

from core.errors import DatasetError
from core.data.idx import GZIP_MAGIC, IDX_DTYPES, read_idx, write_idx

DTYPES = [np.uint8, np.int8, np.int16, np.int32, np.float32, np.float64]


def sample_array(dtype, shape=(3, 4, 5), seed=0):
    rng = np.random.default_rng(seed)
    if np.issubdtype(dtype, np.integer):
        info = np.iinfo(dtype)
        return rng.integers(info.min, info.max, size=shape, endpoint=True, dtype=dtype)
    return (rng.standard_normal(shape) * 1e3).astype(dtype)


def idx_bytes(dtype_code, shape, payload=b""):
    return bytes([0, 0, dtype_code, len(shape)]) + struct.pack(f">{len(shape)}I", *shape) + payload


@pytest.mark.parametrize("suffix", ["", ".gz"])
@pytest.mark.parametrize("dtype", DTYPES)
def test_round_trip_every_dtype(tmp_path, dtype, suffix):
    array = sample_array(dtype)
    path = tmp_path / f"data-idx3{suffix}"
    write_idx(path, array)
    loaded = read_idx(path)
    assert loaded.dtype == np.dtype(dtype)
    assert loaded.dtype.isnative
    assert loaded.shape == array.shape
    np.testing.assert_array_equal(loaded, array)
    assert loaded.flags.writeable


@pytest.mark.parametrize("shape", [(7,), (2, 3), (2, 1, 3, 2), (0,), (4, 0, 2)])
def test_round_trip_shapes(tmp_path, shape):
    array = np.arange(int(np.prod(shape)), dtype=np.int32).reshape(shape)
    write_idx(tmp_path / "a.idx", array)
    loaded = read_idx(tmp_path / "a.idx")
    assert loaded.shape == shape
    np.testing.assert_array_equal(loaded, array)


def test_non_native_byte_order_input_is_written_correctly(tmp_path):
    big_endian = np.array([1, -2, 300], dtype=">i4")
    write_idx(tmp_path / "b", big_endian)
    np.testing.assert_array_equal(read_idx(tmp_path / "b"), [1, -2, 300])


def test_non_contiguous_input(tmp_path):
    array = np.arange(24, dtype=np.uint8).reshape(4, 6)[:, ::2]
    write_idx(tmp_path / "c", array)
    np.testing.assert_array_equal(read_idx(tmp_path / "c"), array)


def test_written_layout_matches_the_idx_spec(tmp_path):
    write_idx(tmp_path / "labels", np.array([5, 0, 4], dtype=np.uint8))
    assert (tmp_path / "labels").read_bytes() == b"\x00\x00\x08\x01" + b"\x00\x00\x00\x03" + b"\x05\x00\x04"
    write_idx(tmp_path / "shorts", np.array([258], dtype=np.int16))
    assert (tmp_path / "shorts").read_bytes()[-2:] == b"\x01\x02"  # big-endian


def test_gzip_is_detected_by_magic_bytes_not_name(tmp_path):
    array = sample_array(np.uint8)
    write_idx(tmp_path / "real.gz", array)
    disguised = tmp_path / "no-extension"
    disguised.write_bytes((tmp_path / "real.gz").read_bytes())
    assert disguised.read_bytes()[:2] == GZIP_MAGIC
    np.testing.assert_array_equal(read_idx(disguised), array)
    # ...and an uncompressed file called .gz is read as plain IDX.
    write_idx(tmp_path / "plain", array)
    misnamed = tmp_path / "plain-but-named.gz"
    misnamed.write_bytes((tmp_path / "plain").read_bytes())
    np.testing.assert_array_equal(read_idx(misnamed), array)


def test_gzip_output_is_deterministic(tmp_path):
    array = sample_array(np.float32)
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    write_idx(tmp_path / "a" / "same.gz", array)
    write_idx(tmp_path / "b" / "same.gz", array)
    assert (tmp_path / "a" / "same.gz").read_bytes() == (tmp_path / "b" / "same.gz").read_bytes()


def test_write_is_atomic_and_leaves_no_temp_files(tmp_path):
    path = tmp_path / "x.gz"
    write_idx(path, sample_array(np.uint8))
    write_idx(path, sample_array(np.uint8, seed=1))  # overwrite in place
    assert sorted(p.name for p in tmp_path.iterdir()) == ["x.gz"]
    np.testing.assert_array_equal(read_idx(path), sample_array(np.uint8, seed=1))


@pytest.mark.parametrize("bad", [np.zeros(3, dtype=np.int64), np.zeros(3, dtype=bool), np.array(5, dtype=np.uint8)])
def test_write_rejects_unsupported_arrays(tmp_path, bad):
    with pytest.raises(DatasetError, match="bad-out"):
        write_idx(tmp_path / "bad-out", bad)
    assert list(tmp_path.iterdir()) == []


# --------------------------------------------------------------------------- damaged files

GOOD = idx_bytes(0x08, (2, 3), bytes(range(6)))

CORRUPTIONS = {
    "empty file": (b"", "truncated header"),
    "truncated magic": (b"\x00\x00\x08", "truncated header"),
    "bad magic": (b"\x12\x34\x08\x02" + GOOD[4:], "bad magic number"),
    "unknown dtype code": (b"\x00\x00\x0a\x02" + GOOD[4:], "unsupported dtype code 0x0A"),
    "zero dimensions": (b"\x00\x00\x08\x00", "dimension count is 0"),
    "truncated sizes": (GOOD[:9], "truncated header"),
    "truncated data": (GOOD[:-1], "truncated data"),
    "trailing bytes": (GOOD + b"\x00\x00", "2 trailing bytes"),
    "sizes overflow": (idx_bytes(0x0E, (2**32 - 1,) * 4, b"\x00" * 8), "truncated data"),
    "wrong dims claimed": (idx_bytes(0x08, (2, 3, 4), bytes(range(6))), "truncated data"),
}


@pytest.mark.parametrize("gzipped", [False, True], ids=["plain", "gzip"])
@pytest.mark.parametrize("case", list(CORRUPTIONS))
def test_damaged_file_raises_dataset_error_naming_file(tmp_path, case, gzipped):
    content, expected = CORRUPTIONS[case]
    path = tmp_path / f"damaged-{case.replace(' ', '_')}"
    path.write_bytes(gzip.compress(content) if gzipped else content)
    with pytest.raises(DatasetError, match=expected) as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_good_bytes_used_above_are_actually_good(tmp_path):
    (tmp_path / "good").write_bytes(GOOD)
    np.testing.assert_array_equal(read_idx(tmp_path / "good"), np.arange(6, dtype=np.uint8).reshape(2, 3))


@pytest.mark.parametrize(
    "mangle",
    [
        pytest.param(lambda gz: gz[: len(gz) // 2], id="cut-in-half"),
        pytest.param(lambda gz: gz[:-4], id="missing-size-trailer"),
        pytest.param(lambda gz: gz[:-8] + bytes(8), id="bad-crc"),
        pytest.param(lambda gz: gz[:20] + bytes(len(gz) - 20), id="zeroed-stream"),
        pytest.param(lambda gz: GZIP_MAGIC + b"\xff" * 30, id="bad-header"),
        pytest.param(lambda gz: gz + b"garbage!", id="trailing-garbage"),
    ],
)
def test_corrupt_gzip_raises_dataset_error(tmp_path, mangle):
    good_gz = gzip.compress(idx_bytes(0x08, (50, 20), np.random.default_rng(0).bytes(1000)))
    path = tmp_path / "broken.gz"
    path.write_bytes(mangle(good_gz))
    with pytest.raises(DatasetError, match="corrupt gzip") as info:
        read_idx(path)
    assert str(path) in str(info.value)


def test_missing_file_and_folder(tmp_path):
    with pytest.raises(DatasetError, match="file not found") as info:
        read_idx(tmp_path / "nope")
    assert "nope" in str(info.value)
    with pytest.raises(DatasetError, match="is a folder"):
        read_idx(tmp_path)


def test_every_dtype_code_is_covered():
    assert sorted(IDX_DTYPES) == [0x08, 0x09, 0x0B, 0x0C, 0x0D, 0x0E]
