import pytest


@pytest.fixture(autouse=True)
def _home(digitlab_home):
    return digitlab_home
