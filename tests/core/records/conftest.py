"""Run records go to the user data folder: every test here gets its own (tests/core/conftest.py)."""
import pytest


@pytest.fixture(autouse=True)
def own_digitlab_home(digitlab_home):
    return digitlab_home
