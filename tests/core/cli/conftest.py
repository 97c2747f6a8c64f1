"""Every CLI test gets its own DigitLab home: `train` records each run in the user data folder."""
import pytest


@pytest.fixture(autouse=True)
def digitlab_home(tmp_path, monkeypatch):
    home = tmp_path / "digitlab-home"
    monkeypatch.setenv("DIGITLAB_HOME", str(home))
    return home
