import os
import stat

import pytest

from core.storage.atomic import atomic_write


def test_failed_write_keeps_old_file_and_leaves_no_temp_file(tmp_path):
    path = tmp_path / "keep"
    path.write_bytes(b"old")
    with pytest.raises(RuntimeError):
        with atomic_write(path) as out:
            out.write(b"half")
            raise RuntimeError("boom")
    assert path.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["keep"]


def test_successful_write_replaces_file_with_umask_permissions(tmp_path):
    path = tmp_path / "sub" / "new.bin"
    with atomic_write(path) as out:
        out.write(b"complete")
    assert path.read_bytes() == b"complete"
    umask = os.umask(0)
    os.umask(umask)
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask
    assert [p.name for p in path.parent.iterdir()] == ["new.bin"]
