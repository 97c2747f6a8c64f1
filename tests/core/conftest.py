"""A user folder of its own for the core tests that write run records (records/, training/, ...)."""
import pytest


@pytest.fixture
def digitlab_home(tmp_path, monkeypatch):
    """Run records go to the user data folder: give every test its own."""
    home = tmp_path / "digitlab-home"
    monkeypatch.setenv("DIGITLAB_HOME", str(home))
    return home
