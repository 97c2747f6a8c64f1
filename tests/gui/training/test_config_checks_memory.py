"""The settings form's checks before Start (gui.training.config_checks) refuse a network that
cannot fit in memory with the reason core.training.memory_check gives the CLI."""
from dataclasses import replace

import pytest

from core.errors import ConfigError
from core.settings.config import TrainConfig
from gui.training.config_checks import check_for_data


def test_the_apps_form_refuses_a_huge_network_with_the_same_reason():
    with pytest.raises(ConfigError, match="would need about"):
        check_for_data(replace(TrainConfig(), hidden_sizes=(99_999_999,)), (28, 28), 10, 60_000)
    with pytest.raises(ConfigError, match="would need about"):
        check_for_data(replace(TrainConfig(), layers="dense99999999,dense10"))
    check_for_data(TrainConfig(), (28, 28), 10, 60_000)
